"""Every value option of every command, fed bad and random values: an exit code, one error line, no traceback.

The commands and their options are read from the application itself, so a new option is fuzzed without
touching this file. Required parameters get a plausible value from a demo bank (tests/support/demo_bank),
then one option at a time gets the value under test. Allowed exits: 0 ok, 1 invalid/error, 2 usage, 3
refused by the gate, 4 (reserved for permission refusals).
"""

from __future__ import annotations

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.core import TyperArgument as Argument
from typer.core import TyperGroup as Group
from typer.core import TyperOption as Option
from typer.testing import CliRunner

from collectui.cli.app import build_app, commands_for
from tests.support.cli import sign_in
from tests.support.demo_bank import ADMIN, CUSTOMER, NOW, build_demo_at
from tests.support.engines import Built

ALLOWED = {0, 1, 2, 3, 4}
# The TUI needs a terminal; demo builds whole databases (its values are tested below with failing values);
# serve listens until stopped on any host and port that work (tests/cli/test_serve.py feeds it bad ones).
SKIP = {"tui", "demo", "serve"}
# What a required parameter gets when it is not the one under test (by parameter name).
PLAUSIBLE = {
    "customer_id": CUSTOMER,
    "username": "cg-collector1",
    "user": "cg-collector1",
    "outcome": "no_answer",
    "role": "collector",
    "sentiment": "neutral",
    "channel": "call",
    "about": "service",
    "text": "t",
    "reason": "r",
    "complaint_id": "1",
    "name": "activity",
    "target": "customers",
    "file": "missing.csv",
}
HOSTILE = [
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    "1e23",
    "1e308",
    "1E999999999",
    "9" * 400,
    "99999999999999999999999",
    "-1",
    "0",
    "-0",
    "nan",
    "inf",
    "",
    " ",
    "\x1b[2J",
    "a\u202eb",
    "=cmd|' /C calc'!A0",
    "2026-02-30",
    "2026-11-28T25:00",
    "x" * 5000,
]


def _leaves(cmd, path=()):
    if isinstance(cmd, Group):
        for name, sub in sorted(cmd.commands.items()):
            if not path and name in SKIP:
                continue
            yield from _leaves(sub, (*path, name))
    else:
        yield path, cmd


def _targets():
    root = typer.main.get_command(build_app())
    found = []
    for path, cmd in _leaves(root):
        for param in cmd.params:
            if isinstance(param, Option) and not param.is_flag and not param.count and param.name != "help":
                found.append((path, cmd, param))
            elif isinstance(param, Argument):
                found.append((path, cmd, param))
    return found


TARGETS = _targets()
TARGET_IDS = [f"{' '.join(p)} {param.name}" for p, _, param in TARGETS]


def _argv(path, cmd, under_test, value):
    args = list(path)
    for param in cmd.params:
        if param is under_test:
            continue
        if isinstance(param, Argument) and param.required:
            args.append(PLAUSIBLE.get(param.name or "", "x"))
        elif isinstance(param, Option) and param.required:
            args += [param.opts[0], PLAUSIBLE.get(param.name or "", "x")]
    if isinstance(under_test, Argument):
        args += ["--", value] if not under_test.nargs == -1 else ["--", value]
    else:
        args += [f"{under_test.opts[0]}={value}"]
    return args


@pytest.fixture(scope="module")
def fuzz_banks(tmp_path_factory):
    built = Built(tmp_path_factory.mktemp("fuzz"), build_demo_at)
    yield built
    built.close()


@pytest.fixture
def fuzz_db(fuzz_banks, engine, new_db_at, request):
    """The module's demo bank on the test's engine (new_db_at: it puts the test in a --pg run too), and the
    folder the commands run in (what they write to a relative path lands there)."""
    target = fuzz_banks.shared(engine, request)
    sign_in(target, ADMIN)  # the state directory (and so the session) is per test
    return fuzz_banks.folder, target


def _run(fuzz_db, argv, monkeypatch):
    folder, target = fuzz_db
    monkeypatch.chdir(folder)
    args = ["--db", target, *argv]
    return CliRunner().invoke(
        build_app(commands_for(args)),  # as `collectui` itself does: only the command line's own command
        args,
        env={"COLLECTUI_NOW": NOW, "COLLECTUI_DEBUG": ""},
        input="",
    )


def _check(result, argv):
    shown = f"{argv!r}: exit {result.exit_code}\n{result.output}"
    assert result.exit_code in ALLOWED, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\n{type(result.exception).__name__}: {result.exception}"
    )
    assert "Traceback" not in result.output, shown
    assert "\x1b" not in result.output and "\u202e" not in result.output, shown
    assert "╭" not in result.stderr, shown  # no boxed usage panel
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, shown
        assert lines[0].startswith("error:"), shown
    for line in result.stderr.splitlines():
        if line.startswith("error:"):
            assert "Overflow" not in line and "InvalidOperation" not in line, shown


def test_the_fuzz_sees_the_options_that_broke():
    names = {(" ".join(p), param.opts[0] if isinstance(param, Option) else param.name) for p, _, param in TARGETS}
    for expected in [("queue", "--limit"), ("queue", "--as-of"), ("report", "--output"), ("import", "--rejects")]:
        assert expected in names


@pytest.mark.parametrize(
    "argv",
    [
        ["queue", "--as-of", "9999-12-31"],
        ["queue", "--limit", "1e23"],
        ["queue", "--limit", "-5"],
        ["queue", "--limit", "99999999999999999999999"],
        ["report", "activity", "--from", "0001-01-01"],
        ["report", "activity", "--to", "9999-12-31"],
        ["call", "log", CUSTOMER, "--outcome", "promise_to_pay", "--promise-amount", "1e308"],
        ["call", "log", CUSTOMER, "--outcome", "promise_to_pay", "--promise-amount", "1E999999999"],
        ["call", "log", CUSTOMER, "--outcome", "promise_to_pay", "--promise-amount", "9" * 400],
        ["call", "log", CUSTOMER, "--outcome", "no_answer", "--at", "9999-12-31"],
        ["call", "log", CUSTOMER, "--outcome", "no_answer", "--at", "0001-01-01T00:00:00+14:00"],
        ["call", "refusals", "--day", "9999-12-31"],
        ["sms", "status", "--limit", "99999999999999999999999"],
        ["sms", "plan", "--limit", "99999999999999999999999"],
        ["feedback", "add", CUSTOMER, "--sentiment", "neutral", "--channel", "call", "--call", "9" * 30],
        ["complaint", "ack", "9" * 30],
        # demo makes SQLite files only (it refuses a URL): its options are checked on SQLite.
        pytest.param(["demo", "--customers", "99999999999"], marks=pytest.mark.sqlite_only),
        pytest.param(["demo", "--customers", "0"], marks=pytest.mark.sqlite_only),
        pytest.param(["demo", "--seed", "9" * 30], marks=pytest.mark.sqlite_only),
    ],
    ids=lambda a: " ".join(a)[:60],
)
def test_reported_bad_values_are_usage_errors(fuzz_db, monkeypatch, argv):
    result = _run(fuzz_db, argv, monkeypatch)
    _check(result, argv)
    assert result.exit_code == 2, result.output


# The sweep of every option costs ~10 s per value: the values that broke commands before, the rest of
# HOSTILE goes to the random test below.
SWEEP = ["9999-12-31T23:59:59-12:00", "1E999999999", "9" * 400, "\x1b[2J"]


@pytest.mark.parametrize("value", SWEEP, ids=lambda v: repr(v)[:20])
def test_hostile_values_in_every_option(fuzz_db, monkeypatch, value):
    for path, cmd, param in TARGETS:
        argv = _argv(path, cmd, param, value)
        _check(_run(fuzz_db, argv, monkeypatch), argv)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(range(len(TARGETS))),
    value=st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE), st.from_regex(r"-?[0-9.eE+]{1,30}")),
)
def test_random_values_in_any_option(fuzz_db, monkeypatch, target, value):
    path, cmd, param = TARGETS[target]
    value = value.replace("\x00", "")  # an argv cannot hold NUL
    argv = _argv(path, cmd, param, value)
    _check(_run(fuzz_db, argv, monkeypatch), argv)
