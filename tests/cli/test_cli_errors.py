"""The command line's own errors reach the person in their language: each is raised with a ``Said``
(``said("cli.<area>.<what>", English, **values)``) whose catalogue entry has both languages with exactly
those values (collectui/tui/i18n/cli_errors.py, cli_words.py), and its English is the line the command
printed before. Read from the source, as tests/domain/test_error_messages.py reads the domain."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.tui.i18n import Translator, load_catalog
from tests.support.demo_bank import NOW

CLI = Path("collectui/cli")
# Modules other engineers own this session (policy: B1; serve: F); db.py's PostgreSQL line is E's.
NOT_MINE = {CLI / "commands" / "policy.py", CLI / "commands" / "serve.py"}
KNOWN_ENGLISH = {"collectui/cli/commands/db.py"}  # `db` on a PostgreSQL URL (E's), one line
FAMILY = {"CollectError", "NotFound", "PermissionDenied", "InvalidInput", "UsageError", "NotSignedIn"}


def _modules() -> list[Path]:
    return [p for p in sorted(CLI.rglob("*.py")) if p not in NOT_MINE and "reference" not in p.parts]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _said_calls() -> list[tuple[str, set[str], str]]:
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "said" and node.args):
                continue
            key = node.args[0]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                found.append((key.value, {k.arg for k in node.keywords if k.arg}, f"{path}:{node.lineno}"))
    return found


def test_every_cli_said_has_both_languages_with_the_same_values():
    catalogue = load_catalog()
    calls = _said_calls()
    assert len(calls) >= 40, "the scan found too few said(...) calls in collectui/cli"
    for key, names, where in calls:
        assert key in catalogue, f"{where}: {key} has no catalogue entry"
        zh, en = catalogue[key]
        assert _placeholders(zh) <= _placeholders(en) == names, f"{where}: {key}"
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{where}: {key} has no Chinese"
    for what in ("username", "password", "new password (the second line)"):  # login's f"cli.err.no_stdin.{what}"
        assert Translator("en")(f"cli.err.no_stdin.{what}") == f"no {what} on standard input"


def test_no_cli_error_is_raised_with_english_only():
    plain = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
                continue
            name = getattr(node.exc.func, "id", None) or getattr(node.exc.func, "attr", None)
            if name in FAMILY and node.exc.args and isinstance(node.exc.args[0], ast.Constant | ast.JoinedStr):
                plain.append(str(path))
    assert set(plain) <= KNOWN_ENGLISH, plain


def _run(*args: str, lang: str):
    env = {"COLLECTUI_NOW": NOW, "COLLECTUI_LANG": lang}
    return CliRunner().invoke(build_app(), list(args), env=env)


def test_usage_errors_in_both_languages(tmp_path):
    db = str(tmp_path / "x.db")
    cases = [
        (("--db", db, "demo", "--as-of", "2026-13-01"), "--as-of '2026-13-01'：应为日期 YYYY-MM-DD",
         "--as-of '2026-13-01': expected a date YYYY-MM-DD"),
        (("--db", db, "demo", "--customers", "5"), "--customers：应为 20 到 1,000,000，实际为 5",
         "--customers: expected 20 to 1,000,000, got 5"),
        (("--db", db, "queue", "--limit", "x"), "--limit：应为 0（全部）或 1 到 10,000,000 之间的整数，实际为 'x'",
         "--limit: expected 0 (all) or a whole number from 1 to 10,000,000, got 'x'"),
        (("--db", db, "report", "nosuch"), "没有报表 'nosuch'；可选：",
         "unknown report 'nosuch'; choose one of portfolio"),
        (("--db", db, "--policy", str(tmp_path / "none.toml"), "demo"), "：没有这个文件", ": no such file"),
        (("--db", db, "init", "--admin", "root"), "标准输入不是终端：请加 --password-stdin",
         "stdin is not a terminal: pass --password-stdin"),
    ]  # fmt: skip
    for args, chinese, english in cases:
        zh, en = _run(*args, lang="zh"), _run(*args, lang="en")
        assert zh.exit_code == en.exit_code == 2, (args, zh.output, en.output)
        assert zh.stderr.startswith("错误：") and chinese in zh.stderr, (args, zh.stderr)
        assert "expected" not in zh.stderr and "error:" not in zh.stderr, zh.stderr
        assert en.stderr.startswith("error: ") and english in en.stderr, (args, en.stderr)
    assert not (tmp_path / "x.db").exists()
