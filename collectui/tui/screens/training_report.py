"""The trainer's report on screen: one row per trainee, Enter for that trainee's scenarios and mistakes.

The same figures as ``collectui report training`` (``domain.reports.training``), over its default window (the
30 days up to today). Opened from the command palette and from the training hub. Trainers and admins see
everyone, a supervisor their branch's staff; other roles are told so and the screen closes before any read
(the service would refuse and audit it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from collectui.domain.errors import CollectError
from collectui.domain.policy import Policy
from collectui.domain.reports.training import PERMISSION, TraineeResult, TrainingReport, training_report
from collectui.domain.staff.permissions import may
from collectui.domain.textsafe import show
from collectui.domain.training.scenario import Text as ScenarioText
from collectui.domain.training.scenario import practice_scenarios
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.training.text import mistake_name
from collectui.tui.wording import listed

TITLE_WIDTH = 34  # cells, as on the training hub
TOP_MISTAKES = 3  # shown per trainee in the list; the trainee's screen has them all
MISTAKES_WIDTH = 28  # cells: with the other columns the list fits in 80 columns (the rest after an ellipsis)


def shipped_scenarios(policy: Policy) -> dict[str, ScenarioText]:
    """id -> title of the practice scenarios a trainee can play now: "passed of total" counts against them (a
    scenario tried in the window but since withdrawn still counts, so passed never exceeds the total)."""
    try:
        return {s.id: s.title for s in practice_scenarios(policy)}
    except CollectError:  # a broken scenario file: the practice screens say so; count what was tried
        return {}


def _cell(value: object, width: int | None = None) -> Text:
    """Plain text, never markup: usernames and ids come from accounts and files; cut at ``width`` cells."""
    text = Text(show(str(value)))
    if width is not None:
        text.truncate(width, overflow="ellipsis")
    return text


def _mistake_name(t: Callable[..., str], mistake_id: str) -> str:
    """A practice mistake's or quiz topic's short name (as the score screen names it), else the id as stored
    (a bank's own scenario)."""
    return mistake_name(t, mistake_id) or mistake_id


class TrainingReportScreen(AppScreen[None]):
    DEFAULT_CSS = """
    TrainingReportScreen #trep-head { text-style: bold; padding: 0 1; }
    TrainingReportScreen #trep-table { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "trep.key.back"),
        Binding("r", "reload", "trep.key.reload"),
    ]

    class Loaded(Message):
        def __init__(
            self,
            report: TrainingReport | None,
            shipped: dict[str, ScenarioText] | None = None,
            error: str | None = None,
        ) -> None:
            super().__init__()
            self.report, self.shipped, self.error = report, shipped or {}, error

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.report: TrainingReport | None = None
        self.shipped: dict[str, ScenarioText] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="trep-head", markup=False)
            yield DataTable(id="trep-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("trep.title")
        if not may(signed_in_actor(self.app), PERMISSION):
            self.notify(t("trep.not_allowed"), severity="warning")
            self.dismiss(None)
            return
        self.query_one("#trep-table", DataTable).add_columns(
            *(t(f"trep.col.{c}") for c in ("user", "until", "quiz", "passed", "mistakes"))
        )
        self.query_one("#trep-head", Static).update(t("trep.loading"))
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="training-report")
    def _load(self) -> None:
        app = self.app
        try:
            found = training_report(app.ctx, signed_in_actor(app))
        except CollectError as exc:
            self.post_message(self.Loaded(None, error=self.app.error_text(exc)))
            return
        self.post_message(self.Loaded(found, shipped_scenarios(app.ctx.policy)))

    def on_training_report_screen_loaded(self, message: Loaded) -> None:
        t = self.app.t
        if message.error or message.report is None:
            self.notify(t("app.error", msg=message.error), severity="error")
            return
        report = self.report = message.report
        self.shipped = message.shipped
        span = {"start": report.date_from.isoformat(), "end": report.date_to.isoformat()}
        head = t("trep.window", n=len(report.trainees), **span) if report.trainees else t("trep.none", **span)
        self.query_one("#trep-head", Static).update(head)
        table = self.query_one("#trep-table", DataTable)
        table.clear()
        today = self.app.ctx.clock.today()
        for i, trainee in enumerate(report.trainees):
            tried = {s.id for s in trainee.scenarios}
            top = listed(t, (f"{_mistake_name(t, m.id)} ×{m.count}" for m in trainee.mistakes[:TOP_MISTAKES]))
            table.add_row(
                _cell(trainee.user),
                until_text(t, trainee.certified_until, today),
                f"{trainee.quiz_best}%" if trainee.quiz_best is not None else t("trep.no_quiz"),
                t("trep.passed_of", passed=trainee.passed_count, total=len(self.shipped.keys() | tried)),
                _cell(top, MISTAKES_WIDTH),
                key=str(i),
            )

    @on(DataTable.RowSelected, "#trep-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        report = self.report
        row = event.cursor_row
        if report is not None and 0 <= row < len(report.trainees):
            self.app.push_screen(TraineeScreen(report, report.trainees[row], self.shipped))

    def action_back(self) -> None:
        self.dismiss(None)


def until_text(t: Callable[..., str], until: date | None, today: date) -> str:
    """Certified-until as shown: the day it ends, marked when that has come (expired); "not certified" without one."""
    if until is None:
        return t("trep.never")
    return t("trep.expired", day=until.isoformat()) if until <= today else until.isoformat()


class TraineeScreen(AppScreen[None]):
    """One trainee: each scenario (attempts, best, last, passed) and every mistake counted in the window."""

    DEFAULT_CSS = """
    TraineeScreen #trainee-head { text-style: bold; padding: 0 1; }
    TraineeScreen #trainee-facts { padding: 0 1; }
    TraineeScreen #trainee-scenarios { height: auto; max-height: 50%; }
    TraineeScreen #trainee-mistakes { height: 1fr; margin-top: 1; }
    """

    BINDINGS = [Binding("escape", "back", "trep.key.back")]

    def __init__(
        self, report: TrainingReport, trainee: TraineeResult, titles: dict[str, ScenarioText] | None = None
    ) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.report, self.trainee, self.titles = report, trainee, titles or {}

    def _title(self, scenario_id: str) -> Text:
        """The scenario's title in the user's language; its id when no shipped file has it any more."""
        title = self.titles.get(scenario_id)
        return _cell(title.get(self.app.lang) if title is not None else scenario_id, TITLE_WIDTH)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="trainee-head", markup=False)
            yield Static("", id="trainee-facts", markup=False)
            yield DataTable(id="trainee-scenarios", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="trainee-mistakes", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t, tr = self.app.t, self.trainee
        self.title = t("trep.title")
        span = {"start": self.report.date_from.isoformat(), "end": self.report.date_to.isoformat()}
        self.query_one("#trainee-head", Static).update(t("trep.trainee", user=show(tr.user), **span))
        quiz = f"{tr.quiz_best}%" if tr.quiz_best is not None else t("trep.no_quiz")
        until = until_text(t, tr.certified_until, self.app.ctx.clock.today())
        self.query_one("#trainee-facts", Static).update(
            f"{t('trep.col.until')}: {until}    {t('trep.col.quiz')}: {quiz}"
        )
        scenarios = self.query_one("#trainee-scenarios", DataTable)
        scenarios.add_columns(*(t(f"trep.col.{c}") for c in ("scenario", "attempts", "best", "last", "result")))
        for s in tr.scenarios:
            scenarios.add_row(
                self._title(s.id), str(s.attempts), str(s.best), str(s.last),
                t("trep.passed") if s.passed else t("trep.not_passed"), key=s.id,
            )  # fmt: skip
        if not tr.scenarios:
            scenarios.add_row(t("trep.no_scenarios"), "", "", "", "")
        mistakes = self.query_one("#trainee-mistakes", DataTable)
        mistakes.add_columns(*(t(f"trep.col.{c}") for c in ("kind", "mistake", "count")))
        for m in tr.mistakes:
            kind = t(f"trep.kind.{m.kind}") if m.kind in ("choice", "compliance", "outcome", "quiz") else m.kind
            mistakes.add_row(_cell(kind), _cell(_mistake_name(t, m.id)), str(m.count))
        if not tr.mistakes:
            mistakes.add_row(t("trep.no_mistakes"), "", "")
        scenarios.focus()

    def action_back(self) -> None:
        self.dismiss(None)
