"""Branch scope, proven by one test: signed in as 城关支行's supervisor ``wang`` (and once as
its collector ``zhang``), every CLI listing and every TUI screen shows nothing of 河西支行, whose borrowers
C0031 and C0032 have activity in every listing (tests/support/two_branches.py); a command naming the other
branch's borrower, or the other branch, is refused (exit 1).

So that the test can fail, the same listings signed in as the admin ``root`` (every branch) do show the other
branch; and every command of the CLI and every screen of the TUI is either run here or skipped with a reason,
so a new one cannot be forgotten.
"""

from __future__ import annotations

import importlib
import inspect
import io
import json
import pkgutil
import re
import shutil
from types import SimpleNamespace

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain import reports as reports_svc
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.storage.engine import Database
from tests.support import two_branches
from tests.support.cli import SYSTEM, sign_in
from tests.support.clock import NOW, TZ
from tests.support.tui import aio, settled, wait_for, work_list_ready

WHEN = "2026-11-28T10:00:00+08:00"
OWN, OTHER = "城关支行", "河西支行"
REPORTS = (*reports_svc.REPORTS, "training")
PRINTED = ("table", "json", "csv")  # xlsx needs --output: a file, not a listing on the terminal

# Every listing of the command line, as a branch supervisor runs it.
SUPERVISOR_LISTINGS: list[tuple[str, ...]] = [
    *[("queue", *extra, "--format", f) for extra in ((), ("--all", "--limit", "0")) for f in PRINTED],
    ("queue", "--branch-wide", "--all", "--limit", "0"),
    ("queue", "--as-of", "2026-11-27", "--all", "--limit", "0", "--format", "json"),
    *[("call", "refusals", "--format", f) for f in PRINTED],
    *[("call", "unfinished", "--format", f) for f in PRINTED],
    *[("complaint", "list", "--format", f) for f in PRINTED],
    *[("dispute", "list", "--format", f) for f in PRINTED],
    *[("plan", "list", "--format", f) for f in PRINTED],
    *[("contact", "list", "C0001", "--format", f) for f in PRINTED],
    *[("sms", "status", "--format", f) for f in PRINTED],
    *[("report", name, "--format", f) for name in REPORTS for f in PRINTED],
    ("report", "activity", "--collector", "zhang", "--format", "json"),
    ("training", "status"),
    ("training", "status", "zhang", "--format", "json"),
    ("assign", "--load"),
    ("assign", "--balance", "--branch", OWN, "--dry-run"),
    ("db", "check"),
    ("audit", "verify"),
    # Last: they write (the day's reminders queued, then handed to the file gateway).
    ("sms", "plan", "--format", "json"),
    ("sms", "send", "--format", "json"),
]
COLLECTOR_LISTINGS: list[tuple[str, ...]] = [
    *[("queue", *extra, "--format", f) for extra in ((), ("--branch-wide", "--all", "--limit", "0")) for f in PRINTED],
    *[(*cmd, "--format", f) for cmd in (("call", "unfinished"), ("complaint", "list")) for f in PRINTED],
    *[(*cmd, "--format", f) for cmd in (("dispute", "list"), ("plan", "list")) for f in PRINTED],
    ("contact", "list", "C0001"),
    ("training", "status"),
]
# Naming the other branch's borrower, or the other branch: refused in one line.
REFUSED: list[tuple[str, ...]] = [
    ("check", "C0031"),
    ("call", "start", "C0031"),
    ("contact", "list", "C0031"),
    ("complaint", "list", "--customer", "C0031"),
    ("dispute", "list", "--customer", "C0031"),
    ("plan", "list", "--customer", "C0031"),
    ("queue", "--branch", OTHER),
    ("dispute", "list", "--branch", OTHER),
]
SUPERVISOR_REFUSED: list[tuple[str, ...]] = [
    *REFUSED,
    ("sms", "status", "--customer", "C0031"),
    *[("sms", command, "--branch", OTHER) for command in ("plan", "send", "status")],
    *[("report", name, "--branch", OTHER) for name in reports_svc.REPORTS],
    ("report", "activity", "--collector", "liu"),
    ("report", "training", "--trainee", "liu"),
    ("training", "status", "liu"),
    ("hours", "C0031", "--set", "18:00-20:00", "--reason", "客户要求"),
    ("assign", "C0031", "--to", "zhang"),
]
# The commands that list nothing of borrowers, or act on one (refused above when she is another branch's).
NOT_LISTINGS = {
    "init": "creates a database",
    "login": "signs in",
    "logout": "signs out",
    "whoami": "the signed-in account only",
    "demo": "builds a demo database",
    "import": "an admin's",
    "check": "one borrower: refused for another branch's (REFUSED)",
    "call start": "one borrower: refused for another branch's (REFUSED)",
    "call log": "records one call on a borrower (the service's authorize_customer)",
    "call cancel": "the caller's own started call",
    "policy apply": "an admin's",
    "policy check": "a policy file",
    "policy history": "policy versions",
    "policy show": "the policy",
    "scripts check": "the talk scripts",
    "scripts show": "a talk script",
    "sms receipts": "imports delivery reports (sms.receipts)",
    "sms templates check": "the policy's templates",
    "feedback add": "writes one borrower's feedback",
    "complaint open": "writes",
    "complaint ack": "writes",
    "complaint clear-hold": "writes",
    "complaint close": "writes",
    "complaint extend": "writes",
    "complaint reject": "writes",
    "complaint resolve": "writes",
    "contact add": "writes",
    "contact mark": "writes",
    "hours": "writes one borrower's hours (refused for another branch's)",
    "plan propose": "writes",
    "plan approve": "writes",
    "plan cancel": "writes",
    "plan reject": "writes",
    "dispute resolve": "writes",
    "training certify": "writes",
    "training check": "practice scenario files: fictional borrowers",
    "users add": "an admin's",
    "users deactivate": "an admin's",
    "users list": "an admin's",
    "users passwd": "an admin's",
    "users reactivate": "an admin's",
    "token create": "an admin's",
    "token list": "an admin's",
    "token revoke": "an admin's",
    "audit anchor": "an admin's",
    "audit key": "an admin's",
    "db backup": "an admin's",
    "db restore": "an admin's",
    "db copy": "an admin's",
    "db migrate": "upgrades the schema, lists no borrower",
    "tui": "the full-screen app: its screens are tested below",
    "serve": "the full-screen app in a browser: the same screens, tested below, each tab signed in on its own",
}
ADMIN_SEES = [  # the same listings show the other branch to the admin: the seed reaches each of them
    ("queue", "--all", "--limit", "0", "--format", "json"),
    ("complaint", "list"),
    ("dispute", "list"),
    ("plan", "list", "--format", "json"),
    ("contact", "list", "C0031"),
    ("sms", "status", "--format", "json"),
    ("report", "activity"),
    ("report", "voice", "--format", "json"),
    ("report", "training", "--format", "json"),
    ("assign", "--load"),
]


@pytest.fixture(scope="module")
def two_branch_template(bank_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("two-branches") / "bank.db"
    shutil.copy(bank_template, path)
    db = Database(path)
    two_branches.seed(Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy()))
    db.dispose()
    return path


@pytest.fixture
def two_bank(two_branch_template, tmp_path) -> Ctx:
    path = tmp_path / "bank.db"
    shutil.copy(two_branch_template, path)
    db = Database(path)
    yield Ctx(db=db, clock=FixedClock(NOW, TZ), policy=Policy())
    db.dispose()


def _leaks(text: str) -> list[str]:
    """The other branch in ``text``: its borrowers (ids, loans, names full or masked), its collector, its name."""
    found = two_branches.leaks(text)
    found += [s for s in (OTHER, "刘催收") if s in text]
    return found + (["liu"] if re.search(r"\bliu\b", text) else [])


def _runner(bank: Ctx, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[sms.file]\noutbox = "{(tmp_path / "outbox").as_posix()}"\n', encoding="utf-8")

    def run(*args: str):
        return CliRunner().invoke(
            build_app(),
            ["--db", str(bank.db.path), "--policy", str(policy), *args],
            env={"COLLECTUI_NOW": WHEN},
        )

    return run


def _leaf_commands() -> set[str]:
    def walk(command, path):
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                yield from walk(sub, (*path, name))
        else:
            yield " ".join(path)

    return set(walk(typer.main.get_command(build_app()), ()))


def _name(args: tuple[str, ...]) -> str:
    """The command's path in ``args`` (``report`` and ``hours`` take arguments, not subcommands)."""
    leaves = _leaf_commands()
    for n in (2, 1):
        if " ".join(args[:n]) in leaves:
            return " ".join(args[:n])
    raise AssertionError(f"no such command: {args}")


def test_every_command_is_a_listing_run_here_or_says_why_not():
    run_here = {_name(a) for a in SUPERVISOR_LISTINGS + COLLECTOR_LISTINGS + SUPERVISOR_REFUSED}
    unclassified = _leaf_commands() - run_here - set(NOT_LISTINGS)
    assert not unclassified, f"commands neither checked for branch scope nor skipped with a reason: {unclassified}"
    assert not (set(NOT_LISTINGS) - _leaf_commands()), "a skipped command that no longer exists"


@pytest.mark.parametrize(
    "username, listings, refused",
    [("wang", SUPERVISOR_LISTINGS, SUPERVISOR_REFUSED), ("zhang", COLLECTOR_LISTINGS, REFUSED)],
)
def test_a_branch_user_lists_their_branch_only(two_bank, tmp_path, username, listings, refused):
    two_bank.db.dispose()
    sign_in(two_bank.db.path, username, WHEN)
    run = _runner(two_bank, tmp_path)
    problems = []
    for args in listings:
        result = run(*args)
        # The checks of the trail and the database exit 1 on the seed's plain inserts (rows no event explains).
        if result.exit_code != 0 and not (result.exit_code == 1 and args in (("audit", "verify"), ("db", "check"))):
            problems.append(f"{' '.join(args)}: exit {result.exit_code}: {result.output[-300:]}")
        if leaked := _leaks(result.stdout + result.stderr):
            problems.append(f"{' '.join(args)}: shows {leaked}")
    for args in refused:
        result = run(*args)
        if result.exit_code != 1 or f"acts for branch {OWN} only" not in result.stderr:
            problems.append(f"{' '.join(args)}: not refused (exit {result.exit_code}): {result.output[-300:]}")
        if leaked := _leaks(result.stdout):
            problems.append(f"{' '.join(args)}: shows {leaked}")
    if username == "wang":  # the day's refusals are all the other branch's: counted for nobody here
        assert json.loads(run("call", "refusals", "--format", "json").stdout) == []
    assert not problems, "\n".join(problems)


def test_the_admin_sees_the_other_branch_in_the_same_listings(two_bank, tmp_path):
    """The seed reaches every listing the branch users were checked on: the test above could fail."""
    two_bank.db.dispose()
    sign_in(two_bank.db.path, "root", WHEN)
    run = _runner(two_bank, tmp_path)
    for args in ADMIN_SEES:
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert _leaks(result.stdout), f"{' '.join(args)} shows nothing of {OTHER} to the admin"
    # The refusals list counts per rule only: the other branch's two refusals are the only ones of the day.
    assert json.loads(run("call", "refusals", "--format", "json").stdout) == [{"rule": "daily_limit", "count": 2}]
    sms = json.loads(run("sms", "plan", "--format", "json").stdout)
    assert {r["customer_id"] for r in sms["queued"] + sms["skipped"]} & set(two_branches.THEIRS)


# --- the TUI: every screen a branch user can open ----------------------------------------------------------------

OWN_BORROWER = "C0001"  # the richest history of 城关支行 (tests/support/tui_bank.py)
# Screens opened here, each built as the app would for a 城关支行 user (a borrower: one of theirs).
SCREENS = {
    "WorkListScreen": None,  # the first screen after sign-in
    "ProfileScreen": lambda m: m.ProfileScreen(OWN_BORROWER),
    "SmsScreen": lambda m: m.SmsScreen(),
    "DashboardScreen": lambda m: m.DashboardScreen(),
    "DisputesScreen": lambda m: m.DisputesScreen(),
    "PlansScreen": lambda m: m.PlansScreen(),
    "RefusalsScreen": lambda m: m.RefusalsScreen(),
    "UnfinishedCallsScreen": lambda m: m.UnfinishedCallsScreen(),
    "AssignScreen": lambda m: m.AssignScreen(),
    "TrainingReportScreen": lambda m: m.TrainingReportScreen(),
    "TrainingHubScreen": lambda m: m.TrainingHubScreen(),
    "CallScreen": lambda m: m.CallScreen("C0002"),
    "ComplaintScreen": lambda m: m.ComplaintScreen(OWN_BORROWER),
    "ConsentHoursScreen": lambda m: m.ConsentHoursScreen(OWN_BORROWER),
    "ContactAddScreen": lambda m: m.ContactAddScreen(OWN_BORROWER),
    "FeedbackScreen": lambda m: m.FeedbackScreen(OWN_BORROWER),
    "PlanProposeScreen": lambda m: m.PlanProposeScreen(OWN_BORROWER),
    "UnmaskScreen": lambda m: m.UnmaskScreen(OWN_BORROWER),
}
SKIPPED = {
    "LoginScreen": "before sign-in: a password form, no data",
    "LockScreen": "the idle lock: a password form",
    "ChangePasswordScreen": "a password form",
    "HelpScreen": "the keys of the screen underneath",
    "FilterScreen": "the work list's filter form (bucket, flags), no borrowers",
    "ConfirmCancelScreen": "a yes/no question",
    "ConfirmQuitScreen": "a yes/no question (quit half-way through a quiz or a practice call?)",
    "AfterCallScreen": "the buttons after a call of an own borrower (needs the call's id)",
    "ResolveDisputeScreen": "one dispute picked from DisputesScreen's rows, which are checked",
    "PlanDecisionScreen": "approving or rejecting one plan picked from PlansScreen's rows, which are checked",
    "BalanceScreen": "the result of balancing the own branch, from AssignScreen, which is checked",
    "TraineeScreen": "one trainee picked from TrainingReportScreen's rows, which are checked",
    "PracticeScreen": "a practice call: fictional borrowers of a scenario file",
    "ScoreScreen": "the score of one's own practice call",
    "QuizScreen": "the quiz's questions: no borrower, no colleague",
}
BASES = {"RoleActions", "_PasswordForm", "YesNoScreen"}  # shared bases, never shown themselves


def _screen_classes() -> dict[str, type]:
    """Every screen class of collectui.tui.screens (a new screen module is found without a change here)."""
    import collectui.tui.screens as package
    from collectui.tui.base import AppModalScreen, AppScreen

    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, AppScreen | AppModalScreen) and cls.__module__ == module.__name__:
                found[name] = cls
    return {n: c for n, c in found.items() if n not in BASES}


def test_every_screen_is_opened_here_or_says_why_not():
    classes = set(_screen_classes())
    assert classes - set(SCREENS) - set(SKIPPED) == set(), "screens neither checked for branch scope nor skipped"
    assert set(SCREENS) | set(SKIPPED) <= classes, "a listed screen that no longer exists"


def _shown(app) -> str:
    """What the screen shows: the rendered terminal, and every row of its tables (scrolled out of view too).
    The terminal is drawn as App.export_screenshot draws it, exported as text rather than SVG (the SVG was a
    third of this sweep's time)."""
    from rich.console import Console
    from textual.widgets import DataTable

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    text = console.export_text()
    for table in app.screen.query(DataTable):
        text += "\n".join(" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count))
    return text


async def _what_each_screen_shows(bank: Ctx, username: str) -> dict[str, list[str]]:
    """Sign in as ``username``, open every screen of SCREENS over the work list: what each shows of 河西支行
    (a screen the role may not open closes itself and is left out)."""
    from collectui.domain.staff.users import list_users
    from collectui.tui.app import CollectApp

    classes = SimpleNamespace(**_screen_classes())
    user = next(u for u in list_users(bank, SYSTEM) if u.username == username)
    app = CollectApp(bank, lang="zh", refresh_on_start=False, user=user)
    shown: dict[str, list[str]] = {}
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        await settled(pilot)
        base = app.screen
        for name, build in SCREENS.items():
            if build is not None:
                screen = build(classes)
                app.push_screen(screen)
                await settled(pilot)
                if app.screen is not screen:
                    continue
            shown[name] = _leaks(_shown(app))
            while app.screen is not base:
                app.pop_screen()
                await settled(pilot)
    return shown


@pytest.mark.parametrize("username", ["wang", "zhang"])
@aio
async def test_every_screen_of_a_branch_user_shows_their_branch_only(two_bank, username):
    shown = await _what_each_screen_shows(two_bank, username)
    assert {name: leaked for name, leaked in shown.items() if leaked} == {}
    assert {"WorkListScreen", "ProfileScreen", "PlansScreen", "UnfinishedCallsScreen"} <= set(shown)
    if username == "wang":
        assert set(shown) == set(SCREENS), f"not opened by the supervisor: {set(SCREENS) - set(shown)}"


@aio
async def test_the_admin_sees_the_other_branch_on_the_same_screens(two_bank):
    """The seed reaches the screens that list borrowers or staff: the test above could fail."""
    shown = await _what_each_screen_shows(two_bank, "root")
    listing = {"WorkListScreen", "SmsScreen", "DashboardScreen", "DisputesScreen", "PlansScreen", "RefusalsScreen"}
    listing |= {"AssignScreen", "TrainingReportScreen"}
    assert {name for name in listing if not shown.get(name)} == set()


@aio
async def test_a_screen_about_another_branchs_borrower_is_refused(two_bank):
    """The profile and the plans of C0031 opened by 城关支行's supervisor: the service refuses (a notice), the
    profile closes and nothing of her is shown (the plans screen's title repeats the id asked for, no more)."""
    from collectui.domain.staff.users import list_users
    from collectui.tui.app import CollectApp
    from collectui.tui.screens.plans import PlansScreen
    from collectui.tui.screens.profile import ProfileScreen

    wang = next(u for u in list_users(two_bank, SYSTEM) if u.username == "wang")
    app = CollectApp(two_bank, lang="en", refresh_on_start=False, user=wang)
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_for(pilot, lambda: work_list_ready(app))
        base = app.screen
        for screen in (ProfileScreen("C0031"), PlansScreen("C0031")):
            app.push_screen(screen)
            await settled(pilot)
            assert set(_leaks(_shown(app))) <= {"C0031"}, type(screen).__name__
            notices = [n.message for n in app._notifications]
            assert any(f"acts for branch {OWN} only" in m for m in notices), notices
            app.clear_notifications()
            while app.screen is not base:
                app.pop_screen()
            await settled(pilot)
