"""A practice call: the briefing, the real gate's verdict, the dialogue, then the real call form.

Everything a trainee meets is the live app's: the gate is asked in the sandbox built from the scenario
(``demo.sandbox.open_practice``), and the record is saved through ``PracticeCall.submit``, which is the real
``log_call`` in the sandbox; its problems are shown beside the fields exactly as on the call screen. Unlike
the call screen, the form is not checked as it is typed: Save is what checks it, and every problem it
refuses costs points, as it would have been a mistake on a real call. A banner says TRAINING on every stage.

When the call is over (stopped at the gate, called anyway, or recorded) the score screen replaces this one;
leaving before that throws the sandbox away and stores nothing. Building the sandbox and every service call
run in thread workers, one at a time (``busy``).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from collectui.demo.sandbox import open_practice
from collectui.domain.calls.record import CallInput, CallResult
from collectui.domain.calls.targets import call_targets
from collectui.domain.errors import CollectError
from collectui.domain.textsafe import show
from collectui.domain.training.practice import PracticeCall
from collectui.domain.training.scenario import PracticeScenario
from collectui.tui.base import AppScreen, answer_on_ui, localise_bindings, signed_in_actor
from collectui.tui.screens.call import grouped
from collectui.tui.screens.confirm_quit import QUIT_BINDING, ask_to_quit
from collectui.tui.widgets.call.form import CallForm
from collectui.tui.widgets.call.verdict import hit_text, reason_lines, rule_title, warning_lines
from collectui.tui.widgets.keys import number_range, show_number_range
from collectui.tui.widgets.training.banner import TrainingBanner
from collectui.tui.widgets.training.text import briefing, speaker
from collectui.tui.widgets.training.transcript import Transcript

MAX_OPTIONS = 4


class PracticeScreen(AppScreen[None]):
    DEFAULT_CSS = """
    PracticeScreen #pr-body { padding: 0 1; }
    PracticeScreen .pr-stage { height: auto; display: none; }
    PracticeScreen .pr-stage.active { display: block; }
    PracticeScreen .pr-buttons { height: auto; margin: 1 0 0 0; }
    PracticeScreen .pr-buttons Button { margin: 0 2 0 0; }
    PracticeScreen #pr-gate-text { height: auto; }
    PracticeScreen #pr-transcript { color: $text-muted; }
    PracticeScreen #pr-line { margin: 1 0 0 0; text-style: bold; }
    PracticeScreen #pr-prompt { height: auto; margin: 1 0 0 0; color: $accent; }
    PracticeScreen #pr-options { height: auto; max-height: 14; margin: 0 0 0 2; }
    PracticeScreen #pr-form-hint { height: auto; color: $warning; }
    """

    BINDINGS = [
        Binding("escape", "back", "trn.key.abandon"),
        # The footer shows the keys of the answers on screen (show_number_range in _show_turn).
        Binding("1", "choose(0)", "trn.key.choose", key_display=number_range(MAX_OPTIONS)),
        *[Binding(str(i + 1), f"choose({i})", "", show=False) for i in range(1, MAX_OPTIONS)],
        Binding("ctrl+s", "save", "call.key.save"),
        QUIT_BINDING,
    ]

    def __init__(self, scenario: PracticeScenario, *, start: bool = False) -> None:
        """``start``: skip the briefing and open the sandbox at once (Retry from the score screen)."""
        super().__init__()
        localise_bindings(self, self.app)
        self.scenario = scenario
        self.start_now = start
        self.call: PracticeCall | None = None
        self.third_party = False
        self.busy = False
        self.finished = False  # the score screen took over: the sandbox is the score screen's now

    # --- layout ------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield TrainingBanner(t("trn.banner"))
        with VerticalScroll(id="pr-body"):
            with Vertical(id="pr-brief", classes="pr-stage"):
                yield Static(briefing(t, self.app.lang, self.scenario), id="pr-brief-text")
                with Horizontal(classes="pr-buttons"):
                    yield Button(t("trn.start"), id="pr-start", variant="primary")
                    yield Button(t("trn.back"), id="pr-leave")
            with Vertical(id="pr-gate", classes="pr-stage"):
                yield Static(t("trn.brief.preparing"), id="pr-gate-text")
                with Horizontal(classes="pr-buttons", id="pr-gate-buttons"):
                    yield Button(t("trn.dial"), id="pr-dial", variant="success")
                    yield Button(t("trn.stop"), id="pr-stop", variant="primary")
                    yield Button(t("trn.call_anyway"), id="pr-anyway", variant="error")
            with Vertical(id="pr-dialogue", classes="pr-stage"):
                yield Transcript(id="pr-transcript")
                yield Transcript(id="pr-line")
                yield Static("", id="pr-prompt")
                yield OptionList(id="pr-options", compact=True)
            with Vertical(id="pr-form", classes="pr-stage"):
                yield Static(t("trn.form.hint"), id="pr-form-hint")
                yield CallForm(t, id="call-form")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = show(self.scenario.title.get(self.app.lang))
        self.query_one("#call-learned", Button).display = False  # nothing is learned from a simulated call
        self.query_one("#call-cancel", Button).label = self.app.t("trn.form.abandon")
        self.query_one("#pr-gate-buttons").display = False
        if self.start_now:
            self.action_start()
        else:
            self._stage("pr-brief")
            self.query_one("#pr-start", Button).focus(scroll_visible=False)  # the briefing's top stays in view

    def _stage(self, stage_id: str) -> None:
        for stage in self.query(".pr-stage"):
            stage.set_class(stage.id == stage_id, "active")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        stage = self.call.stage if self.call is not None else None
        if action == "choose":
            return stage == "dialogue" and not self.busy
        if action == "save":
            return stage == "form"
        return True

    def _error(self, message: str | None) -> None:
        self.busy = False
        self.notify(self.app.t("app.error", msg=message), severity="error")

    # --- the sandbox and the gate ------------------------------------------------------------------------
    @on(Button.Pressed, "#pr-start")
    def action_start(self) -> None:
        if self.call is not None or self.busy:
            return
        self.busy = True
        self._stage("pr-gate")
        self._open()

    @work(thread=True, exclusive=True, group="practice")
    def _open(self) -> None:
        def ask() -> tuple[PracticeCall, bool]:
            call = open_practice(self.app.ctx, signed_in_actor(self.app), self.scenario)
            try:  # the form offers the outcomes of the kind of call it is, like the real call screen
                targets = call_targets(call.sandbox, call.customer_id).targets
            except CollectError:
                call.close()
                raise
            target = next((x for x in targets if x.value == call.contact), None)
            return call, target.third_party if target is not None else call.contact != "debtor"

        answer_on_ui(self.app, self._opened, ask)

    def _opened(self, answer: tuple[PracticeCall, bool] | None, error: str | None) -> None:
        self.busy = False
        if answer is None:
            self._error(error)
            self.query_one("#pr-gate-text", Static).update(Text(self.app.t("app.error", msg=error)))
            return
        if not self.is_attached:  # the trainee left while it was being built
            answer[0].close()
            return
        self.call, self.third_party = answer
        t = self.app.t
        gate = self.call.gate
        if gate.allowed:
            lines = [t("trn.gate.allowed")]
        else:
            lines = [t("trn.gate.refused"), *reason_lines(gate, t), "", t("trn.gate.ask")]
        self.query_one("#pr-gate-text", Static).update(Text("\n".join(lines + warning_lines(gate, t))))
        self.query_one("#pr-gate-buttons").display = True
        self.query_one("#pr-dial", Button).display = gate.allowed
        self.query_one("#pr-stop", Button).display = not gate.allowed
        self.query_one("#pr-anyway", Button).display = not gate.allowed
        self.query_one("#pr-dial" if gate.allowed else "#pr-stop", Button).focus()
        self._show_clock()

    def _show_clock(self) -> None:
        if self.call is not None:
            now = self.call.sandbox.clock.now().astimezone(self.app.ctx.policy.tz)
            self.sub_title = self.app.t("trn.clock", time=now.strftime("%H:%M"))

    @on(Button.Pressed, "#pr-dial")
    def _dial(self) -> None:
        self._step(lambda call: call.proceed())

    @on(Button.Pressed, "#pr-stop")
    def _stop(self) -> None:
        self._step(lambda call: call.stop_at_gate())

    @on(Button.Pressed, "#pr-anyway")
    def _anyway(self) -> None:
        self._step(lambda call: call.call_anyway())

    def _step(self, move: Callable[[PracticeCall], object]) -> None:
        """Run one move of the practice call in a worker, then show the stage it leads to."""
        if self.call is None or self.busy:
            return
        self.busy = True
        self._run_step(self.call, move)

    @work(thread=True, exclusive=True, group="practice")
    def _run_step(self, call: PracticeCall, move: Callable[[PracticeCall], object]) -> None:
        answer_on_ui(self.app, self._stepped, lambda: move(call))

    def _stepped(self, result: object, error: str | None) -> None:
        self.busy = False
        if error is not None:
            self._error(error)
            return
        self._follow()

    def _follow(self) -> None:
        """Show what the practice call's stage now asks for."""
        call = self.call
        assert call is not None
        self._show_clock()
        if call.stage == "dialogue":
            self._show_turn(call)
        elif call.stage == "form":
            self._open_form()
        elif call.stage == "done":
            self._finish(call)

    # --- the dialogue ------------------------------------------------------------------------------------
    def _show_turn(self, call: PracticeCall) -> None:
        t, lang = self.app.t, self.app.lang
        turn = call.turn
        assert turn is not None
        self._stage("pr-dialogue")
        lines: list[tuple[str, str, bool]] = []
        for said, option in call.transcript:
            lines.append((speaker(t, said.speaker), said.say.get(lang), False))
            lines.append((t("trn.you"), option.say.get(lang), True))
        self.query_one("#pr-transcript", Transcript).show_lines(lines)
        self.query_one("#pr-line", Transcript).show_lines([(speaker(t, turn.speaker), turn.say.get(lang), False)])
        self.query_one("#pr-prompt", Static).update(t("trn.choose", n=len(call.shown)))
        options = self.query_one("#pr-options", OptionList)
        options.clear_options()
        # In the engine's shuffled order (PracticeCall.shown): the files list the right answer first.
        # A Chinese answer is one long "word" to the wrapper: after "1. " it would start on the next line and
        # leave the number alone, so in Chinese the number takes a full-width stop and no space.
        dot = "．" if lang == "zh" else ". "
        options.add_options([Option(Text(f"{n}{dot}{show(o.say.get(lang))}")) for n, o in enumerate(call.shown, 1)])
        options.highlighted = 0
        options.focus(scroll_visible=False)
        show_number_range(self, "1", len(call.shown))
        self.call_after_refresh(self.query_one("#pr-body", VerticalScroll).scroll_end, animate=False)

    @on(OptionList.OptionSelected, "#pr-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index)

    def action_choose(self, index: int) -> None:
        call = self.call
        if call is None or call.stage != "dialogue" or call.turn is None or index >= len(call.shown):
            return
        self._step(lambda c: c.choose(index))

    # --- the call form -----------------------------------------------------------------------------------
    def _open_form(self) -> None:
        self._stage("pr-form")
        form = self.query_one("#call-form", CallForm)
        form.open(self.third_party)
        form.show_problems({}, True)
        self.query_one("#f-outcome", Select).focus()

    @on(Select.Changed, "#f-outcome, #f-dispute_reason")
    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _field_changed(self) -> None:
        # The problems shown stay until the next Save (they are what the form refused); Save is open again.
        if self.call is not None and self.call.stage == "form" and not self.busy:
            self.query_one("#call-save", Button).disabled = False

    @on(Button.Pressed, "#call-save")
    def action_save(self) -> None:
        call = self.call
        if call is None or call.stage != "form" or self.busy:
            return
        self.busy = True
        self.query_one("#call-save", Button).disabled = True
        data = self.query_one("#call-form", CallForm).data(call.customer_id, call.contact)
        self._run_save(call, data)

    @work(thread=True, exclusive=True, group="practice")
    def _run_save(self, call: PracticeCall, data: CallInput) -> None:
        answer_on_ui(self.app, self._saved, lambda: call.submit(data))

    def _saved(self, result: CallResult | None, error: str | None) -> None:
        self.busy = False
        t = self.app.t
        if result is None:
            self._error(error)
            self.query_one("#call-save", Button).disabled = False
            return
        if not result.saved:
            problems = grouped(result.problems)
            form = self.query_one("#call-form", CallForm)
            if form.outcome() is None:  # said as the call screen says it
                problems["outcome"] = [t("call.missing_outcome")]
            for reason in result.reasons:  # the gate refused at the save (the clock passed the window)
                problems.setdefault("outcome", []).append(f"{rule_title(reason.rule, t)}: {hit_text(reason, t)}")
            form.show_problems(problems, True)
            self.notify(t("trn.not_saved"), severity="error")
            return
        self._follow()

    # --- the end -----------------------------------------------------------------------------------------
    def _finish(self, call: PracticeCall) -> None:
        from collectui.tui.screens.training_score import ScoreScreen

        self.finished = True
        scenario = self.scenario
        self.app.switch_screen(ScoreScreen(call, retry=lambda: PracticeScreen(scenario, start=True)))

    @on(Button.Pressed, "#pr-leave, #call-cancel")
    def action_back(self) -> None:
        if self.busy:
            return
        self.dismiss(None)

    @property
    def asks_before_quit(self) -> bool:
        """A practice call is open and not over: quitting would throw it away unscored."""
        return self.call is not None and not self.finished

    def action_ask_quit(self) -> None:
        ask_to_quit(self.app, self.asks_before_quit, "quit.confirm.practice")

    def on_unmount(self) -> None:
        # Left before the end (back, abandon, quit): nothing is stored and the sandbox goes.
        if self.call is not None and not self.finished:
            self.call.close()
            self.call = None
