"""The policy reference (docs/admin/policy.md), generated from ``collectui.domain.policy.DEFAULTS``.

Every policy key needs a human meaning in ``POLICY_MEANINGS``; a meaning for a key that no longer exists is
an error too, so the reference cannot drift from the defaults.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence

from collectui.domain.policy import DEFAULTS
from collectui.domain.policy_floors import floor_table

REGENERATE = "python -m collectui.cli.reference"


# One meaning per policy setting. A key names a leaf (`sms.window`) or a table whose leaves are described
# together (`rules.call_window`: enabled, start, end). Links are relative to docs/admin/.
POLICY_MEANINGS: dict[str, str] = {
    "timezone": 'zone for call windows, "today" and every local day (reports, deadlines, the SMS window)',
    "bank_name": "the bank's name, `{bank}` in the SMS templates (`sms templates check` warns while it is the sample)",
    "hotline": "the bank's hotline, `{hotline}` in the SMS templates (`sms templates check` warns while it is the sample)",
    "ranking.dpd_points_per_day": "points per day past due of the worst loan",
    "ranking.dpd_cap_days": "days past due beyond this add nothing (the loss class)",
    "ranking.amount_points_per_tenfold": "points per tenfold of the overdue amount in yuan (log10)",
    "ranking.broken_promise_points": "points per broken promise in the lookback window",
    "ranking.broken_promise_max": "broken promises counted at most",
    "ranking.broken_promise_lookback_days": "window for broken promises (days before today)",
    "ranking.no_contact_points_per_day": "points per day since the last right-party contact",
    "ranking.no_contact_cap_days": "days since the last right-party contact counted at most",
    "ranking.never_contacted_points": "points when nobody has reached the borrower yet",
    "promises.grace_days": "a promise is judged this many days after its date",
    "promises.horizon_days": "latest promise date a collector may accept, counted from the call's day",
    "plans.horizon_days": "latest instalment date of a payment plan, counted from the plan's day (the call's day)",
    "plans.approval_amount_yuan": "a payment plan whose total is above this many yuan needs a supervisor's approval",
    "plans.approval_instalments": "a payment plan with more instalments than this needs a supervisor's approval",
    "calls.late_entry_minutes": "how far back `call log --at` may go; an earlier start is a late entry, "
    "logged by a supervisor with a reason and counted in the compliance report",
    "calls.callback_horizon_days": "a `callback` outcome's time: inside the call window, at most this many days ahead",
    "masking.name": "names: keep `first` and `last` characters, star the rest: `李**`",
    "masking.mobile": "mobile numbers: `138****1234`",
    "masking.landline": "landline numbers (with area code): keep `first` and `last` digits",
    "masking.id_number": "resident ID numbers: `1*************1234` (the last 4 are what a collector asks to confirm)",
    "masking.account": "bank account and card numbers: `************2631`",
    "masking.other": "any other personal field: keep these fractions of its characters at the start and end",
    "rules.call_window": (
        "no calls outside these local hours; the borrower's `consent_hours` replace them (CBA 2026, GB/T 45251-2025)"
    ),
    "rules.invalid_number": "refuse a number marked invalid, until an import or a supervisor marks it valid",
    "rules.daily_attempts": "unanswered attempts a day to one number (CBA 2026)",
    "rules.daily_conversations": (
        "right-party conversations a day with one borrower, all staff together (GB/T 45251-2025)"
    ),
    "rules.do_not_call": (
        "refuse calls to a borrower who asked not to be called (and to their contacts), or to a contact "
        "who refused further calls (GB/T 45251-2025)"
    ),
    "rules.dispute_hold": "refuse calls while the borrower has an open dispute",
    "rules.complaint_hold": (
        "refuse calls while a collection complaint holds the borrower, until a supervisor clears it "
        "(2020 投诉处理管理办法)"
    ),
    "rules.promise_pending": "refuse calls while an open promise's date has not passed",
    "rules.plan_active": (
        "refuse calls while an active payment plan is being kept, until its last instalment's date "
        "([payment plans](../plans.md))"
    ),
    "rules.third_party_not_allowed": (
        "third parties only after this many failed attempts in a row on the borrower's own number, or an "
        "invalid number (CBA 2026)"
    ),
    "rules.vulnerable_senior_only": "the roles that may call a vulnerable borrower (FCA CONC 7.2, a model)",
    "rules.in_call": "another collector's call started this recently blocks a second one",
    "rules.certified": (
        "only staff certified by training may call: the quiz and the mandatory practice calls passed, or a "
        "certification a trainer recorded (`training certify`), within `valid_days`; `roles` must be certified "
        "(see [Training](../training.md#certification))"
    ),
    "rules.cycle_interval": ("warning: a new collection cycle sooner than this after the last call (GB/T 45251-2025)"),
    "rules.sms_notice": (
        "the first call of a cycle needs a reminder sent between T - max_age_days and T - min_lead_hours "
        "(see [Reminder SMS](sms.md#the-gate-rule-sms_notice))"
    ),
    "rules.note_scan.enabled": "scan call notes for the phrases below",
    "rules.note_scan.threats": (
        "threats: a note holding one is refused; compared after normalising width, case and spaces (CBA 2026)"
    ),
    "rules.note_scan.insults": "insults: a note holding one is refused (CBA 2026)",
    "rules.note_scan.disclosure": ("disclosure of the debt to others: a note holding one is refused (CBA 2026)"),
    "rules.note_scan.unofficial_channels": (
        "repayment outside the bank's official channels: a note holding one is refused (NIFA 2018 art. 19)"
    ),
    "sms.gateway": "`file` (batches in a folder) or `http` (the platform's API)",
    "sms.window": "sending hours, start included, end excluded, policy time zone",
    "sms.resend_days": "no second reminder to a borrower within this many days",
    "sms.segment_chars": "characters in one SMS segment (Chinese text)",
    "sms.max_segments": "a reminder may be at most `max_segments` x `segment_chars` long",
    "sms.cycle_gap_days": "a collection cycle starts with the first attempt after this many days without one",
    "sms.templates.zh": (
        "the reminder in Chinese (the one sent); placeholders `{masked_name}`, `{overdue_amount}`, "
        "`{due_date}`, `{bank}`, `{hotline}` (see [Reminder SMS](sms.md#templates))"
    ),
    "sms.templates.en": "the reminder in English; the same placeholders",
    "sms.http.url": 'the platform\'s endpoint (`http://` or `https://`); needed for `gateway = "http"`',
    "sms.http.timeout_s": "seconds per request",
    "sms.http.max_attempts": "failed requests, over all runs, before a message becomes `failed`",
    "sms.http.backoff_s": "wait after a failed request, doubled for each failure in a row (at most 30 s)",
    "sms.file.outbox": "folder for the batches; a relative path is beside the database",
    "complaints.due_days": "a complaint's decision is due this many days after the day it was opened",
    "complaints.extended_days": "due day after one `complaint extend` (complex case), from the opening day",
    "complaints.hold_about": "complaint subjects that put the borrower on `complaint_hold`",
    "disputes.answer_days": "the bank's answer to a dispute is due this many days after the day it was opened; "
    "later, the dispute is overdue (dashboard, `report compliance`)",
    "disputes.answer_sms.zh": "the `dispute_answer` SMS (`dispute resolve --rejected --told-by sms`), Chinese: "
    "placeholders {bank}, {hotline}, {opened_on}; no name, masked or not",
    "disputes.answer_sms.en": "the `dispute_answer` SMS in English; the same placeholders",
    "sessions.idle_minutes": "a `collectui login` session unused for this many minutes is over (sign in again)",
    "sessions.absolute_hours": "every `collectui login` session ends this many hours after sign-in, used or not",
    "training.pass_score": "a practice call passes with at least this score out of 100",
    "training.quiz_pass_percent": "the training quiz passes with at least this percent of right answers",
    "training.quiz_questions": "questions drawn at random for one training quiz",
    "storage.write_wait_seconds": "a command that writes waits this long for another writer (a long import) to finish, "
    "saying how long it has waited; then it gives up having changed nothing",
    "scripts.file": "the bank's own talk scripts shown during calls: an absolute path, or empty for the shipped "
    "seeds/scripts/scripts.toml; refused unless the file loads and no line holds a phrase of the note-scan lists "
    "(see [Talk scripts](../training.md#talk-scripts))",
}

# A policy file for the reference: checked by the tests against the validators.
EXAMPLE_POLICY = """\
# policy.toml: only the keys that differ from the defaults
bank_name = "某某村镇银行"
hotline = "0931-12345678"

[rules.call_window]
start = "09:00"
end = "21:00"

[masking.mobile]
first = 3
last = 2
"""

_POLICY_INTRO = f"""\
# Policy reference

<!-- Generated by `{REGENERATE}` from collectui.domain.policy. Do not edit by hand. -->

Every rule figure, ranking weight and masking rule is a setting of the policy. A policy file is TOML holding
only the keys it changes; everything else keeps its default.

## Where the policy lives: the database, in versions

The policy in force is stored in the database, so every PC on it works under the same rules and nobody
changes them by editing a file:

- A file to start from: `collectui policy show > policy.toml` writes the policy in force (every key, as
  TOML); edit it, or keep only the keys you change.
- `collectui policy check FILE` validates a file and names every problem (exit 0 valid, 1 otherwise).
- `collectui policy apply FILE --reason TEXT` (admins) stores the file as the next version, in force at once,
  after the same checks as `policy check` (the very text already in force is refused: "this policy is
  already in force (version N)"); it keeps the text, its SHA-256, who applied it, when and why, and
  audits `policy.apply` (with the version, the previous one, the hash, the reason and the keys that changed).
- `collectui policy show [--version N]` prints the policy in force (or version N) merged over the defaults,
  as TOML; `collectui policy history [--format json]` lists every version: number, when, who, hash, reason
  (the hash shortened to 12 characters, as `policy apply` prints it; the JSON has it whole).
- Nothing applied yet is version 0: the built-in defaults. Every call, refusal, SMS and `access.denied`
  audit event says in its details which version it ran under (`"policy": 3`), and so does `collectui check
  --format json`;
  `report compliance` lists the versions applied in its window.

`--policy FILE` (env `COLLECTUI_POLICY`) runs one command under a file instead of the stored policy, on
demo, practice and test databases only (in their audit events the version is `-1`: a file, not stored). On
a production database it is refused in one line, except by `collectui policy check`, which checks that file.
A missing or invalid `--policy` file is an error in one line (exit 2). A `policy.toml` beside the database
is not read.

## What is checked

- Unknown keys, wrong types and impossible values are errors that name the key; an integer is accepted where
  a number is expected.
- Every key but the `enabled` switches is checked beyond its type: numbers are finite and within a range
  (ranking weights 0 to 1000, day counts within ten years, masking counts not negative), times of day parse
  (`HH:MM`, windows `HH:MM-HH:MM`), texts are non-empty, bounded and free of control characters, roles and
  complaint subjects are known, note-scan phrases still say something once normalised, `sms.http.url` is an
  `http(s)://` address, and `sms.file.outbox` is a folder collectui may write: relative (beside the
  database, no `..`), or an absolute folder that is not a system folder (`/etc`, `/usr`, ...) nor a file.
- Across keys: `rules.call_window.start` must be before `end`; `rules.sms_notice.min_lead_hours` must be
  less than `max_age_days` x 24; `complaints.extended_days` not before `due_days`; `sms.http.url` is needed
  when `sms.gateway = "http"`; `masking.other` keeps at most the whole text.
- A file that is not a policy is refused in one line: binary, not UTF-8, larger than 256 KB, nested deeper
  than 16 levels, or not TOML (the line and column are named).
- The floors below.
- A gate rule that is enabled but has no check in this version refuses every call.
- Changed ranking, promise or time-zone settings re-rank the whole work list on its next use.

## Floors no policy can relax

A policy may tighten any rule; it may not go below these limits of the law or of the bank's masking
standard. A file that relaxes one is refused by `policy check` and `policy apply`, each breach named with the
file, the key, the value and the floor. A stored version that a newer collectui finds below a floor is
refused when commands start (apply a corrected one).

{{FLOORS}}

The sources are in [domain facts](../domain.md); the rules are explained in
[Calls and the compliance gate](../calls.md) and [Reminder SMS](sms.md).

An example:

```toml
{EXAMPLE_POLICY}```
"""


def _floors_markdown() -> str:
    rows = ["| key | floor | source |", "|---|---|---|"]
    rows += [f"| `{key}` | {rule} | {_cell(source)} |" for key, rule, source in floor_table()]
    return "\n".join(rows)


_SECTION_TITLES: dict[str, str] = {
    "": "General",
    "ranking": "Ranking: the work list's score",
    "promises": "Promises to pay",
    "calls": "Logging calls",
    "masking": "Masking",
    "rules": "Gate rules and the note scan",
    "sms": "Reminder SMS",
    "complaints": "Complaints",
    "plans": "Payment plans",
    "disputes": "Disputes",
    "sessions": "Login sessions",
    "training": "Training",
    "storage": "The database file",
}


def _leaves(node: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _leaves(value, f"{path}.")
        else:
            yield path, value


def _tables(node: Mapping[str, object], prefix: str = "") -> Iterator[str]:
    for key, value in node.items():
        if isinstance(value, Mapping):
            yield f"{prefix}{key}"
            yield from _tables(value, f"{prefix}{key}.")


def _covering(leaf: str, meanings: Mapping[str, str]) -> list[str]:
    parts = leaf.split(".")
    return [key for key in (".".join(parts[:n]) for n in range(1, len(parts) + 1)) if key in meanings]


def check_meanings(defaults: Mapping[str, object], meanings: Mapping[str, str]) -> None:
    """Raise ``ValueError`` unless every default key has exactly one meaning and every meaning a key."""
    leaves = [path for path, _ in _leaves(defaults)]
    known = set(leaves) | set(_tables(defaults))
    problems = [f"a meaning for {key!r}, which is not a policy key" for key in meanings if key not in known]
    for leaf in leaves:
        covering = _covering(leaf, meanings)
        if not covering:
            problems.append(f"no meaning for policy key {leaf!r} (add it to POLICY_MEANINGS)")
        elif len(covering) > 1:
            problems.append(f"policy key {leaf!r} is described twice: {', '.join(covering)}")
    if problems:
        raise ValueError("policy reference: " + "; ".join(problems))


def toml_value(value: object) -> str:
    """A TOML literal for a default value (inline tables for nested tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"policy default of unexpected type {type(value).__name__}")


def _lookup(defaults: Mapping[str, object], dotted: str) -> object:
    node: object = defaults
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            raise KeyError(dotted)
        node = node[part]
    return node


def _default_cell(value: object) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"`{k} = {toml_value(v)}`" for k, v in _leaves(value))
    return f"`{toml_value(value)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def policy_markdown(defaults: Mapping[str, object] | None = None, meanings: Mapping[str, str] | None = None) -> str:
    """The policy reference: every setting with its default and meaning, by section."""
    defaults = DEFAULTS if defaults is None else defaults
    meanings = POLICY_MEANINGS if meanings is None else meanings
    check_meanings(defaults, meanings)
    position = {leaf: n for n, (leaf, _) in enumerate(_leaves(defaults))}

    def first_leaf(key: str) -> int:  # a table's place is its first leaf's
        return min(n for leaf, n in position.items() if leaf == key or leaf.startswith(key + "."))

    rows: dict[str, list[str]] = {}
    for key in sorted(meanings, key=first_leaf):
        section = key.split(".")[0] if "." in key or isinstance(defaults.get(key), Mapping) else ""
        value = _lookup(defaults, key)
        rows.setdefault(section, []).append(f"| `{key}` | {_cell(_default_cell(value))} | {_cell(meanings[key])} |")
    out = [_POLICY_INTRO.replace("{FLOORS}", _floors_markdown())]
    for section, lines in rows.items():
        title = _SECTION_TITLES.get(section, section)
        heading = title if not section else f"{title} (`[{section}]`)"
        out += [f"## {heading}", "", "| key | default | meaning |", "|---|---|---|", *lines, ""]
    return "\n".join(out).rstrip() + "\n"
