"""The training hub: my practice scenarios and the quiz with my results, and my certification.

Reached with ``t`` from the work list and from the command palette on any screen; a trainee (who may not read
the queue) lands here after sign-in instead of the work list, so for them it is the first screen and Escape
does nothing. Enter on a scenario opens its briefing (``training_practice``), on the quiz row the quiz
(``training_quiz``); ``r`` opens the trainer's report for those allowed to read it. The figures are the
person's own (``training.progress``), read in a worker and again whenever the hub comes back into view.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from collectui.domain.errors import CollectError
from collectui.domain.textsafe import show
from collectui.domain.training.progress import Progress, Tries, my_progress
from collectui.domain.training.scenario import PracticeScenario, practice_scenarios
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor

QUIZ_ROW = "quiz"
NAMED_MISSING = 2  # more required scenarios still to pass are counted, not named (the table shows which)
OTHER_COLUMNS = 40  # cells the other five columns take with their padding and the scrollbar


def _title(text: str, width: int) -> Text:
    """A title cut to ``width`` cells, so that the other columns stay on screen at 80 columns."""
    title = Text(show(text))
    title.truncate(max(20, width), overflow="ellipsis")
    return title


class TrainingHubScreen(AppScreen[None]):
    DEFAULT_CSS = """
    TrainingHubScreen #trn-cert { padding: 0 1; height: auto; text-style: bold; }
    TrainingHubScreen #trn-cert.certified { color: $success; }
    TrainingHubScreen #trn-cert.missing { color: $warning; }
    TrainingHubScreen #trn-table { height: 1fr; }
    TrainingHubScreen #trn-hint { padding: 0 1; height: auto; }
    """

    HELP_KEY = "trn.help"
    BINDINGS = [
        Binding("escape", "back", "trn.key.back"),
        Binding("e", "quiz", "trn.key.quiz"),
        Binding("r", "app.training_report", "trn.key.report"),
    ]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.scenarios: list[PracticeScenario] = []
        self.progress: Progress | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("common.loading"), id="trn-cert")
        table: DataTable[str | Text] = DataTable(id="trn-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(self.app.t("trn.help"), id="trn-hint", classes="hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.app.t("trn.title")
        t = self.app.t
        table = self.query_one("#trn-table", DataTable)
        for key in ("scenario", "mandatory", "attempts", "best", "last", "passed"):
            table.add_column(t(f"trn.col.{key}"), key=key)
        table.focus()
        self._load()

    def on_screen_resume(self) -> None:
        if self.progress is not None:  # back from a practice call or the quiz: the figures changed
            self._load()

    @property
    def is_root(self) -> bool:
        """A trainee's first screen: there is nothing underneath to go back to."""
        user = self.app.user
        return user is not None and user.role == "trainee"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.is_root
        if action.startswith("app."):  # r: the report only for those who may read it (the app decides)
            return self.app.check_action(action.removeprefix("app."), parameters)
        return True

    # --- loading -----------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="training-hub")
    def _load(self) -> None:
        ctx = self.app.ctx
        try:
            scenarios = practice_scenarios(ctx.policy)
            progress = my_progress(ctx, signed_in_actor(self.app))
        except CollectError as exc:
            self.app.call_from_thread(self._failed, self.app.error_text(exc))
            return
        self.app.call_from_thread(self._loaded, scenarios, progress)

    def _failed(self, message: str) -> None:
        self.query_one("#trn-cert", Static).update(Text(self.app.t("app.error", msg=message)))
        self.notify(self.app.t("app.error", msg=message), severity="error")

    def _loaded(self, scenarios: list[PracticeScenario], progress: Progress) -> None:
        t, lang = self.app.t, self.app.lang
        # The required ones first: they are what a certification needs.
        self.scenarios = sorted(scenarios, key=lambda s: (not s.mandatory, s.id))
        self.progress = progress
        table = self.query_one("#trn-table", DataTable)
        width = self.app.size.width - OTHER_COLUMNS
        cursor = table.cursor_row
        table.clear()
        for s in self.scenarios:
            table.add_row(
                _title(s.title.get(lang), width), *self._cells(progress.tries(s.id), s.mandatory, False), key=s.id
            )
        n = self.app.ctx.policy.integer("training.quiz_questions")
        table.add_row(_title(t("trn.quiz_row", n=n), width), *self._cells(progress.quiz, True, True), key=QUIZ_ROW)
        table.move_cursor(row=min(cursor, table.row_count - 1))
        self._paint_certification(progress)

    def _cells(self, tries: Tries, mandatory: bool, percent: bool) -> list[str]:
        t = self.app.t

        def score(value: int | None) -> str:
            if value is None:
                return "-"
            return t("trn.percent", p=value) if percent else str(value)

        return [
            t("common.yes") if mandatory else "",
            str(tries.attempts),
            score(tries.best),
            score(tries.last),
            "✓" if tries.passed else ("✗" if tries.attempts else "-"),
        ]

    def _paint_certification(self, progress: Progress) -> None:
        t = self.app.t
        line = self.query_one("#trn-cert", Static)
        until = progress.certified_until
        if progress.certified and until is not None:
            head = t("trn.certified", until=until.isoformat())
        elif until is not None:
            head = t("trn.certified_expired", until=until.isoformat())
        else:
            head = t("trn.not_certified")
        missing = []
        if progress.missing_quiz:
            missing.append(t("trn.missing.quiz"))
        if len(progress.missing_scenarios) > NAMED_MISSING:  # the table marks them: a count keeps this short
            missing.append(t("trn.missing.count", n=len(progress.missing_scenarios)))
        elif progress.missing_scenarios:
            titles = {s.id: s.title.get(self.app.lang) for s in self.scenarios}
            ids = t("trn.list_sep").join(f"“{show(titles.get(i, i))}”" for i in progress.missing_scenarios)
            missing.append(t("trn.missing.scenarios", ids=ids))
        text = head
        if missing and not progress.certified:
            text += " · " + t("trn.missing", what=t("list.sep.clauses").join(missing))
        line.update(Text(text))
        line.set_class(progress.certified, "certified")
        line.set_class(not progress.certified, "missing")

    # --- actions -----------------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#trn-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key == QUIZ_ROW:
            self.action_quiz()
            return
        scenario = next((s for s in self.scenarios if s.id == key), None)
        if scenario is not None:
            from collectui.tui.screens.training_practice import PracticeScreen

            self.app.push_screen(PracticeScreen(scenario))

    def action_quiz(self) -> None:
        from collectui.tui.screens.training_quiz import QuizScreen

        self.app.push_screen(QuizScreen())

    def action_back(self) -> None:
        if not self.is_root:
            self.dismiss(None)
