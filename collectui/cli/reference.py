"""Generated references: the CLI reference from the Typer application, the policy reference from the defaults.

``python -m collectui.cli.reference`` rewrites ``docs/admin/cli.md`` and ``docs/admin/policy.md``;
``--check`` only compares them and exits 1 when either is stale (a test does the same). The output is plain
Markdown that does not depend on the terminal, the user's home or the environment.

Every policy key needs a human meaning in ``POLICY_MEANINGS``; a meaning for a key that no longer exists is
an error too, so the reference cannot drift from ``collectui.domain.policy.DEFAULTS``.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from collectui.domain.policy import DEFAULTS

CLI_DOC = Path("docs/admin/cli.md")
POLICY_DOC = Path("docs/admin/policy.md")
REGENERATE = "python -m collectui.cli.reference"
DESCRIPTION = "Write the generated CLI and policy references (docs/admin/cli.md, docs/admin/policy.md)."

# --- the policy reference ---------------------------------------------------------------------------------

# One meaning per policy setting. A key names a leaf (`sms.window`) or a table whose leaves are described
# together (`rules.call_window`: enabled, start, end). Links are relative to docs/admin/.
POLICY_MEANINGS: dict[str, str] = {
    "timezone": 'zone for call windows, "today" and every local day (reports, deadlines, the SMS window)',
    "bank_name": "the bank's name, `{bank}` in the SMS templates",
    "hotline": "the bank's hotline, `{hotline}` in the SMS templates",
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
    "masking.name": "names: keep `first` and `last` characters, star the rest: `李**`",
    "masking.mobile": "mobile numbers: `138****1234`",
    "masking.landline": "landline numbers (with area code): keep `first` and `last` digits",
    "masking.id_number": "resident ID numbers: `1*************1234` (the last 4 are what a collector asks to confirm)",
    "masking.account": "bank account and card numbers: `************2631`",
    "masking.other": "any other personal field: keep these fractions of its characters at the start and end",
    "rules.call_window": (
        "no calls outside these local hours; the borrower's `consent_hours` replace them (CBA 2026, GB/T 45251-2025)"
    ),
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
    "rules.third_party_not_allowed": (
        "third parties only after this many failed attempts in a row on the borrower's own number, or an "
        "invalid number (CBA 2026)"
    ),
    "rules.vulnerable_senior_only": "the roles that may call a vulnerable borrower (FCA CONC 7.2, a model)",
    "rules.in_call": "another collector's call started this recently blocks a second one",
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

Every rule figure, ranking weight and masking rule is a setting in a TOML policy file that holds only the
keys it changes; everything else keeps its default. The file is `policy.toml` beside the database, or
`--policy PATH` (env `COLLECTUI_POLICY`). `collectui policy show` prints the effective policy as TOML;
`collectui policy check FILE` validates a file and names every problem.

- Unknown keys, wrong types and impossible values are errors that name the key; an integer is accepted where
  a number is expected.
- Some keys are checked beyond their type (a time of day, a range, known roles, non-empty phrases), and some
  across keys: `rules.call_window.start` must be before `end`; `rules.sms_notice.min_lead_hours` must be
  less than `max_age_days` x 24.
- A gate rule that is enabled but has no check in this version refuses every call.
- Changed ranking, promise or time-zone settings re-rank the whole work list on its next use.

The sources of the defaults are in [domain facts](../domain.md); the rules are explained in
[Calls and the compliance gate](../calls.md) and [Reminder SMS](sms.md).

An example:

```toml
{EXAMPLE_POLICY}```
"""

_SECTION_TITLES: dict[str, str] = {
    "": "General",
    "ranking": "Ranking: the work list's score",
    "promises": "Promises to pay",
    "masking": "Masking",
    "rules": "Gate rules and the note scan",
    "sms": "Reminder SMS",
    "complaints": "Complaints",
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
    out = [_POLICY_INTRO]
    for section, lines in rows.items():
        title = _SECTION_TITLES.get(section, section)
        heading = title if not section else f"{title} (`[{section}]`)"
        out += [f"## {heading}", "", "| key | default | meaning |", "|---|---|---|", *lines, ""]
    return "\n".join(out).rstrip() + "\n"


# --- the CLI reference ------------------------------------------------------------------------------------

_CLI_INTRO = f"""\
# CLI reference

<!-- Generated by `{REGENERATE}` from the Typer application. Do not edit by hand. -->

Every command of `collectui`, with its arguments and options. Global options (`--db`, `--policy`,
`--lang`) come before the command: `collectui [--db PATH] COMMAND ...`. Every command also accepts
`-h` / `--help`. Exit codes: 0 success, 1 failure (one line on stderr), 2 bad usage; commands that a rule
can refuse say so (3 for the call gate). See [setting up](setup.md) for the environment variables and the
guides in [the documentation index](../README.md) for what each command is for.
"""

# Rich markup that help texts may hold ([bold], [/], [red on white], ...): removed, the text kept.
_STYLE_WORDS = (
    "bold|b|dim|italic|i|underline|u|strike|s|reverse|blink|link|"
    "black|red|green|yellow|blue|magenta|cyan|white|bright_[a-z]+|grey\\d*|gray\\d*|on|not"
)
_MARKUP = re.compile(rf"\[/?(?:(?:{_STYLE_WORDS})(?:[ =][^\]\[]*)?)?\]")

Command = TyperCommand | TyperGroup
Parameter = TyperOption | TyperArgument


@dataclass(frozen=True)
class _Entry:
    path: tuple[str, ...]
    command: Command


def strip_markup(text: str) -> str:
    """Help text without rich markup: ``[bold]x[/]`` -> ``x``; an escaped ``\\[`` -> ``[``."""
    return _MARKUP.sub("", text).replace("\\[", "[")


def _home_free(text: str) -> str:
    """The per-user default database path is the same words on every machine."""
    from platformdirs import user_data_dir

    db_default = str(Path(user_data_dir("collectui", appauthor=False)) / "collectui.db")
    text = text.replace(db_default, "collectui.db in the user's data directory")
    return text.replace(str(Path.home()), "~")


def help_text(raw: str | None) -> str:
    """Paragraphs of a help text, each on one line, as the rich help shows them."""
    if not raw:
        return ""
    text = inspect.cleandoc(raw).partition("\f")[0]
    paragraphs = [
        " ".join(line.strip() for line in block.splitlines() if line.strip() != "\b")
        for block in re.split(r"\n\s*\n", text)
    ]
    return _home_free(strip_markup("\n\n".join(p for p in paragraphs if p)))


def _walk(command: Command, path: tuple[str, ...]) -> Iterator[_Entry]:
    if command.hidden:
        return
    yield _Entry(path, command)
    if isinstance(command, TyperGroup):
        for name in sorted(command.commands):
            sub = command.commands[name]
            if not isinstance(sub, TyperCommand | TyperGroup):
                raise TypeError(f"{' '.join((*path, name))}: not a Typer command ({type(sub).__name__})")
            yield from _walk(sub, (*path, name))


def _parameters(command: Command) -> list[Parameter]:
    params: list[Parameter] = []
    for param in command.params:
        if not isinstance(param, TyperOption | TyperArgument):
            raise TypeError(f"{command.name}: parameter {param.name!r} is not a Typer parameter")
        if not param.hidden and param.name != "help":
            params.append(param)
    return params


_TYPE_NAMES = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "NUMBER",
    "bool": "BOOLEAN",
    "file": "FILE",
    "path": "PATH",
    "directory": "DIRECTORY",
    "datetime": "DATETIME",
    "int range": "INTEGER",
    "float range": "NUMBER",
}


def _type_name(label: str) -> str:
    if label.startswith("list[") and label.endswith("]"):
        return _type_name(label[5:-1])
    if label in _TYPE_NAMES:
        return _TYPE_NAMES[label]
    return f"[{label}]" if "|" in label else label.upper()


def _type_label(param: Parameter, ctx: typer.Context) -> str:
    if param.metavar:
        return param.metavar
    label = _type_name(param.display_type(ctx).strip("<>"))
    return label + ("..." if param.nargs != 1 else "")


def _argument_name(param: TyperArgument) -> str:
    name = param.metavar or param.name.upper()
    if not param.required and not name.startswith("["):
        name = f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def _usage(entry: _Entry) -> str:
    pieces = [" ".join(entry.path), "[OPTIONS]"]
    pieces += [_argument_name(p) for p in _parameters(entry.command) if isinstance(p, TyperArgument)]
    if isinstance(entry.command, TyperGroup):
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def _default(param: Parameter) -> str | None:
    value = param.default
    if callable(value):
        return "computed when the command runs"
    if value is None or value is False or (isinstance(value, list | tuple) and not value):
        return None
    if isinstance(param, TyperOption) and param.is_flag and value is True:
        return "on"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, list | tuple):
        return ", ".join(_home_free(str(v)) for v in value)
    return _home_free(str(value))


def _range(param: Parameter) -> str | None:
    low, high = param.min, param.max
    if low is None and high is None:
        return None
    if low is None:
        return f"at most {high}"
    if high is None:
        return f"at least {low}"
    return f"{low} to {high}"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def _describe(param: Parameter, ctx: typer.Context) -> str:
    if isinstance(param, TyperArgument):
        name = f"`{_argument_name(param)}`"
    else:
        label = "" if param.is_flag or param.count else f" {_type_label(param, ctx)}"
        forms = sorted(param.opts, key=lambda o: (o.startswith("--"), o))  # short forms first
        name = ", ".join(f"`{opt}{label}`" for opt in forms)
        if param.secondary_opts:
            name += " / " + ", ".join(f"`{opt}`" for opt in param.secondary_opts)
    described = help_text(param.help)
    facts = [_sentence(described)] if described else []
    if isinstance(param, TyperArgument):
        facts.append(f"Type: `{_type_name(param.display_type(ctx).strip('<>'))}`.")
    if param.required:
        facts.append("Required.")
    if param.multiple:
        facts.append("Repeatable.")
    default = _default(param)
    if default is not None:
        facts.append(f"Default: `{default}`.")
    bounds = _range(param)
    if bounds:
        facts.append(f"Range: {bounds}.")
    envvars = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or [])
    if envvars:
        facts.append("Environment: " + ", ".join(f"`{e}`" for e in envvars) + ".")
    return f"- {name}: " + (" ".join(facts) or "(no description).")


def _anchor(title: str) -> str:
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def cli_markdown(app: typer.Typer | None = None) -> str:
    """The CLI reference: every command, its usage, help, arguments and options, in a stable order."""
    if app is None:
        from collectui.cli.app import build_app

        app = build_app()
    root = typer.main.get_command(app)
    if not isinstance(root, TyperCommand | TyperGroup):
        raise TypeError(f"the application is not a Typer command ({type(root).__name__})")
    entries = list(_walk(root, ("collectui",)))
    out = [_CLI_INTRO, "## Commands", ""]
    for entry in entries:
        title = " ".join(entry.path)
        summary = help_text(entry.command.short_help or entry.command.help).split("\n\n")[0]
        out.append(f"- [`{title}`](#{_anchor(title)})" + (f": {summary}" if summary else ""))
    out.append("")
    contexts: dict[tuple[str, ...], typer.Context] = {}
    for entry in entries:
        parent = contexts.get(entry.path[:-1])
        ctx = typer.Context(entry.command, parent=parent, info_name=entry.path[-1])
        contexts[entry.path] = ctx
        out += [f"## `{' '.join(entry.path)}`", "", "```", _usage(entry), "```", ""]
        text = help_text(entry.command.help)
        if text:
            out += [text, ""]
        params = _parameters(entry.command)
        arguments = [p for p in params if isinstance(p, TyperArgument)]
        options = [p for p in params if isinstance(p, TyperOption)]
        if arguments:
            out += ["Arguments:", "", *(_describe(p, ctx) for p in arguments), ""]
        if options:
            out += ["Options:", "", *(_describe(p, ctx) for p in options), ""]
        if isinstance(entry.command, TyperGroup):
            names = [n for n in sorted(entry.command.commands) if not entry.command.commands[n].hidden]
            links = ", ".join(f"[`{n}`](#{_anchor(' '.join((*entry.path, n)))})" for n in names)
            out += [f"Commands: {links}.", ""]
    return "\n".join(out).rstrip() + "\n"


# --- writing and checking ---------------------------------------------------------------------------------


def _default_root() -> Path:
    return Path(__file__).resolve().parents[2]


def generated(root: Path) -> dict[Path, str]:
    """Each generated file (under ``root``) and its current content."""
    return {root / CLI_DOC: cli_markdown(), root / POLICY_DOC: policy_markdown()}


def stale(root: Path) -> list[Path]:
    """The generated files under ``root`` that are missing or differ from what the code gives."""
    return [
        path for path, text in generated(root).items() if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE.removeprefix("python -m "), description=DESCRIPTION)
    parser.add_argument("--check", action="store_true", help="exit 1 when a reference is stale; write nothing")
    parser.add_argument("--root", type=Path, default=_default_root(), help="the checkout (default: this one)")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.check:
        old = stale(root)
        for path in old:
            print(f"{path}: stale; run `{REGENERATE}`", file=sys.stderr)
        return 1 if old else 0
    for path, text in generated(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
