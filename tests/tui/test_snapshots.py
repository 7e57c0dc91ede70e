"""SVG snapshots of every screen, Chinese and English, at 80x24 and 160x45 (and the work list and profile at
100x30); clock 2026-11-28 10:00 Asia/Shanghai, data from tests/support/tui_bank.py and tests/support/screens.py.

Update after a deliberate change with: pytest tests/tui/test_snapshots.py --snapshot-update, then look at the
changed SVGs (tests/tui/__snapshots__/test_snapshots/) before committing them.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, TextArea

from collectui.domain.staff.users import UserView, list_users
from collectui.tui.app import CollectApp
from collectui.tui.screens import call as call_screen
from collectui.tui.screens.call import CallScreen
from collectui.tui.screens.complaint import ComplaintScreen
from collectui.tui.screens.consent import ConsentHoursScreen
from collectui.tui.screens.contact_add import ContactAddScreen
from collectui.tui.screens.dashboard import DashboardScreen
from collectui.tui.screens.feedback import FeedbackScreen
from collectui.tui.screens.filters import FilterScreen
from collectui.tui.screens.help import HelpScreen
from collectui.tui.screens.login import LockScreen, LoginScreen
from collectui.tui.screens.plan_propose import PlanProposeScreen
from collectui.tui.screens.plans import PlansScreen
from collectui.tui.screens.profile import ProfileScreen
from collectui.tui.screens.refusals import RefusalsScreen
from collectui.tui.screens.sms import SmsScreen
from collectui.tui.screens.unmask import UnmaskScreen
from tests.support.cli import SYSTEM, actor_of
from tests.support.tui import settled, wait_for, work_list, work_list_ready

SIZE = (100, 30)


async def _list_settled(pilot) -> None:
    """The work list's first page is in, and the layout after it (the screen repaints its column header
    once the table's scrollbar has taken its column): the app idle twice in a row, not a fixed 0.1 s."""
    await wait_for(pilot, lambda: work_list_ready(pilot.app))
    await settled(pilot)


def _list_ready(username):
    async def run_before(pilot):
        await work_list(pilot, username)
        await _list_settled(pilot)

    return run_before


def _profile_ready(username, downs=0):
    async def run_before(pilot):
        app = pilot.app
        await work_list(pilot, username)
        await pilot.press(*(["down"] * downs), "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileScreen" and app.screen.profile)
        await settled(pilot)

    return run_before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_work_list_snapshot(snap_compare, bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_list_ready("zhang"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_snapshot(snap_compare, bank, lang):
    app = CollectApp(bank, lang=lang, refresh_on_start=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_profile_ready("zhang"))


def test_work_list_snapshot_80x24_supervisor(snap_compare, bank):
    app = CollectApp(bank, lang="zh", refresh_on_start=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_list_ready("wang"))


# --- every screen, both languages, the smallest supported terminal and a large one -------------------------------

SIZES = {"80x24": (80, 24), "160x45": (160, 45)}
every_size_and_language = pytest.mark.parametrize(
    "lang, size", [(lang, size) for lang in ("zh", "en") for size in SIZES]
)


def _user(ctx, username: str) -> UserView:
    return next(u for u in list_users(ctx, SYSTEM) if u.username == username)


def _app(ctx, lang: str, username: str | None = None) -> CollectApp:
    """The real app; signed in already as ``username`` (the sign-in itself has its own snapshots)."""
    user = _user(ctx, username) if username else None
    return CollectApp(ctx, lang=lang, refresh_on_start=False, user=user)


def _shot(snap_compare, app: CollectApp, size: str, ready, *, list_first: bool = True) -> bool:
    """``list_first``: a signed-in user's work list is loaded first (a trainee has none: False)."""

    async def run_before(pilot):
        if app.user is not None and list_first:
            await _list_settled(pilot)
        await ready(pilot)
        await settled(pilot)  # the workers' results handled too (a loaded machine: they arrive late)
        await wait_for(pilot, lambda: _tables_sized(app.screen) and not _pressed(app.screen))
        for field in app.screen.query(Input):  # a blinking cursor is off half the time: keep it on
            field.cursor_blink = False
        await _steady(pilot)

    return snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


async def _nothing(pilot) -> None:
    return None


def _press_then(*keys: str, until):
    async def ready(pilot):
        await pilot.press(*keys)
        await wait_for(pilot, lambda: until(pilot.app.screen))

    return ready


def _profile(customer_id: str, *keys: str, until=None):
    async def ready(pilot):
        app = pilot.app
        app.push_screen(ProfileScreen(customer_id))
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen) and app.screen.profile is not None)
        if keys:
            await pilot.press(*keys)
            await wait_for(pilot, lambda: until(app.screen))

    return ready


def _tables_sized(screen) -> bool:
    """Every DataTable has measured its new rows: it does that on an idle moment after they are added, which a
    loaded machine may not reach before the screenshot (the columns would show at the width of their titles)."""
    return not any(t._require_update_dimensions or t._new_rows for t in screen.query(DataTable))


async def _steady(pilot, seconds: float = 30.0) -> None:
    """The screen's text is the same twice in a row, an idle round apart (after the fields' cursors stopped
    blinking): a layout still moving (a table's columns measured, a title refitted) shows as a change. This
    stands where a fixed 0.1 s pause was, which hid such changes on a quick machine only most of the time."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        await pilot.pause()
        now = "\n".join("".join(seg.text for seg in strip) for strip in pilot.app.screen._compositor.render_strips())
        if now == last and not _pressed(pilot.app.screen):
            return
        last = now
    raise AssertionError("the screen kept changing")


def _pressed(screen) -> bool:
    """A button clicked in the last 0.2 s still shows its press (Textual's ``-active`` class, removed by a timer):
    the shot waits for it to end, as the fixed pauses before it happened to."""
    return bool(screen.query("Button.-active"))


def _rows(screen, selector: str) -> int:
    return screen.query_one(selector, DataTable).row_count


@every_size_and_language
def test_login_screen(snap_compare, screens_bank, lang, size):
    app = _app(screens_bank, lang)

    async def ready(pilot):
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen) and app.focused is not None)

    assert _shot(snap_compare, app, size, ready)


@every_size_and_language
def test_lock_screen(snap_compare, screens_bank, lang, size):
    """zhang idle past the limit: the screen locks over the work list."""
    app = _app(screens_bank, lang, "zhang")

    async def ready(pilot):
        screens_bank.clock.advance(timedelta(minutes=16))
        assert app.check_idle_lock()
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen) and app.focused is not None)

    assert _shot(snap_compare, app, size, ready)


@every_size_and_language
def test_work_list_screen(snap_compare, screens_bank, lang, size):
    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, _nothing)


@every_size_and_language
def test_work_list_callbacks_and_holds(snap_compare, screens_bank, lang, size):
    """Not callable ones included: a callback due at 15:00 (C0002, counted in the header), a reminder sent at
    09:30 today (C0013: callable after 10:30) and holds that only an event lifts (the rule alone)."""
    from tests.support.screens import add_callback_and_fresh_reminder

    add_callback_and_fresh_reminder(screens_bank)

    async def ready(pilot):
        screen = pilot.app.screen
        screen.set_filter(replace(screen.work_filter, include_blocked=True))
        await wait_for(pilot, lambda: screen.work_filter.include_blocked and work_list_ready(pilot.app))

    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, ready)


@every_size_and_language
def test_filters_screen(snap_compare, screens_bank, lang, size):
    """A supervisor's filters: the branch list is open to them (loaded in a worker)."""
    ready = _press_then("f", until=lambda screen: isinstance(screen, FilterScreen))
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_profile_screen(snap_compare, screens_bank, lang, size):
    """C0001, the richest history: a promise pending, calls, SMS, feedback, complaints, a guarantor."""
    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, _profile("C0001"))


@every_size_and_language
def test_unmask_screen(snap_compare, screens_bank, lang, size):
    ready = _profile("C0001", "u", until=lambda screen: isinstance(screen, UnmaskScreen))
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_feedback_screen(snap_compare, screens_bank, lang, size):
    """`f` on a profile: the feedback dialog, nothing chosen yet (the channel asked: not after a call)."""
    ready = _profile("C0001", "f", until=lambda screen: isinstance(screen, FeedbackScreen))
    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, ready)


@every_size_and_language
def test_complaint_screen(snap_compare, screens_bank, lang, size):
    """`o` on a profile, "about collection" chosen: the dialog says calls stop until a supervisor clears it."""

    def holding(screen) -> bool:
        return isinstance(screen, ComplaintScreen) and screen.query_one("#cp-effect").has_class("hold")

    async def ready(pilot):
        await _profile("C0001", "o", until=lambda screen: isinstance(screen, ComplaintScreen))(pilot)
        await pilot.press("enter")  # the first subject, collection, under the cursor of the focused choice
        await wait_for(pilot, lambda: holding(pilot.app.screen))

    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, ready)


def _call(customer_id: str, *buttons: str, until):
    """The call screen for ``customer_id``, its picker loaded, then ``buttons`` clicked one after the other."""

    async def ready(pilot):
        app = pilot.app
        app.push_screen(CallScreen(customer_id))
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen) and _rows(app.screen, "#call-picker"))
        for button in buttons:
            await wait_for(pilot, lambda b=button: not app.screen.query_one(b).disabled)
            await pilot.click(button)
        await wait_for(pilot, lambda: until(app.screen))

    return ready


@every_size_and_language
def test_call_picker_screen(snap_compare, screens_bank, lang, size):
    """C0001's numbers (her own, a guarantor) and Check on her own: refused, every reason, pick another."""
    checked = _call("C0001", "#call-check", until=lambda screen: screen.verdict is not None)
    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, checked)


@every_size_and_language
def test_call_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """C0010 checked and dialled (a reminder went out yesterday): the number, the timer, the empty form; the
    talk script beside it at 160 columns (opening with the reminder SMS, identity, amount), collapsed at 80."""
    monkeypatch.setattr(call_screen, "time", SimpleNamespace(monotonic=lambda: 1000.0))  # the timer stays 00:00
    started = _call(
        "C0010",
        "#call-check",
        "#call-dial",
        until=lambda screen: screen.call is not None and screen.problems.get("outcome") != ["…"],
    )
    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, started)


@every_size_and_language
def test_unfinished_calls_screen(snap_compare, screens_bank, lang, size):
    """zhang started a call on C0010 (the app closed before it was recorded); opened from the palette."""
    from collectui.domain.calls.record import start_call
    from collectui.tui.screens.unfinished import UnfinishedCallsScreen
    from tests.support.cli import actor_of

    async def ready(pilot):
        assert start_call(screens_bank, actor_of(screens_bank, "zhang"), "C0010").gate.allowed
        await pilot.app.screen.run_action("app.unfinished_calls")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnfinishedCallsScreen) and pilot.app.screen.calls)

    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, ready)


@every_size_and_language
def test_sms_screen(snap_compare, screens_bank, lang, size):
    ready = _press_then("m", until=lambda screen: isinstance(screen, SmsScreen) and _rows(screen, "#sms-messages"))
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_dashboard_screen(snap_compare, screens_bank, lang, size, plotext_in_order):
    ready = _press_then("d", until=lambda screen: isinstance(screen, DashboardScreen) and screen.data is not None)
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_refusals_screen(snap_compare, screens_bank, lang, size):
    ready = _press_then("x", until=lambda screen: isinstance(screen, RefusalsScreen) and _rows(screen, "#ref-attempts"))
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_help_screen(snap_compare, screens_bank, lang, size):
    """The keys of the work list, for a supervisor (the role keys shown)."""
    ready = _press_then("question_mark", until=lambda screen: isinstance(screen, HelpScreen))
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


# --- training: the hub, a practice call's dialogue and score, the quiz (a trainee, tian) -------------------------

TRAINING_SHOWN = ("first_call", "seventh_attempt", "stop_calling")  # fixed: a new scenario file changes no shot


def _trainee(ctx, monkeypatch):
    """tian, a trainee with two tries at first_call; the hub lists TRAINING_SHOWN only."""
    from collectui.domain.staff import users
    from collectui.domain.training import progress, results
    from collectui.domain.training.scenario import practice_scenarios
    from collectui.domain.training.scoring import Mistake, Score
    from collectui.tui.screens import training
    from tests.support.tui_bank import PASSWORD

    users.add_user(ctx, SYSTEM, "tian", "trainee", None, PASSWORD, "田学员")
    tian = actor_of(ctx, "tian")
    for total, passed in ((55, False), (90, True)):
        mistake = Mistake("choice", "no_identification", 100 - total)
        results.save_practice(ctx, tian, "first_call", 1, True, Score(total, 100 - total, 0, 0, passed, (mistake,)))
        ctx.clock.advance(timedelta(minutes=20))
    shown = [s for s in practice_scenarios(ctx.policy) if s.id in TRAINING_SHOWN]
    monkeypatch.setattr(training, "practice_scenarios", lambda policy: shown)
    monkeypatch.setattr(progress, "mandatory_ids", lambda: {s.id for s in shown if s.mandatory})


def _first_call(ctx):
    from collectui.domain.training.scenario import PRACTICE_DIR, load_practice

    return load_practice(PRACTICE_DIR / "first_call.toml", ctx.policy)


@every_size_and_language
def test_training_hub_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """A trainee's first screen: not certified and what is missing, first_call tried twice, the quiz row."""
    from collectui.tui.screens.training import TrainingHubScreen

    _trainee(screens_bank, monkeypatch)

    async def ready(pilot):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TrainingHubScreen) and pilot.app.screen.progress)

    assert _shot(snap_compare, _app(screens_bank, lang, "tian"), size, ready, list_first=False)


@every_size_and_language
def test_training_dialogue_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """first_call after the right opening: the banner, the transcript, the borrower's line, the options."""
    from collectui.tui.screens.training_practice import PracticeScreen

    _trainee(screens_bank, monkeypatch)

    async def ready(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TrainingHubScreen")
        screen = PracticeScreen(_first_call(screens_bank), start=True)
        app.push_screen(screen)
        await wait_for(pilot, lambda: screen.call is not None and not screen.busy)
        await wait_for(pilot, lambda: screen.query_one("#pr-dial").region.width > 0)
        await pilot.pause()  # laid out where it stays: the click lands on it
        await pilot.click("#pr-dial")
        await wait_for(pilot, lambda: screen.call.stage == "dialogue" and not screen.busy)
        await pilot.press("1")
        await wait_for(pilot, lambda: screen.call.transcript and not screen.busy)

    assert _shot(snap_compare, _app(screens_bank, lang, "tian"), size, ready, list_first=False)


@every_size_and_language
def test_training_score_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """first_call with two wrong choices, a save refused for its checklist, then recorded as a callback (not
    the promise it should be): every part of the score has a cost."""
    from collectui.demo.sandbox import open_practice
    from collectui.domain.calls import outcomes as oc
    from collectui.domain.calls.record import CallInput
    from collectui.tui.screens.training_score import ScoreScreen

    _trainee(screens_bank, monkeypatch)

    async def ready(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TrainingHubScreen")
        call = open_practice(screens_bank, actor_of(screens_bank, "tian"), _first_call(screens_bank))
        call.proceed()

        def pick(option):  # the answers are shown shuffled
            call.choose(next(n for n, o in enumerate(call.shown) if o is option))

        pick(call.turn.options[2])  # no name, no recording notice
        while call.stage == "dialogue":  # then right, except blame at "amount"
            options = call.turn.options
            pick(options[1] if call.turn.id == "amount" else next(o for o in options if not o.cost))
        data = CallInput(call.customer_id, "callback", call.contact, recording_ref="REC-1", callback_at="16:00")
        assert not call.submit(data).saved  # the checklist is missing
        assert call.submit(replace(data, checklist=list(oc.checklist_for("callback", False)))).saved
        screen = ScoreScreen(call, retry=lambda: None)
        app.push_screen(screen)
        await wait_for(pilot, lambda: app.screen is screen and not screen.storing)

    assert _shot(snap_compare, _app(screens_bank, lang, "tian"), size, ready, list_first=False)


@every_size_and_language
def test_training_quiz_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """The first question of the paper drawn under the fixed clock, its second option picked with 2."""
    from collectui.tui.screens.training_quiz import QuizScreen

    _trainee(screens_bank, monkeypatch)

    async def ready(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TrainingHubScreen")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen) and app.screen.paper is not None)
        await pilot.pause()
        await pilot.press("2")

    assert _shot(snap_compare, _app(screens_bank, lang, "tian"), size, ready, list_first=False)


def _plans(ctx) -> None:
    """C0003 on an active plan (two instalments), C0004 on a seven-instalment plan waiting, both by zhang."""
    from datetime import date

    from collectui.domain.cases import plans
    from collectui.domain.cases.plan_rules import PlannedInstalment, borrower_figures

    zhang = actor_of(ctx, "zhang")
    for cid, days in (
        ("C0003", [date(2026, 12, 15), date(2027, 1, 15)]),
        ("C0004", [date(2026, 12, 15)] + [date(2027, m, 15) for m in range(1, 7)]),
    ):
        with ctx.db.raw_read() as raw:
            overdue = borrower_figures(raw, cid, ctx.clock.today()).overdue_fen
        each = -(-overdue // len(days))
        plans.propose_plan(ctx, zhang, cid, [PlannedInstalment(d, each) for d in days])


@every_size_and_language
def test_plans_screen(snap_compare, screens_bank, lang, size):
    """A supervisor's plans: one active, one waiting for approval (its instalments shown below the list)."""
    _plans(screens_bank)

    async def ready(pilot):
        app = pilot.app
        app.push_screen(PlansScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, PlansScreen) and app.screen.loaded)

    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_plan_propose_screen(snap_compare, screens_bank, lang, size):
    """`p` on a profile, then `p` again: the proposal dialog, with a plan below the overdue amount refused."""

    async def ready(pilot):
        app = pilot.app
        await _profile("C0001", "p", until=lambda screen: isinstance(screen, PlansScreen) and screen.loaded)(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanProposeScreen))
        app.screen.query_one("#plan-lines", TextArea).text = "2026-12-15:500\n2027-01-15:500"
        await pilot.press("ctrl+s")
        # The refusal, in the run's language (the domain says it as a Said: error.cases.plan_below_overdue).
        await wait_for(pilot, lambda: str(app.screen.query_one("#message", Label).content).strip())

    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, ready)


def _disputes(ctx) -> None:
    """Besides C0009's open dispute (due 12-05): C0013's, opened 11-05 (not my loan), overdue since 11-20;
    C0017's, upheld on 11-20."""
    with ctx.db.raw_write() as raw:
        raw.execute(
            "INSERT INTO dispute (customer_id, opened_at, status, reason, reason_code, due_on) "
            "VALUES ('C0013', '2026-11-05T02:00:00+00:00', 'open', '-', 'not_my_loan', '2026-11-20')"
        )
        raw.execute(
            "INSERT INTO dispute (customer_id, opened_at, status, reason, reason_code, due_on, resolved_at, "
            "resolution, told_by) VALUES ('C0017', '2026-11-10T02:00:00+00:00', 'resolved_upheld', '-', "
            "'already_paid', '2026-11-25', '2026-11-20T03:00:00+00:00', '已核实还款，已更正', 'letter')"
        )


def _disputes_screen(pilot):
    from collectui.tui.screens.disputes import DisputesScreen

    app = pilot.app
    app.push_screen(DisputesScreen())
    return wait_for(pilot, lambda: isinstance(app.screen, DisputesScreen) and app.screen.views is not None)


@every_size_and_language
def test_disputes_screen(snap_compare, screens_bank, lang, size):
    """A supervisor's disputes: the overdue one first, in red; the resolved one last, dimmed."""
    _disputes(screens_bank)
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, _disputes_screen)


@every_size_and_language
def test_resolve_dispute_screen(snap_compare, screens_bank, lang, size):
    """Enter on the overdue dispute: the resolve dialog, "rejected" chosen, a reason typed."""
    from collectui.tui.screens.disputes import ResolveDisputeScreen

    _disputes(screens_bank)

    async def ready(pilot):
        app = pilot.app
        await _disputes_screen(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResolveDisputeScreen))
        next(b for b in app.screen.query("#rd-outcome RadioButton") if b.name == "rejected").value = True
        app.screen.query_one("#rd-reason", TextArea).text = "借款合同与放款流水核对无误"

    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


def _assign_screen(pilot):
    from collectui.tui.screens.assign import AssignScreen

    app = pilot.app
    app.push_screen(AssignScreen("C0020"))
    return wait_for(pilot, lambda: isinstance(app.screen, AssignScreen) and app.screen.loads is not None)


@every_size_and_language
def test_assign_screen(snap_compare, screens_bank, lang, size):
    """A supervisor's assignment screen for C0020 (nobody's): zhang's load and the branch's unassigned."""
    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, _assign_screen)


@every_size_and_language
def test_balance_screen(snap_compare, screens_bank, lang, size):
    """`b` with a second collector, chen, new in 城关支行: the dry run to confirm, before and after."""
    from collectui.domain.staff import users
    from collectui.tui.screens.assign import BalanceScreen

    users.add_user(screens_bank, SYSTEM, "chen", "collector", "城关支行", "correct-horse-9", "陈催收")

    async def ready(pilot):
        await _assign_screen(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, BalanceScreen))

    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


@every_size_and_language
def test_contact_add_screen(snap_compare, screens_bank, lang, size):
    """A number learned on a call with C0001, about a third party: every field open."""
    with screens_bank.db.raw_read() as raw:
        call = raw.execute("SELECT min(id) FROM call_attempt WHERE customer_id = 'C0001'").fetchone()[0]

    async def ready(pilot):
        pilot.app.push_screen(Screen())  # a blank page under the dialog: the work list's changes are not its
        pilot.app.push_screen(ContactAddScreen("C0001", call))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ContactAddScreen))
        await pilot.click("#cn-third")
        await wait_for(pilot, lambda: not pilot.app.screen.query_one("#cn-name", Input).disabled)

    assert _shot(snap_compare, _app(screens_bank, lang, "zhang"), size, ready)


@every_size_and_language
def test_consent_hours_screen(snap_compare, screens_bank, lang, size):
    """A supervisor's agreed-hours dialog for a borrower without agreed hours: the default window shown."""

    async def ready(pilot):
        pilot.app.push_screen(Screen())  # as above
        pilot.app.push_screen(ConsentHoursScreen("C0002"))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConsentHoursScreen) and pilot.app.screen.loaded)

    assert _shot(snap_compare, _app(screens_bank, lang, "wang"), size, ready)


def _training_report(ctx, monkeypatch, *, trainee: bool = False):
    """The trainer's report over tests/support/training_rows.py (amy and ben), the shipped scenarios fixed at
    five real ones so the "passed of total" column does not change when a scenario file is added; ``trainee``:
    Enter on amy's row."""
    from collectui.tui.screens import training_report
    from tests.support.training_rows import seed_training

    seed_training(ctx)
    real = training_report.shipped_scenarios
    shown = ("first_call", "angry", "relative_answers", "stop_calling", "seventh_attempt")
    monkeypatch.setattr(
        training_report, "shipped_scenarios", lambda p: {i: t for i, t in real(p).items() if i in shown}
    )

    async def ready(pilot):
        app = pilot.app
        app.action_training_report()
        await wait_for(
            pilot, lambda: isinstance(app.screen, training_report.TrainingReportScreen) and app.screen.report
        )
        await app.workers.wait_for_complete()
        if trainee:
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, training_report.TraineeScreen))

    return ready


@every_size_and_language
def test_training_report_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """A trainer's view: amy (certified, two scenarios, her top mistakes) and ben (not certified)."""
    ready = _training_report(screens_bank, monkeypatch)
    assert _shot(snap_compare, _app(screens_bank, lang, "tina"), size, ready)


@every_size_and_language
def test_training_trainee_screen(snap_compare, screens_bank, lang, size, monkeypatch):
    """amy's scenarios and every mistake of the window, opened with Enter from the report."""
    ready = _training_report(screens_bank, monkeypatch, trainee=True)
    assert _shot(snap_compare, _app(screens_bank, lang, "tina"), size, ready)
