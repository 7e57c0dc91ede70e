"""Practice scenarios: one TOML file each under ``seeds/training/practice/``, a simulated borrower and a dialogue.

A file holds the scenario's texts in both languages, the time of the call, the role the trainee plays, the
number dialled, the borrower's data (the fields of a demo scenario, built into a sandbox by
``collectui.demo.sandbox``), what the real gate should say, the outcomes the call record should carry, and
the dialogue: turns where the borrower (or whoever answers) speaks and the trainee picks one of 2-4 options,
each with its cost and the reason shown afterwards. The format is documented in docs/training.md.

The validator refuses a file a trainee could not finish or that would teach a wrong thing: every turn must
be reachable and every path must end; a cost-0 path must lead from the first turn to the end (so a perfect
run scores 100); and no right answer, borrower line or explanation may hold a phrase of the policy's note
scan (a costly option may: it is the wrong thing to say). Errors name the file, the turn and the field.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from collectui.domain.calls.outcomes import OUTCOMES
from collectui.domain.conduct.notescan import scan
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.said import Said, said

PRACTICE_DIR = Path(__file__).resolve().parents[3] / "seeds" / "training" / "practice"
END = "end"
ROLES = ("collector", "supervisor")
SPEAKERS = ("borrower", "relative", "spouse", "employer", "colleague", "other")
KINDS = ("rule", "conversation")
RELATIONS = ("guarantor", "spouse", "relative", "emergency", "other")
LANGS = ("zh", "en")
_ID = re.compile(r"[a-z0-9_]+\Z")
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)\Z")


@dataclass(frozen=True)
class Text:
    """A text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Option:
    say: Text
    cost: int
    next: str | None  # a turn id, END, or None: the next turn in the file
    mistake: str | None  # the mistake's id when cost > 0 (counted in the trainer's report)
    kind: str | None  # rule | conversation, when cost > 0
    why: Text


@dataclass(frozen=True)
class Turn:
    id: str
    speaker: str
    minutes: int
    say: Text
    options: tuple[Option, ...]


@dataclass(frozen=True)
class PracticeScenario:
    id: str
    version: int
    mandatory: bool
    title: Text
    persona: Text
    situation: Text
    goal: Text
    at: time
    play_as: str
    dial: str  # "debtor" or a contact relation
    borrower: dict[str, Any]
    gate_expect: str  # allows | refuses
    expect_outcomes: tuple[str, ...]
    outcome_cost: int
    expect_why: Text
    turns: tuple[Turn, ...]
    path: Path

    def turn(self, turn_id: str) -> Turn:
        return next(t for t in self.turns if t.id == turn_id)

    def after(self, turn: Turn, option: Option) -> str:
        """The id of the turn that follows ``option`` of ``turn``, or END."""
        if option.next:
            return option.next
        index = self.turns.index(turn)
        return self.turns[index + 1].id if index + 1 < len(self.turns) else END


def _turn(turn_id: object) -> Said:
    """Where in the file, said in the reader's language: a turn."""
    return said("error.training.where_turn", f"turn {turn_id}", turn=turn_id)


def _option(where: str | Said, n: int) -> Said:
    """Where in the file: an option of a turn."""
    return said("error.training.where_option", f"{where} option {n}", where=where, n=n)


class _Reader:
    """Reads one file's tables, naming the file, the place and the field in every error."""

    def __init__(self, path: Path, policy: Policy) -> None:
        self.path = path
        self.rules = policy.table("rules.note_scan")

    def fail(self, where: str | Said, message: str | Said) -> InvalidInput:
        return InvalidInput(
            said(
                "error.training.scenario_field",
                f"{self.path}: {where}: {message}",
                path=self.path,
                where=where,
                message=message,
            )
        )

    def text(self, table: dict[str, Any], key: str, where: str | Said, banned_ok: bool = False) -> Text:
        value = table.get(key)
        if not isinstance(value, dict):
            raise self.fail(
                where,
                said("error.training.sc_text_table", f'{key} must be a table {{ zh = "...", en = "..." }}', field=key),
            )
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                raise self.fail(
                    where,
                    said("error.training.sc_text_empty", f"{key}.{lang} is missing or empty", field=key, lang=lang),
                )
            hits = [] if banned_ok else scan(value[lang], self.rules)
            if hits:
                raise self.fail(
                    where,
                    said(
                        "error.training.sc_text_banned",
                        f"{key}.{lang} holds the banned phrase {hits[0].phrase!r} ({hits[0].category})",
                        field=key,
                        lang=lang,
                        phrase=repr(hits[0].phrase),
                        category=hits[0].category,
                    ),
                )
        return Text(value["zh"].strip(), value["en"].strip())

    def integer(
        self, table: dict[str, Any], key: str, where: str | Said, lo: int, hi: int, default: int | None = None
    ) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(
                where,
                said(
                    "error.training.sc_integer",
                    f"{key} must be a whole number from {lo} to {hi}, got {value!r}",
                    field=key,
                    lo=lo,
                    hi=hi,
                    value=repr(value),
                ),
            )
        return value

    def choice(self, table: dict[str, Any], key: str, where: str | Said, allowed: tuple[str, ...], default: str) -> str:
        value = table.get(key, default)
        if value not in allowed:
            raise self.fail(
                where,
                said(
                    "error.training.sc_choice",
                    f"{key} must be one of {', '.join(allowed)}, got {value!r}",
                    field=key,
                    choices=", ".join(allowed),
                    value=repr(value),
                ),
            )
        return str(value)

    def option(self, raw: Any, where: str | Said) -> Option:
        if not isinstance(raw, dict):
            raise self.fail(where, said("error.training.sc_option_table", "an option must be a table"))
        cost = self.integer(raw, "cost", where, 0, 100)
        nxt = raw.get("next")
        if nxt is not None and (not isinstance(nxt, str) or not _ID.match(nxt)):
            raise self.fail(
                where,
                said(
                    "error.training.sc_next",
                    f"next must be a turn id or {END!r}, got {nxt!r}",
                    end=repr(END),
                    next=repr(nxt),
                ),
            )
        mistake = kind = None
        if cost:
            mistake = raw.get("mistake")
            if not isinstance(mistake, str) or not _ID.match(mistake):
                raise self.fail(
                    where,
                    said(
                        "error.training.sc_mistake",
                        'an option with a cost needs mistake = a short id like "disclosure"',
                    ),
                )
            kind = self.choice(raw, "kind", where, KINDS, "")
        # A wrong option may say the wrong thing (and its explanation may quote it); a right one never may.
        wrong = cost > 0
        return Option(
            self.text(raw, "say", where, banned_ok=wrong), cost, nxt, mistake, kind, self.text(raw, "why", where, wrong)
        )

    def turn(self, raw: Any, n: int) -> Turn:
        if not isinstance(raw, dict):
            raise self.fail(_turn(n), said("error.training.sc_turn_table", "a turn must be a table"))
        turn_id = raw.get("id")
        if not isinstance(turn_id, str) or not _ID.match(turn_id) or turn_id == END:
            raise self.fail(
                _turn(n),
                said(
                    "error.training.sc_turn_id",
                    f"id must be a short id of a-z, 0-9 and _ (not {END!r}), got {turn_id!r}",
                    end=repr(END),
                    turn_id=repr(turn_id),
                ),
            )
        where = _turn(turn_id)
        options = raw.get("option")
        if not isinstance(options, list) or not 2 <= len(options) <= 4:
            raise self.fail(where, said("error.training.sc_turn_options", "a turn needs 2 to 4 [[turn.option]] tables"))
        parsed = tuple(self.option(o, _option(where, i)) for i, o in enumerate(options, start=1))
        if all(o.cost for o in parsed):
            raise self.fail(
                where, said("error.training.sc_turn_right", "at least one option must cost 0 (a right answer)")
            )
        return Turn(
            turn_id,
            self.choice(raw, "speaker", where, SPEAKERS, "borrower"),
            self.integer(raw, "minutes", where, 0, 60, default=1),
            self.text(raw, "say", where),
            parsed,
        )


def _check_graph(reader: _Reader, turns: tuple[Turn, ...], sc_after: Any) -> None:
    """Every ``next`` exists, every turn is reachable, every path ends, and a cost-0 path reaches the end."""
    ids = [t.id for t in turns]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise reader.fail(_turn(dup), said("error.training.sc_turn_unique", "turn ids must be unique"))
    for t in turns:
        for n, o in enumerate(t.options, start=1):
            if o.next is not None and o.next != END and o.next not in ids:
                raise reader.fail(
                    _option(_turn(t.id), n),
                    said("error.training.sc_next_unknown", f"next names no turn: {o.next!r}", next=repr(o.next)),
                )
    by_id = {t.id: t for t in turns}
    seen: set[str] = set()
    todo = [turns[0].id]
    while todo:
        current = todo.pop()
        if current == END or current in seen:
            continue
        seen.add(current)
        todo += [sc_after(by_id[current], o) for o in by_id[current].options]
    unreachable = [i for i in ids if i not in seen]
    if unreachable:
        raise reader.fail(_turn(unreachable[0]), said("error.training.sc_unreachable", "no option leads to this turn"))
    # Every path ends: no cycle among the turns (a dialogue that could go round for ever).
    state: dict[str, int] = {}

    def visit(turn_id: str) -> None:
        if turn_id == END or state.get(turn_id) == 2:
            return
        if state.get(turn_id) == 1:
            raise reader.fail(
                _turn(turn_id),
                said("error.training.sc_loop", "the dialogue can loop back to this turn; every path must end"),
            )
        state[turn_id] = 1
        for o in by_id[turn_id].options:
            visit(sc_after(by_id[turn_id], o))
        state[turn_id] = 2

    visit(turns[0].id)
    current = turns[0].id
    while current != END:  # no cycles, so the perfect path ends
        turn = by_id[current]
        current = sc_after(turn, next(o for o in turn.options if o.cost == 0))


def load_practice(path: Path, policy: Policy) -> PracticeScenario:
    """The scenario in ``path``; raises InvalidInput naming the file, the turn and the field."""
    reader = _Reader(path, policy)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InvalidInput(
            said("error.training.scenario_missing", f"{path}: practice scenario file not found", path=path)
        ) from None
    except tomllib.TOMLDecodeError as exc:  # its message carries the line and column
        raise InvalidInput(
            said("error.training.scenario_toml", f"{path}: not valid TOML: {exc}", path=path, exc=str(exc))
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(said("error.training.scenario_not_utf8", f"{path}: not UTF-8 text", path=path)) from None
    sc_id = data.get("id")
    if not isinstance(sc_id, str) or not _ID.match(sc_id) or sc_id != path.stem:
        raise reader.fail(
            "id",
            said(
                "error.training.sc_id",
                f"id must be the file name without .toml ({path.stem!r}), got {sc_id!r}",
                stem=repr(path.stem),
                sc_id=repr(sc_id),
            ),
        )
    at = data.get("at")
    if not isinstance(at, str) or not _HHMM.match(at):
        raise reader.fail(
            "at",
            said("error.training.sc_at", f"at must be the local time of the call as HH:MM, got {at!r}", at=repr(at)),
        )
    borrower = data.get("borrower")
    if not isinstance(borrower, dict):
        raise reader.fail(
            "borrower",
            said("error.training.sc_borrower", "a [borrower] table is required (the fields of a demo scenario)"),
        )
    contacts = borrower.get("contacts", [])
    dial = data.get("dial", "debtor")
    if dial != "debtor" and (dial not in RELATIONS or dial not in contacts):
        raise reader.fail(
            "dial",
            said(
                "error.training.sc_dial",
                f'dial must be "debtor" or a relation in borrower.contacts, got {dial!r}',
                dial=repr(dial),
            ),
        )
    gate = data.get("gate", {})
    expect = data.get("expect", {})
    if not isinstance(gate, dict) or not isinstance(expect, dict):
        raise reader.fail("gate", said("error.training.sc_gate_expect", "[gate] and [expect] must be tables"))
    gate_expect = reader.choice(gate, "expect", "gate", ("allows", "refuses"), "allows")
    outcomes = expect.get("outcomes", [])
    if not isinstance(outcomes, list) or any(o not in OUTCOMES for o in outcomes):
        raise reader.fail(
            "expect",
            said(
                "error.training.sc_outcomes",
                f"outcomes must be call outcome codes ({', '.join(OUTCOMES)}), got {outcomes!r}",
                codes=", ".join(OUTCOMES),
                outcomes=repr(outcomes),
            ),
        )
    if gate_expect == "allows" and not outcomes:
        raise reader.fail(
            "expect",
            said(
                "error.training.sc_outcomes_empty", "outcomes: name at least one outcome the call record should carry"
            ),
        )
    raw_turns = data.get("turn", [])
    if not isinstance(raw_turns, list):
        raise reader.fail("turn", said("error.training.sc_turns", "turns are [[turn]] tables"))
    turns = tuple(reader.turn(t, n) for n, t in enumerate(raw_turns, start=1))
    if gate_expect == "allows" and not turns:
        raise reader.fail(
            "turn", said("error.training.sc_turns_needed", "a call the gate allows needs at least one [[turn]]")
        )
    version = reader.integer(data, "version", "version", 1, 10_000)
    mandatory = data.get("mandatory", False)
    if not isinstance(mandatory, bool):
        raise reader.fail("mandatory", said("error.training.sc_mandatory", "mandatory must be true or false"))
    hours, minutes = at.split(":")
    scenario = PracticeScenario(
        id=sc_id,
        version=version,
        mandatory=mandatory,
        title=reader.text(data, "title", "title"),
        persona=reader.text(data, "persona", "persona"),
        situation=reader.text(data, "situation", "situation"),
        goal=reader.text(data, "goal", "goal"),
        at=time(int(hours), int(minutes)),
        play_as=reader.choice(data, "play_as", "play_as", ROLES, "collector"),
        dial=str(dial),
        borrower=borrower,
        gate_expect=gate_expect,
        expect_outcomes=tuple(outcomes),
        outcome_cost=reader.integer(expect, "outcome_cost", "expect", 0, 100, default=20),
        expect_why=reader.text(expect, "why", "expect"),
        turns=turns,
        path=path,
    )
    if turns:
        _check_graph(reader, turns, scenario.after)
    for key in ("reminder_hours_ago", "attempts_today"):
        reader.integer(borrower, key, "borrower", -1 if key == "reminder_hours_ago" else 0, 24 * 3, default=0)
    return scenario


def practice_scenarios(policy: Policy, folder: Path | None = None) -> list[PracticeScenario]:
    """Every scenario file in ``folder`` (default the shipped ones), sorted by id; the first bad file raises."""
    folder = folder or PRACTICE_DIR
    return [load_practice(p, policy) for p in sorted(folder.glob("*.toml"))]


def mandatory_ids(folder: Path | None = None) -> frozenset[str]:
    """The ids of the scenarios marked ``mandatory`` (read once per change of the folder's files: saving every
    practice result asks, and validating twelve files each time cost more than the save itself)."""
    folder = folder or PRACTICE_DIR
    stamps = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.toml")))
    return _mandatory(folder, stamps)


@functools.lru_cache(maxsize=8)
def _mandatory(folder: Path, stamps: tuple[tuple[str, int, int], ...]) -> frozenset[str]:
    found = set()
    for name, _, _ in stamps:
        try:
            with open(folder / name, "rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            continue  # a broken file is named by whoever plays or checks it, not here
        if data.get("mandatory") is True and isinstance(data.get("id"), str):
            found.add(data["id"])
    return frozenset(found)


def find_practice(policy: Policy, scenario_id: str, folder: Path | None = None) -> PracticeScenario:
    for scenario in practice_scenarios(policy, folder):
        if scenario.id == scenario_id:
            return scenario
    raise InvalidInput(
        said("error.training.no_scenario", f"no practice scenario {scenario_id!r}", scenario_id=repr(scenario_id))
    )
