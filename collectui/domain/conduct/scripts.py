"""Talk scripts (话术): what a good collector says, by situation, and which situation a call is in.

The file (``seeds/scripts/scripts.toml``, or the bank's own named by the policy key ``scripts.file``) holds
every situation of ``SITUATIONS``, each with a title and 3-8 lines in Chinese and English, and optional
``first_contact`` lines said only on the first call of a collection cycle. Loading refuses a broken file
naming the file and, where it can, the line (TOML errors carry line and column); ``check_scripts`` applies
the policy's note-scan phrase lists to every line, so a script can never hold a phrase a call note may not.

This module sits below ``domain.policy`` (the policy's cross-key check loads the file named by
``scripts.file``), so it reads the policy only as a ``Policy`` handed in, never by importing it.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectui.domain.conduct.notescan import CATEGORIES, scan
from collectui.domain.errors import InvalidInput
from collectui.domain.said import Said, said
from collectui.domain.textsafe import is_clean

if TYPE_CHECKING:
    from collectui.domain.policy import Policy

SITUATIONS = (
    "opening",
    "verify_identity",
    "state_amount",
    "cannot_pay",
    "not_mine",
    "angry",
    "stop_calling",
    "third_party",
    "vulnerable",
    "promise_or_plan",
    "closing",
)
LANGS = ("zh", "en")
# {bank} and {hotline} come from the policy; {collector}, {amount} and {due_date} from the call.
PLACEHOLDERS = ("bank", "hotline", "collector", "amount", "due_date")
MIN_LINES, MAX_LINES = 3, 8
MAX_LINE_CHARS = 300
MAX_FILE_BYTES = 256 * 1024  # the shipped file is about 12 KB
SHIPPED_FILE = Path(__file__).resolve().parents[3] / "seeds" / "scripts" / "scripts.toml"

# Outcomes (``calls.outcomes``; repeated here because ``calls`` builds on ``conduct``) and their situations.
_UNANSWERED = ("no_answer", "busy", "unreachable", "invalid_number")
_NOT_BORROWER = ("wrong_number", "third_party", "deceased_reported")
_BY_OUTCOME: dict[str, tuple[str, ...]] = {
    "hardship": ("cannot_pay", "promise_or_plan"),
    "dispute": ("not_mine",),
    "claims_paid": ("not_mine",),
    "cease_request": ("stop_calling",),
    "refuses": ("angry",),
    "hung_up": ("angry",),
    "promise_to_pay": ("promise_or_plan", "closing"),
    "partial_payment": ("promise_or_plan", "closing"),
    "callback": ("closing",),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Situation:
    id: str
    title: Mapping[str, str]  # lang -> title
    lines: Mapping[str, tuple[str, ...]]  # lang -> lines
    first_contact: Mapping[str, tuple[str, ...]]  # lang -> lines said on a cycle's first call ({} when none)


@dataclass(frozen=True)
class Scripts:
    version: str
    situations: Mapping[str, Situation]
    path: Path
    text: str  # the file's text, to say on which line of it a problem sits

    def title(self, situation: str, lang: str) -> str:
        return self.situations[situation].title[lang]

    def lines(self, situation: str, lang: str, first_contact: bool = False) -> list[str]:
        """The lines of a situation; on a cycle's first call its ``first_contact`` lines follow the first."""
        found = self.situations[situation]
        lines = list(found.lines[lang])
        extra = found.first_contact.get(lang, ()) if first_contact else ()
        return lines[:1] + list(extra) + lines[1:]

    def file_line(self, situation: str, line: str = "") -> int | None:
        """The line of the file where ``line`` of ``situation`` is written (its ``[header]`` for ""), when it
        can be found: a line written with TOML escapes is not, and the message then names the file only."""
        rows = self.text.splitlines()
        header = next((i for i, r in enumerate(rows) if r.strip() == f"[{situation}]"), None)
        if header is None or not line:
            return None if header is None else header + 1
        for i in range(header + 1, len(rows)):
            if rows[i].lstrip().startswith("["):
                break
            if line in rows[i]:
                return i + 1
        return None


def _where(scripts_path: Path, file_line: int | None) -> str:
    return f"{scripts_path}:{file_line}" if file_line else str(scripts_path)


def _read(path: Path) -> str:
    try:
        if path.is_dir():
            raise InvalidInput(said("error.conduct.scripts_folder", f"{path}: a folder, not a scripts file", path=path))
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput(said("error.conduct.scripts_missing", f"{path}: no such file", path=path)) from None
    except OSError as exc:
        raise InvalidInput(
            said(
                "error.conduct.scripts_unreadable",
                f"{path}: cannot read: {exc.strerror or exc}",
                path=path,
                why=exc.strerror or str(exc),
            )
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            said(
                "error.conduct.scripts_too_big",
                f"{path}: larger than {MAX_FILE_BYTES // 1024} KB, not a scripts file",
                path=path,
                kb=MAX_FILE_BYTES // 1024,
            )
        )
    if b"\x00" in data:
        raise InvalidInput(
            said("error.conduct.scripts_binary", f"{path}: a binary file, not a TOML scripts file", path=path)
        )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            said(
                "error.conduct.scripts_not_utf8",
                f"{path}: not UTF-8 text (byte at offset {exc.start}); save it as UTF-8",
                path=path,
                offset=exc.start,
            )
        ) from None


def _texts(value: object, where: str, problems: list[str | Said]) -> dict[str, tuple[str, ...]]:
    """A {zh = [...], en = [...]} table of lines; problems named by ``where``."""
    if not isinstance(value, dict):
        problems.append(
            said("error.conduct.sc_lines_table", f"{where}: expected a table {{zh = [...], en = [...]}}", where=where)
        )
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key in value:
        if key not in LANGS:
            problems.append(
                said(
                    "error.conduct.sc_unknown_language",
                    f"{where}.{key}: unknown language (expected zh and en)",
                    where=where,
                    name=key,
                )
            )
    for lang in LANGS:
        lines = value.get(lang)
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            problems.append(
                said(
                    "error.conduct.sc_lines_missing",
                    f"{where}.{lang}: missing, or not a list of texts",
                    where=where,
                    lang=lang,
                )
            )
            continue
        out[lang] = tuple(lines)
    return out


def _line_problems(line: str) -> list[Said]:
    """What is wrong with one script line (empty, too long, control characters, a bad placeholder)."""
    if not line.strip():
        return [said("error.conduct.sc_line_empty", "empty")]
    problems: list[Said] = []
    if len(line) > MAX_LINE_CHARS:
        problems.append(
            said("error.conduct.sc_line_long", f"longer than {MAX_LINE_CHARS} characters", max=MAX_LINE_CHARS)
        )
    if not is_clean(line):
        problems.append(said("error.conduct.sc_control", "holds control characters"))
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(line) if name is not None]
    except ValueError:
        return [*problems, said("error.conduct.sc_lone_brace", "a lone { or } (a placeholder is written {bank})")]
    known = ", ".join(PLACEHOLDERS)
    problems += [
        said(
            "error.conduct.sc_placeholder",
            f"unknown placeholder {{{n}}} (known: {known})",
            placeholder="{" + n + "}",
            known=known,
        )
        for n in names
        if n not in PLACEHOLDERS
    ]
    return problems


def _situation(sid: str, body: object, scripts: Scripts, problems: list[str | Said]) -> Situation:
    path = scripts.path
    if not isinstance(body, dict):
        problems.append(said("error.conduct.sc_situation_missing", f"{path}: [{sid}]: missing", path=path, sid=sid))
        return Situation(sid, {}, {}, {})
    head = f"{_where(path, scripts.file_line(sid))}: [{sid}]"
    for key in body:
        if key not in ("title", "lines", "first_contact"):
            problems.append(
                said(
                    "error.conduct.sc_unknown_key",
                    f"{head} {key}: unknown key (expected title, lines, first_contact)",
                    head=head,
                    name=key,
                )
            )
    title = body.get("title")
    titles: dict[str, str] = {}
    if not isinstance(title, dict) or not all(isinstance(title.get(lang), str) for lang in LANGS):
        problems.append(
            said("error.conduct.sc_title_table", f'{head} title: expected {{zh = "...", en = "..."}}', head=head)
        )
    else:
        titles = {lang: title[lang] for lang in LANGS}
        problems += [
            said("error.conduct.sc_title_empty", f"{head} title.{lang}: empty", head=head, lang=lang)
            for lang in LANGS
            if not titles[lang].strip()
        ]
        problems += [
            said(
                "error.conduct.sc_title_control", f"{head} title.{lang}: holds control characters", head=head, lang=lang
            )
            for lang in LANGS
            if not is_clean(titles[lang])
        ]
    lines = _texts(body.get("lines"), f"{head} lines", problems)
    first = _texts(body["first_contact"], f"{head} first_contact", problems) if "first_contact" in body else {}
    for lang, texts in lines.items():
        if not MIN_LINES <= len(texts) <= MAX_LINES:
            problems.append(
                said(
                    "error.conduct.sc_line_count",
                    f"{head} lines.{lang}: {len(texts)} lines (expected {MIN_LINES}-{MAX_LINES})",
                    head=head,
                    lang=lang,
                    count=len(texts),
                    min=MIN_LINES,
                    max=MAX_LINES,
                )
            )
    labels = {
        "line": said("error.conduct.sc_label_line", "line"),
        "first_contact line": said("error.conduct.sc_label_first", "first_contact line"),
    }
    for label, table in (("line", lines), ("first_contact line", first)):
        for lang, texts in table.items():
            for n, line in enumerate(texts, start=1):
                where = _where(path, scripts.file_line(sid, line) if line.strip() else None)
                problems += [
                    said(
                        "error.conduct.sc_line_problem",
                        f"{where}: {sid} [{lang}] {label} {n}: {p}",
                        where=where,
                        sid=sid,
                        lang=lang,
                        label=labels[label],
                        n=n,
                        problem=p,
                    )
                    for p in _line_problems(line)
                ]
    return Situation(sid, titles, lines, first)


def parse_scripts(text: str, path: Path) -> Scripts:
    """The scripts of a file's text; InvalidInput naming every problem (``problems``) otherwise."""
    try:
        table: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            said("error.conduct.scripts_toml", f"{path}: not valid TOML: {exc}", path=path, exc=str(exc))
        ) from None  # tomllib names line and column
    except RecursionError:
        raise InvalidInput(
            said("error.conduct.scripts_nested", f"{path}: nested too deeply to be a scripts file", path=path)
        ) from None
    problems: list[str | Said] = []
    version = table.get("version")
    if not isinstance(version, str) or not version.strip():
        problems.append(
            said("error.conduct.sc_version", f'{path}: version: missing (a text such as "2026.1")', path=path)
        )
    known = ", ".join(SITUATIONS)
    for key in table:
        if key != "version" and key not in SITUATIONS:
            problems.append(
                said(
                    "error.conduct.sc_unknown_situation",
                    f"{path}: [{key}]: unknown situation (known: {known})",
                    path=path,
                    name=key,
                    known=known,
                )
            )
    probe = Scripts("", {}, path, text)
    situations = {sid: _situation(sid, table.get(sid), probe, problems) for sid in SITUATIONS}
    if problems:
        first = problems[0]
        message = (
            first
            if len(problems) == 1
            else said(
                "error.conduct.scripts_problems",
                f"{path}: {len(problems)} problems: {first} ...",
                path=path,
                count=len(problems),
                first=first,
            )
        )
        raise InvalidInput(message, problems=problems)
    assert isinstance(version, str)
    return Scripts(version.strip(), situations, path, text)


@lru_cache(maxsize=8)
def _parsed(path: str, stamp: tuple[int, int]) -> Scripts:
    """Parsed once per version of a file (``stamp``: its modification time and size): the policy's check
    loads the file every time a policy is read."""
    return parse_scripts(_read(Path(path)), Path(path))


def load_scripts(path: Path | None = None) -> Scripts:
    """The scripts of a file (default: the shipped one); InvalidInput naming the file and every problem."""
    path = path or SHIPPED_FILE
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InvalidInput(said("error.conduct.scripts_missing", f"{path}: no such file", path=path)) from None
    except OSError as exc:
        raise InvalidInput(
            said(
                "error.conduct.scripts_unreadable",
                f"{path}: cannot read: {exc.strerror or exc}",
                path=path,
                why=exc.strerror or str(exc),
            )
        ) from None
    return _parsed(str(path), (st.st_mtime_ns, st.st_size))


def scripts_path(setting: str) -> Path:
    """The file the policy key ``scripts.file`` names ("" = the shipped one)."""
    return Path(setting) if setting.strip() else SHIPPED_FILE


# --- banned phrases -------------------------------------------------------------------------------------------
def _every_line(scripts: Scripts) -> list[tuple[str, str, str, int, str]]:
    """(situation, lang, label, number, text) of every title and line, first-contact lines included."""
    out: list[tuple[str, str, str, int, str]] = []
    for sid, sit in scripts.situations.items():
        for lang in LANGS:
            out.append((sid, lang, "title", 0, sit.title.get(lang, "")))
            out += [(sid, lang, "line", n, x) for n, x in enumerate(sit.lines.get(lang, ()), start=1)]
            out += [(sid, lang, "first_contact line", n, x) for n, x in enumerate(sit.first_contact.get(lang, ()), 1)]
    return out


def phrase_problems(scripts: Scripts, note_scan: Mapping[str, Any]) -> list[str]:
    """Every line holding a phrase of the note-scan lists (``rules.note_scan``), naming situation, language,
    line and phrase. The lists apply even where the policy switched the scan of call notes off."""
    rules: dict[str, Any] = {c: list(note_scan.get(c, [])) for c in CATEGORIES}
    rules["enabled"] = True
    lines = _every_line(scripts)
    # One scan of the whole file first: a clean file (the usual case) costs one pass, not one per line.
    if not scan("\n".join(x for *_, x in lines), rules):
        return []
    problems: list[str] = []
    for sid, lang, label, n, text in lines:
        for hit in scan(text, rules):
            where = _where(scripts.path, scripts.file_line(sid, text))
            what = "title" if label == "title" else f"{label} {n}"
            problems.append(f"{where}: {sid} [{lang}] {what}: holds the banned phrase {hit.phrase!r} ({hit.category})")
    return problems


def check_scripts(scripts: Scripts, policy: Policy) -> list[str]:
    """The problems of scripts under a policy: every line holding a phrase of its note-scan lists."""
    return phrase_problems(scripts, policy.table("rules.note_scan"))


def policy_problem(data: Mapping[str, Any]) -> str | None:
    """The policy's cross-key check of ``scripts.file``: the file named (or the shipped one) loads and holds
    no phrase of the merged policy's note-scan lists. A missing shipped file (an install without the seeds)
    is not the policy's fault: the call screen says there are no scripts."""
    setting = str(data["scripts"]["file"])
    path = scripts_path(setting)
    if not setting.strip() and not path.exists():
        return None
    try:
        scripts = load_scripts(path)
    except InvalidInput as exc:
        found = exc.problems
    else:
        found = phrase_problems(scripts, data["rules"]["note_scan"])
    if not found:
        return None
    shown = "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
    return f"scripts.file: {shown} (`collectui scripts check FILE` lists every problem)"


# --- which situation a call is in -----------------------------------------------------------------------------
def choose(outcome: str | None, third_party: bool, bucket: str, first_contact: bool, vulnerable: bool) -> list[str]:
    """The situations of a call so far, the current one first.

    - nothing recorded yet: opening, verify_identity, state_amount for the borrower (the vulnerable
      borrower's script first when she is flagged); third_party when the number is someone else's;
    - nobody answered: nothing to say (an empty list);
    - a third party on the line (the number is a contact's, or the outcome says so): third_party only, never
      a script that names the debt;
    - hardship: cannot_pay, promise_or_plan; dispute or claims_paid: not_mine; cease_request: stop_calling;
      refuses or hung_up: angry; promise_to_pay or partial_payment: promise_or_plan, closing; callback:
      closing; for a vulnerable borrower her script follows the current one.

    ``bucket`` is deliberately not used to escalate: a borrower 200 days late hears the same respectful
    scripts as one 10 days late (late buckets add nothing harsher). ``first_contact`` does not change the
    situations; it adds the opening's reminder-SMS lines (``Scripts.lines(..., first_contact=True)``).
    """
    del bucket, first_contact  # see the docstring: accepted for the contract, and on purpose without effect here
    if outcome in _UNANSWERED:
        return []
    if third_party or outcome in _NOT_BORROWER:
        return ["third_party"]
    if outcome is None:
        opening = ["opening", "verify_identity", "state_amount"]
        return ["vulnerable", *opening] if vulnerable else opening
    if outcome not in _BY_OUTCOME:
        raise ValueError(f"unknown outcome {outcome!r}")
    chosen = list(_BY_OUTCOME[outcome])
    return [chosen[0], "vulnerable", *chosen[1:]] if vulnerable else chosen


def render(lines: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """The lines with their placeholders filled from ``values``; a placeholder without a value stays as
    written ({amount}), so the collector sees what to fill in rather than a blank."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return [_PLACEHOLDER.sub(fill, line) for line in lines]
