"""Practice scenario files: every shipped file is valid, and each rule of the validator refuses a bad file
naming the file, the turn and the field."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from collectui.demo.scenarios import check_borrower
from collectui.domain.calls.outcomes import OUTCOMES
from collectui.domain.conduct.notescan import scan
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.training.scenario import END, PRACTICE_DIR, load_practice, practice_scenarios

POLICY = Policy()
EXAMPLE = PRACTICE_DIR / "first_call.toml"
SHIPPED = sorted(PRACTICE_DIR.glob("*.toml"))

# The situations the shipped scenarios must cover (docs/training.md), each found by its file name.
REQUIRED = (
    "first_call",
    "stop_calling",
    "disputed",
    "angry",
    "hardship_harvest",
    "relative_answers",
    "elderly",
    "late_evening",
    "seventh_attempt",
    "personal_account",
    "employer_answers",
)


def test_at_least_ten_scenarios_cover_the_required_situations():
    ids = {s.id for s in practice_scenarios(POLICY)}
    assert len(ids) >= 10
    assert set(REQUIRED) <= ids


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_file_is_valid(path):
    scenario = load_practice(path, POLICY)
    check_borrower(scenario.borrower, str(path))
    for text in (scenario.title, scenario.persona, scenario.situation, scenario.goal, scenario.expect_why):
        assert text.zh and text.en
    for turn in scenario.turns:
        assert 2 <= len(turn.options) <= 4
        assert not scan(turn.say.zh + turn.say.en, POLICY.table("rules.note_scan"))
        for option in turn.options:
            assert option.why.zh and option.why.en
            if option.cost == 0:
                assert not scan(option.say.zh + option.say.en, POLICY.table("rules.note_scan")), option.say
            else:
                assert option.mistake and option.kind in ("rule", "conversation")
    assert set(scenario.expect_outcomes) <= set(OUTCOMES)


def _write(tmp_path: Path, text: str, name: str = "first_call") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _refused(tmp_path: Path, text: str, *expected: str) -> str:
    with pytest.raises(InvalidInput) as err:
        load_practice(_write(tmp_path, text), POLICY)
    message = str(err.value)
    assert message.startswith(str(tmp_path / "first_call.toml"))
    for part in expected:
        assert part in message, message
    return message


def test_the_example_loads_and_its_perfect_path_reaches_the_end():
    scenario = load_practice(EXAMPLE, POLICY)
    turn, steps = scenario.turns[0], 0
    while True:
        option = next(o for o in turn.options if o.cost == 0)
        following = scenario.after(turn, option)
        steps += 1
        if following == END:
            break
        turn = scenario.turn(following)
    assert steps == len(scenario.turns)


def test_syntax_error_names_line_and_column(tmp_path):
    _refused(tmp_path, _example().replace("version = 1", "version = = 1"), "not valid TOML", "line", "column")


def test_missing_language(tmp_path):
    text = _example().replace(', en = "Hello, who\'s this?" }', " }")
    _refused(tmp_path, text, "turn hello", "say.en is missing or empty")


def test_id_must_match_the_file_name(tmp_path):
    _refused(tmp_path, _example().replace('id = "first_call"', 'id = "other"'), "id must be the file name")


def test_next_must_name_a_turn(tmp_path):
    text = _example().replace('next = "end"\n  why = { zh = "礼貌结束', 'next = "nowhere"\n  why = { zh = "礼貌结束')
    _refused(tmp_path, text, "turn close option 1", "next names no turn")


def test_unreachable_turn(tmp_path):
    # The first turn's options all jump over "verify".
    text = _example().replace(
        '  cost = 0\n  why = { zh = "先报姓名', '  cost = 0\n  next = "amount"\n  why = { zh = "先报姓名'
    )
    text = text.replace(
        '  kind = "rule"\n  why = { zh = "没有表明身份',
        '  kind = "rule"\n  next = "amount"\n  why = { zh = "没有表明身份',
    )
    text = text.replace(
        '  kind = "rule"\n  why = { zh = "要说清', '  kind = "rule"\n  next = "amount"\n  why = { zh = "要说清'
    )
    _refused(tmp_path, text, "turn verify", "no option leads to this turn")


def test_a_loop_is_refused(tmp_path):
    text = _example().replace('next = "end"\n  why = { zh = "礼貌结束', 'next = "hello"\n  why = { zh = "礼貌结束')
    _refused(tmp_path, text, "can loop back")


def test_every_turn_needs_a_right_answer(tmp_path):
    text = _example()
    # Make the close turn's right answer cost 5 (with the fields a costly option needs).
    text = text.replace(
        '  cost = 0\n  next = "end"\n  why = { zh = "礼貌结束',
        '  cost = 5\n  mistake = "x"\n  kind = "conversation"\n  next = "end"\n  why = { zh = "礼貌结束',
    )
    _refused(tmp_path, text, "turn close", "at least one option must cost 0")


def test_a_costly_option_needs_a_mistake_id(tmp_path):
    text = _example().replace('  mistake = "no_empathy"\n', "")
    _refused(tmp_path, text, "turn amount option 2", "needs mistake")


def test_a_right_answer_may_not_hold_a_banned_phrase(tmp_path):
    text = _example().replace("祝您生意兴隆，再见。", "不然后果自负。")
    _refused(tmp_path, text, "turn close option 1", "banned phrase", "后果自负")


def test_a_wrong_answer_may_hold_one(tmp_path):
    assert "后果自负" in _example()  # the "forgot" turn's threat option
    load_practice(_write(tmp_path, _example()), POLICY)


def test_one_option_is_not_a_choice(tmp_path):
    text = _example()
    start = text.index('[[turn]]\nid = "close"')
    second = text.index("  [[turn.option]]", text.index("  [[turn.option]]", start) + 1)
    _refused(tmp_path, text[:second], "turn close", "2 to 4")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('at = "10:00"', 'at = "25:00"', "HH:MM"),
        ('play_as = "collector"', 'play_as = "admin"', "play_as must be one of"),
        ('dial = "debtor"', 'dial = "guarantor"', "dial must be"),
        ('outcomes = ["promise_to_pay"]', 'outcomes = ["paid_in_full"]', "outcome codes"),
        ('expect = "allows"', 'expect = "maybe"', "expect must be one of"),
        ('  cost = 0\n  why = { zh = "核实后', '  cost = 101\n  why = { zh = "核实后', "from 0 to 100"),
    ],
)
def test_field_checks(tmp_path, old, new, expected):
    assert old in _example()
    _refused(tmp_path, _example().replace(old, new, 1), expected)


def test_costs_in_files_are_what_the_trainer_reads():
    # The file's costs are whole points; every shipped scenario's worst path still scores at least 0.
    for path in SHIPPED:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for turn in data.get("turn", []):
            for option in turn["option"]:
                assert isinstance(option["cost"], int)
        assert re.fullmatch(r"[a-z0-9_]+", data["id"])


def test_the_quick_mandatory_list_is_the_validated_one(tmp_path):
    from collectui.domain.training.scenario import mandatory_ids

    assert mandatory_ids() == {s.id for s in practice_scenarios(POLICY) if s.mandatory}
    # A changed folder is read again.
    _write(tmp_path, _example())
    assert mandatory_ids(tmp_path) == {"first_call"}
    _write(tmp_path, _example().replace("mandatory = true", "mandatory = false"))
    assert mandatory_ids(tmp_path) == frozenset()
