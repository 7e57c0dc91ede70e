"""A service error reaches the person in their language: the domain raises it with a ``Said`` (a catalogue
key, its values, the English), and every such key has both languages with exactly those values.

Read from the source: a ``raise SomeError("English ...")`` of the ``CollectError`` family in the domain
would show English to a Chinese user, so it fails here with its file and line."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from collectui.domain.errors import CollectError, InvalidInput, NotFound
from collectui.domain.said import said
from collectui.tui.i18n import Translator, load_catalog

DOMAIN = Path("collectui/domain")
FAMILY = {"CollectError", "NotFound", "PermissionDenied", "InvalidInput", "UsageError", "NotSignedIn"}
# The family's own subclasses, raised with their text too.
FAMILY |= {"AuditKeyError", "AuditClockError", "StoredPolicyInvalid", "SendInProgress", "BackupFailed", "FutureDay"}
FAMILY |= {"NotABackup", "DatabaseInUse"}


def _modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _said_calls() -> list[tuple[str, set[str] | None, str]]:
    """(key, value names or None when ``**values`` hides them, where) of every said("error....", ...)."""
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said" and node.args):
                continue
            key = node.args[0]
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("error.")):
                continue
            names: set[str] | None = {k.arg for k in node.keywords if k.arg}
            if any(k.arg is None for k in node.keywords):
                names = None
            found.append((key.value, names, f"{path}:{node.lineno}"))
    return found


def _plain_raises() -> list[str]:
    """Where a domain module raises a family error with literal text (a str or an f-string)."""
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            call = node.exc
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name in FAMILY and call.args and isinstance(call.args[0], ast.Constant | ast.JoinedStr):
                found.append(f"{path}:{node.lineno}")
    return found


def test_every_error_key_has_both_languages_with_the_same_values():
    catalogue = load_catalog()
    calls = _said_calls()
    assert calls, "the scan found no said('error....') at all"
    for key, names, where in calls:
        assert key in catalogue, f"{where}: {key} has no catalogue entry"
        zh, en = catalogue[key]
        assert _placeholders(zh) == _placeholders(en), where
        if names is not None:
            assert _placeholders(en) == names, f"{where}: {key} is given {names}, the entry uses {_placeholders(en)}"
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{where}: {key} has no Chinese"


def test_no_domain_error_is_raised_with_english_only():
    assert _plain_raises() == []


def test_an_error_reads_in_the_persons_language_and_stays_english_in_str():
    exc = NotFound(said("error.test.missing", "no customer C9", customer="C9"))
    assert str(exc) == "no customer C9"  # logs, JSON and the audit trail stay English
    zh = Translator("zh")
    zh._catalog = {**zh._catalog, "error.test.missing": ("没有客户 {customer}", "no customer {customer}")}
    assert zh.error(exc) == "没有客户 C9"
    assert Translator("en").error(exc) == "no customer C9"  # a missing key falls back to the English
    assert zh.error(CollectError("C9.csv")) == "C9.csv"  # plain text is shown as it is


def test_invalid_input_lists_its_said_as_its_one_problem():
    exc = InvalidInput(said("error.test.bad", "bad amount"))
    assert exc.problems == ["bad amount"]
    assert exc.said is not None and exc.said.key == "error.test.bad"
