"""Talk scripts: the shipped file, every way a file is refused, the note scan on every line, the situation
a call is in (choose), placeholders, the policy key scripts.file, and a call's facts (calls.talk)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from collectui.domain.calls import talk
from collectui.domain.conduct import scripts as sc
from collectui.domain.conduct.scripts import SHIPPED_FILE, SITUATIONS, choose, load_scripts, parse_scripts, render
from collectui.domain.errors import InvalidInput, PermissionDenied
from collectui.domain.policy import Policy, policy_from_dict
from collectui.domain.portfolio.refresh import run as refresh
from tests.support.calls import at, calls_policy, log, seed, set_customer
from tests.support.cli import actor_of
from tests.support.sms import add_message

SHIPPED = SHIPPED_FILE.read_text(encoding="utf-8")


def problems_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "s.toml"
    with pytest.raises(InvalidInput) as caught:
        parse_scripts(text, path)
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), 1) if needle in row)


# --- the shipped file --------------------------------------------------------------------------------------
def test_the_shipped_file_loads_with_every_situation_in_both_languages():
    scripts = load_scripts()
    assert scripts.version == "2026.1"
    assert tuple(scripts.situations) == SITUATIONS
    for sid in SITUATIONS:
        for lang in ("zh", "en"):
            assert scripts.title(sid, lang).strip()
            assert 3 <= len(scripts.lines(sid, lang)) <= 8
    assert scripts.situations["opening"].first_contact["zh"]


def test_the_shipped_file_passes_the_note_scan_of_the_default_policy():
    assert sc.check_scripts(load_scripts(), Policy()) == []


def test_the_shipped_file_says_what_a_good_collector_says():
    s = load_scripts()
    opening = " ".join(s.lines("opening", "zh"))
    assert "{bank}" in opening and "{collector}" in opening and "录音" in opening
    assert "{amount}" in " ".join(s.lines("state_amount", "en")) and "{due_date}" in " ".join(
        s.lines("state_amount", "en")
    )
    third = " ".join(s.lines("third_party", "zh") + s.lines("third_party", "en"))
    assert "{amount}" not in third and "{due_date}" not in third  # never the debt to someone else
    closing = " ".join(s.lines("closing", "en"))
    assert "branch counter" in closing and "mobile banking app" in closing and "direct debit" in closing


# --- every way a file is refused ---------------------------------------------------------------------------
def test_a_toml_error_names_line_and_column(tmp_path):
    with pytest.raises(InvalidInput, match=r"not valid TOML: .*line 2, column"):
        parse_scripts('version = "1"\n[opening\n', tmp_path / "s.toml")


@pytest.mark.parametrize(
    "change, expected",
    [
        (('version = "2026.1"', ""), 'version: missing (a text such as "2026.1")'),
        (("[angry]", "[furious]"), "[furious]: unknown situation"),
        (("[angry]", "[furious]"), "[angry]: missing"),
        (('title = { zh = "开场", en = "Opening" }', 'title = { zh = "开场" }'), "[opening] title: expected"),
        (
            ('title = { zh = "开场", en = "Opening" }', 'title = { zh = " ", en = "Opening" }'),
            "[opening] title.zh: empty",
        ),
        (('lines.en = [\n  "Hello, my name', 'lines.english = [\n  "Hello, my name'), "[opening] lines.en: missing"),
        (
            ('lines.en = [\n  "Hello, my name', 'lines.english = [\n  "Hello, my name'),
            "[opening] lines.english: unknown",
        ),
        (("first_contact.en", "first_call.en"), "[opening] first_call: unknown key"),
        (("我理解，谢谢您跟我说实话。", "  "), "cannot_pay [zh] line 1: empty"),
        (("我理解，谢谢您跟我说实话。", "{amount"), "cannot_pay [zh] line 1: a lone { or }"),
        (("我理解，谢谢您跟我说实话。", "您的手机号{phone}"), "cannot_pay [zh] line 1: unknown placeholder {phone}"),
        (("我理解，谢谢您跟我说实话。", "x" * 301), "cannot_pay [zh] line 1: longer than 300 characters"),
        (("我理解，谢谢您跟我说实话。", "\\u001b[31m红色"), "cannot_pay [zh] line 1: holds control characters"),
        (
            ("前几天本行给您发过", "{name}前几天本行给您发过"),
            "opening [zh] first_contact line 1: unknown placeholder {name}",
        ),
    ],
)
def test_every_problem_is_named(tmp_path, change, expected):
    old, new = change
    assert SHIPPED.count(old) >= 1, old
    found = problems_of(SHIPPED.replace(old, new, 1), tmp_path)
    assert any(expected in p for p in found), found


def test_too_few_and_too_many_lines(tmp_path):
    few = SHIPPED.replace('  "谢谢您接听，再见。",\n', "").replace(
        '  "欠款本身不会因此消失，您可以通过其他方式和本行联系。",\n', ""
    )
    assert any("[stop_calling] lines.zh: 2 lines (expected 3-8)" in p for p in problems_of(few, tmp_path))
    many = SHIPPED.replace('  "谢谢您接听，再见。",\n', '  "谢谢您接听，再见。",\n' * 6)
    assert any("[stop_calling] lines.zh: 9 lines (expected 3-8)" in p for p in problems_of(many, tmp_path))


def test_a_problem_names_the_line_of_the_file(tmp_path):
    text = SHIPPED.replace("我理解，谢谢您跟我说实话。", "我理解{who}", 1)
    found = problems_of(text, tmp_path)
    assert found == [f"{tmp_path / 's.toml'}:{line_of(text, '我理解{who}')}: cannot_pay [zh] line 1: "
                     "unknown placeholder {who} (known: bank, hotline, collector, amount, due_date)"]  # fmt: skip


def test_files_that_are_no_scripts_file(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        load_scripts(tmp_path / "none.toml")
    with pytest.raises(InvalidInput, match="a folder"):
        load_scripts(tmp_path)
    (tmp_path / "bin.toml").write_bytes(b"version = \x00")
    with pytest.raises(InvalidInput, match="binary"):
        load_scripts(tmp_path / "bin.toml")
    (tmp_path / "gbk.toml").write_bytes(SHIPPED.encode("gb18030"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        load_scripts(tmp_path / "gbk.toml")


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(SHIPPED, encoding="utf-8")
    assert load_scripts(path).version == "2026.1"
    path.write_text(SHIPPED.replace('version = "2026.1"', 'version = "2027.1-bank"'), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # another stamp, whatever the file system's clock resolution
    assert load_scripts(path).version == "2027.1-bank"


# --- the note scan on every line ---------------------------------------------------------------------------
def test_a_banned_phrase_is_named_with_situation_language_line_and_phrase(tmp_path):
    text = SHIPPED.replace("您慢慢说，", "再不还就让你坐 牢，", 1).replace(
        "Thank you for passing that on.", "Or we tell your employer.", 1
    )
    scripts = parse_scripts(text, tmp_path / "s.toml")
    found = sc.check_scripts(scripts, Policy())
    assert found == [
        f"{tmp_path / 's.toml'}:{line_of(text, '坐 牢')}: angry [zh] line 2: holds the banned phrase '坐牢' (threats)",
        f"{tmp_path / 's.toml'}:{line_of(text, 'tell your employer')}: third_party [en] line 3: "
        "holds the banned phrase 'tell your employer' (disclosure)",
    ]


def test_titles_and_first_contact_lines_are_scanned_too_and_the_policys_own_phrases_apply(tmp_path):
    text = SHIPPED.replace('en = "Closing"', 'en = "Closing, idiot"').replace("温馨提示短信", "温馨提示短信（勿外传）")
    scripts = parse_scripts(text, tmp_path / "s.toml")
    policy = policy_from_dict({"rules": {"note_scan": {"disclosure": [*Policy().data["rules"]["note_scan"]["disclosure"], "勿外传"]}}}, floors=False)  # fmt: skip
    found = sc.check_scripts(scripts, policy)
    assert any("closing [en] title: holds the banned phrase 'idiot'" in p for p in found)
    assert any("opening [zh] first_contact line 1: holds the banned phrase '勿外传'" in p for p in found)


def test_phrases_apply_even_where_the_scan_of_notes_is_off(tmp_path):
    scripts = parse_scripts(SHIPPED.replace("您慢慢说，", "坐牢，", 1), tmp_path / "s.toml")
    assert sc.phrase_problems(scripts, {**Policy().data["rules"]["note_scan"], "enabled": False})


def test_a_phrase_split_over_two_lines_is_no_hit(tmp_path):
    text = SHIPPED.replace("谢谢您接听，再见。", "坐", 1).replace(
        '  "好的，我尊重您的要求', '  "牢好的，我尊重您的要求', 1
    )
    assert sc.check_scripts(parse_scripts(text, tmp_path / "s.toml"), Policy()) == []


# --- the policy key scripts.file ---------------------------------------------------------------------------
def test_a_bank_file_with_a_banned_phrase_is_refused_by_the_policy_naming_the_line(tmp_path):
    path = tmp_path / "bank.toml"
    text = SHIPPED.replace("您慢慢说，", "您再不还就要坐牢，", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        policy_from_dict({"scripts": {"file": str(path)}})
    assert caught.value.problems == [
        f"scripts.file: {path}:{line_of(text, '坐牢')}: angry [zh] line 2: holds the banned phrase '坐牢' (threats) "
        "(`collectui scripts check FILE` lists every problem)"
    ]
    path.write_text(SHIPPED, encoding="utf-8")
    assert policy_from_dict({"scripts": {"file": str(path)}}).text("scripts.file") == str(path)


def test_the_policy_refuses_a_relative_or_missing_file_and_phrases_the_shipped_file_holds(tmp_path):
    with pytest.raises(InvalidInput, match="scripts.file: must be an absolute path"):
        policy_from_dict({"scripts": {"file": "scripts.toml"}})
    with pytest.raises(InvalidInput, match="no such file"):
        policy_from_dict({"scripts": {"file": str(tmp_path / "none.toml")}})
    # A bank banning a word the shipped scripts use must bring scripts of its own.
    insults = [*Policy().data["rules"]["note_scan"]["insults"], "官方渠道"]
    with pytest.raises(InvalidInput, match="closing \\[zh\\] line 1: holds the banned phrase '官方渠道'"):
        policy_from_dict({"rules": {"note_scan": {"insults": insults}}})


# --- which situation ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "outcome, third_party, vulnerable, expected",
    [
        (None, False, False, ["opening", "verify_identity", "state_amount"]),
        (None, False, True, ["vulnerable", "opening", "verify_identity", "state_amount"]),
        (None, True, False, ["third_party"]),
        ("third_party", False, False, ["third_party"]),
        ("wrong_number", False, True, ["third_party"]),
        ("callback", True, False, ["third_party"]),
        ("no_answer", False, False, []),
        ("busy", True, False, []),
        ("hardship", False, False, ["cannot_pay", "promise_or_plan"]),
        ("hardship", False, True, ["cannot_pay", "vulnerable", "promise_or_plan"]),
        ("dispute", False, False, ["not_mine"]),
        ("claims_paid", False, False, ["not_mine"]),
        ("cease_request", False, False, ["stop_calling"]),
        ("cease_request", False, True, ["stop_calling", "vulnerable"]),
        ("refuses", False, False, ["angry"]),
        ("hung_up", False, False, ["angry"]),
        ("promise_to_pay", False, False, ["promise_or_plan", "closing"]),
        ("partial_payment", False, False, ["promise_or_plan", "closing"]),
        ("callback", False, False, ["closing"]),
    ],
)
def test_choose(outcome, third_party, vulnerable, expected):
    assert choose(outcome, third_party, "M1", True, vulnerable) == expected


def test_every_outcome_has_a_choice_and_late_buckets_add_nothing_harsher():
    from collectui.domain.calls.outcomes import OUTCOMES

    for outcome in (None, *OUTCOMES):
        for tp in (False, True):
            early = choose(outcome, tp, "M1", False, False)
            assert all(s in SITUATIONS for s in early)
            for bucket in ("M3", "M4", "M6+"):
                assert choose(outcome, tp, bucket, False, False) == early
    with pytest.raises(ValueError, match="unknown outcome"):
        choose("threatened", False, "M1", False, False)


def test_the_first_contact_adds_the_reminder_sms_to_the_opening():
    s = load_scripts()
    plain, first = s.lines("opening", "zh"), s.lines("opening", "zh", first_contact=True)
    assert len(first) == len(plain) + 1 and first[0] == plain[0] and "温馨提示短信" in first[1]
    assert s.lines("closing", "en", first_contact=True) == s.lines("closing", "en")


def test_render_fills_known_values_and_keeps_the_others_visible():
    lines = ["您好，我是{bank}的{collector}。", "逾期{amount}元，应还日{due_date}。"]
    assert render(lines, {"bank": "示例村镇银行", "collector": "王芳", "amount": "5,100.00"}) == [
        "您好，我是示例村镇银行的王芳。",
        "逾期5,100.00元，应还日{due_date}。",
    ]


# --- a call's facts and the scripts in force (calls.talk) ---------------------------------------------------
@pytest.fixture
def sctx(ctx):
    seed(ctx)
    ctx.policy = calls_policy()  # the reminder SMS aside: its rule has its own tests
    refresh.refresh(ctx, ["C1"])
    return ctx


def test_call_facts_of_a_first_call_then_a_repeat(sctx):
    amy = actor_of(sctx, "amy")
    facts = talk.call_facts(sctx, amy, "C1")
    assert (facts.bucket, facts.vulnerable, facts.first_contact) == ("M2", False, True)
    assert not facts.reminder_sent and not facts.mention_reminder  # the opening says nothing of an SMS never sent
    add_message(sctx, "C1", "delivered", at(27, 9).date(), sent_at=at(27, 9))
    assert talk.call_facts(sctx, amy, "C1").mention_reminder is True
    assert facts.values == {"bank": "示例村镇银行", "hotline": "0000-00000000", "collector": "amy",
                            "amount": "5,100.00", "due_date": "2026-10-01"}  # fmt: skip
    assert log(sctx, "amy", "no_answer", when=at(25, 10)).saved
    repeat = talk.call_facts(sctx, amy, "C1")
    assert repeat.first_contact is False and repeat.mention_reminder is False  # 3 days ago: the same cycle
    # Seven days after the last attempt a new cycle starts (sms.cycle_gap_days).
    assert talk.call_facts(sctx, amy, "C1", before=at(25, 10) + timedelta(days=7)).first_contact is True
    set_customer(sctx, vulnerable=True)
    assert talk.call_facts(sctx, amy, "C1").vulnerable is True


def test_the_scripts_in_force_follow_the_policy_and_are_checked_again(sctx, tmp_path):
    amy = actor_of(sctx, "amy")
    assert talk.scripts_in_force(sctx, amy).path == SHIPPED_FILE
    path = tmp_path / "bank.toml"
    path.write_text(SHIPPED, encoding="utf-8")
    sctx.policy = policy_from_dict({"scripts": {"file": str(path)}, "rules": {"sms_notice": {"enabled": False}}})
    assert talk.scripts_in_force(sctx, amy).path == path
    path.write_text(SHIPPED.replace("您慢慢说，", "坐牢，", 1), encoding="utf-8")  # changed after it was applied
    os.utime(path, ns=(2, 2))
    with pytest.raises(InvalidInput, match="angry \\[zh\\] line 2: holds the banned phrase '坐牢'"):
        talk.scripts_in_force(sctx, amy)
    scripts, problems = talk.check_file(sctx, amy)
    assert scripts is not None and len(problems) == 1


def test_only_who_may_read_the_policy_gets_the_scripts(sctx):
    from dataclasses import replace

    nobody = replace(actor_of(sctx, "amy"), role="trainee_of_nothing")
    with pytest.raises(PermissionDenied):
        talk.scripts_in_force(sctx, nobody)


def test_a_refused_attempt_does_not_end_the_first_contact(sctx):
    sctx.policy = Policy()  # the reminder SMS rule on: no reminder went out, so the gate refuses
    refused = log(sctx, "amy", "no_answer", when=at(27, 10))
    assert not refused.saved and refused.refused_attempt_id is not None
    assert talk.call_facts(sctx, actor_of(sctx, "amy"), "C1").first_contact is True


def test_a_problem_with_a_situation_names_its_header_line(tmp_path):
    text = SHIPPED.replace('title = { zh = "开场", en = "Opening" }', 'title = { zh = "开场" }')
    found = problems_of(text, tmp_path)
    assert found[0].startswith(f"{tmp_path / 's.toml'}:{line_of(text, '[opening]')}: [opening] title: expected")
