"""A call from the TUI: pick a number, check it, dial, record what happened (or cancel).

Business rules live in ``domain.calls``; this screen walks the collector through them in order:
1. the picker lists every number of the borrower and her contacts with its state (``call_targets``); nothing
   is checked and no number is shown in full yet;
2. Check asks the gate for the picked number (``check_call``: the verdict and every reason, nothing written);
   a refusal lets the collector pick another number;
3. Dial starts the call (``start_call``: the gate again, in the transaction that writes the started attempt)
   and only then shows the full number, a timer and the form;
4. the form is validated as the collector types (``validate_call``) and saved with ``log_call``; after a
   connected call the screen offers to record the customer's feedback or a number learned on the call.
Beside it all, the talk-script panel (``widgets.call.script_panel``) shows what to say in the situation so far
(``conduct.scripts.choose``: the outcome chosen, whose number, the borrower's bucket and vulnerable flag, the
first contact of a cycle); F2 collapses it, and it starts collapsed below 120 columns.
Leaving before Dial writes nothing; cancelling after Dial ends the attempt with ``cancel_call``, which
counts as unanswered because the number was shown (the collector may have dialled).

The same screen records a call that was started and never logged (``resume``, from the unfinished-calls
screen): no picker and no number, only the form for that attempt.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Button, Checkbox, DataTable, Footer, Header, Input, Select, Static

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.gate import GateResult
from collectui.domain.calls.record import (
    CallInput,
    CallResult,
    CancelResult,
    StartResult,
    UnfinishedCall,
    cancel_call,
    check_call,
    log_call,
    start_call,
    validate_call,
)
from collectui.domain.calls.talk import CallFacts, call_facts, scripts_in_force
from collectui.domain.calls.targets import CallTarget, CallTargets, call_targets
from collectui.domain.calls.validation import Problem
from collectui.domain.conduct.scripts import Scripts, choose
from collectui.domain.textsafe import show
from collectui.tui.base import AppScreen, answer_on_ui, localise_bindings, signed_in_actor
from collectui.tui.screens.call_dialogs import AfterCallScreen, ConfirmCancelScreen, open_contact_add
from collectui.tui.widgets.call.form import CallForm
from collectui.tui.widgets.call.picker import PickPanel, TargetPicker, who_and_number
from collectui.tui.widgets.call.script_panel import WIDE, ScriptPanel
from collectui.tui.widgets.call.verdict import checked_text, started_text


def grouped(problems: list[Problem]) -> dict[str, list[str]]:
    """Problems by the field they are about."""
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.field, []).append(p.message)
    return out


class CallScreen(AppScreen[int | None]):
    """Dismissed with the saved call id, or None (left before Dial, cancelled, or back from a resume)."""

    DEFAULT_CSS = """
    CallScreen #call-main { height: 1fr; }
    CallScreen #call-body { padding: 0 1; width: 3fr; }
    CallScreen #call-who { text-style: bold; }
    CallScreen #call-gate { margin: 1 0 0 0; height: auto; }
    CallScreen #call-number { text-style: bold; color: $success; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "back", "call.key.leave"),
        Binding("ctrl+s", "save", "call.key.save"),
        Binding("f2", "toggle_script", "call.key.script"),
    ]

    def __init__(self, customer_id: str, resume: UnfinishedCall | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.resume = resume
        self.targets: CallTargets | None = None
        self.target: CallTarget | None = None  # the number the form is about
        self.verdict: tuple[str, GateResult] | None = None  # the last check: for which number, what it said
        self.call: StartResult | None = None  # the allowed, started call (this screen's Dial)
        self.problems: dict[str, list[str]] = {"outcome": ["…"]}
        self.busy = False  # a start, save or cancel is under way: the keys wait for it
        self._t0 = 0.0
        self._timer: Timer | None = None
        self.scripts: Scripts | None = None  # the talk scripts in force, and what chooses among them
        self.facts: CallFacts | None = None
        self.script_error: str | None = None
        self.script_open: bool | None = None  # None: open when the terminal is WIDE; else as F2 left it
        self._was_wide: bool | None = None

    @property
    def call_id(self) -> int | None:
        """The started attempt the form records: this screen's Dial, or the resumed call."""
        if self.resume is not None:
            return self.resume.call_id
        return self.call.call_id if self.call is not None else None

    @property
    def contact(self) -> str:
        return self.target.value if self.target is not None else "debtor"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Save only once there is a started call to record (False also hides the key in the footer).
        return self.call_id is not None if action == "save" else True

    # --- layout ------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with Horizontal(id="call-main"):
            with VerticalScroll(id="call-body"):
                yield Static("", id="call-who")
                yield PickPanel(t, id="call-pick")
                yield Static("", id="call-gate")
                yield Static("", id="call-number")
                yield CallForm(t, id="call-form")
            yield ScriptPanel(t, id="call-script")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.app.t("call.title")
        if self.resume is not None:
            self.query_one("#call-pick").add_class("done")
            self.query_one("#call-cancel", Button).label = self.app.t("call.back")
        self.query_one("#call-picker", TargetPicker).focus()
        self._show_script_panel()
        self._load_targets()
        self._load_scripts()

    # --- who can be called -------------------------------------------------------------------------------
    @work(thread=True, group="call-targets")
    def _load_targets(self) -> None:
        answer_on_ui(self.app, self._targets_loaded, lambda: call_targets(self.app.ctx, self.customer_id))

    def _targets_loaded(self, info: CallTargets | None, error: str | None) -> None:
        t = self.app.t
        if error or info is None:
            self.notify(t("app.error", msg=error), severity="error")
            self.dismiss(None)
            return
        self.targets = info
        self.query_one("#call-who", Static).update(
            Text(t("call.customer", cid=show(info.customer_id), name=show(info.name_masked)))
        )
        if self.resume is not None:
            self._open_resumed(info)
            return
        self.query_one("#call-picker", TargetPicker).show_targets(info.targets, t)
        self._update_script()

    def _picked(self) -> CallTarget | None:
        return self.query_one("#call-picker", TargetPicker).current()

    @on(DataTable.RowHighlighted, "#call-picker")
    def _moved(self) -> None:
        """Another number under the cursor: the last verdict was about a different one."""
        picked = self._picked()
        if self.call is None and self.verdict is not None and (picked is None or picked.value != self.verdict[0]):
            self.verdict = None
            self.query_one("#call-dial", Button).disabled = True
            self.query_one("#call-gate", Static).update("")
        self._update_script()  # a third party's number has its own script

    # --- check: the gate for the picked number, nothing written ------------------------------------------
    @on(DataTable.RowSelected, "#call-picker")
    @on(Button.Pressed, "#call-check")
    def action_check(self) -> None:
        picked = self._picked()
        if picked is None or self.call is not None or self.busy:
            return
        self.verdict = None
        self.query_one("#call-dial", Button).disabled = True
        self.query_one("#call-gate", Static).update(self.app.t("call.checking"))
        self._run_check(picked.value)

    @work(thread=True, exclusive=True, group="call-check")
    def _run_check(self, value: str) -> None:
        answer_on_ui(
            self.app,
            lambda gate, error: self._checked(value, gate, error),
            lambda: check_call(self.app.ctx, signed_in_actor(self.app), self.customer_id, value),
        )

    def _checked(self, value: str, gate: GateResult | None, error: str | None) -> None:
        t = self.app.t
        picked = self._picked()
        if self.call is not None or picked is None or picked.value != value:
            return  # the collector moved on before the gate answered
        if error or gate is None:
            self.query_one("#call-gate", Static).update(Text(t("app.error", msg=error)))
            return
        self.verdict = (value, gate)
        self.query_one("#call-gate", Static).update(checked_text(who_and_number(picked, t), gate, t))
        dial = self.query_one("#call-dial", Button)
        dial.disabled = not gate.allowed
        # Allowed: Enter dials. Refused: the arrow keys pick another number at once.
        (dial if gate.allowed else self.query_one("#call-picker", TargetPicker)).focus()

    # --- dial: the gate again as the attempt is written, then the number ---------------------------------
    @on(Button.Pressed, "#call-dial")
    def action_dial(self) -> None:
        picked = self._picked()
        if picked is None or self.verdict is None or not self.verdict[1].allowed or self.call is not None:
            return
        if picked.value != self.verdict[0] or self.busy:
            return
        self.busy = True
        self.target = picked
        self.query_one("#call-dial", Button).disabled = True
        self.query_one("#call-gate", Static).update(self.app.t("call.checking"))
        self._run_start(picked.value)

    @work(thread=True, exclusive=True, group="call-start")
    def _run_start(self, contact: str) -> None:
        answer_on_ui(
            self.app,
            self._started,
            lambda: start_call(self.app.ctx, signed_in_actor(self.app), self.customer_id, contact, source="tui"),
        )

    def _started(self, result: StartResult | None, error: str | None) -> None:
        t = self.app.t
        self.busy = False
        if error or result is None:
            self.query_one("#call-gate", Static).update(Text(t("app.error", msg=error)))
            return
        target = self.target
        assert target is not None
        self.query_one("#call-gate", Static).update(started_text(who_and_number(target, t), result.gate, t))
        if not result.gate.allowed:
            # Something changed since the check (another collector dialled, the clock passed the window).
            self.verdict = None
            self.query_one("#call-picker", TargetPicker).focus()
            return
        self.call = result
        self.query_one("#call-pick").add_class("done")
        self.query_one("#call-number", Static).update(
            Text(t("call.number", phone=show(result.phone or "")) + "\n" + t("call.number_note"))
        )
        self._t0 = time.monotonic()
        self._timer = self.set_interval(1, self._tick)
        self._tick()
        self._open_form(target)

    def _open_resumed(self, info: CallTargets) -> None:
        """The form for a call started earlier and never logged (the number is not shown again)."""
        resume = self.resume
        assert resume is not None
        t = self.app.t
        target = next((x for x in info.targets if x.value == resume.contact), None)
        if target is None:  # the contact is gone (an import replaced the contacts): record as the borrower's
            target = info.targets[0]
        self.target = target
        started = resume.started_at.astimezone(self.app.ctx.policy.tz).strftime("%Y-%m-%d %H:%M")
        who = who_and_number(target, t)
        self.query_one("#call-gate", Static).update(Text(t("call.resume", id=resume.call_id, at=started, who=who)))
        self._open_form(target)

    def _open_form(self, target: CallTarget) -> None:
        form = self.query_one("#call-form", CallForm)
        form.open(target.third_party)
        self.refresh_bindings()
        # Focus without scrolling: the verdict and the number at the top stay in view on a small terminal.
        self.query_one("#f-outcome", Select).focus(scroll_visible=False)
        self._revalidate()
        self._update_script()

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._t0)
        self.sub_title = self.app.t("call.timer", time=f"{seconds // 60:02d}:{seconds % 60:02d}")

    # --- the talk script ---------------------------------------------------------------------------------
    @work(thread=True, group="call-scripts")
    def _load_scripts(self) -> None:
        """The scripts in force and the borrower's facts; a resumed call is judged as of its start."""
        before = self.resume.started_at if self.resume is not None else None

        def ask() -> tuple[Scripts, CallFacts]:
            actor = signed_in_actor(self.app)
            return scripts_in_force(self.app.ctx, actor), call_facts(self.app.ctx, actor, self.customer_id, before)

        answer_on_ui(self.app, self._scripts_loaded, ask)

    def _scripts_loaded(self, loaded: tuple[Scripts, CallFacts] | None, error: str | None) -> None:
        if loaded is None:
            self.script_error = error or "?"
        else:
            self.scripts, self.facts = loaded
        self._update_script()

    def _third_party(self) -> bool:
        """Whether the number the call is about (the one dialled, else the one under the cursor) is someone else's."""
        if self.target is not None:
            return self.target.third_party
        picked = self._picked() if self.targets is not None else None
        return picked is not None and picked.third_party

    def _update_script(self) -> None:
        t = self.app.t
        panel = self.query_one("#call-script", ScriptPanel)
        if self.script_error is not None:
            panel.show_message(t("script.error", msg=self.script_error))
            return
        if self.scripts is None or self.facts is None:
            return  # still loading: the panel says so
        facts, third_party = self.facts, self._third_party()
        outcome = self.query_one("#call-form", CallForm).outcome() if self.call_id is not None else None
        situations = choose(outcome, third_party, facts.bucket, facts.first_contact, facts.vulnerable)
        notes = [t("script.third_party")] if third_party else []
        notes += [
            t(key)
            for key, on in (("script.vulnerable", facts.vulnerable), ("script.first_contact", facts.first_contact))
            if on and not third_party
        ]
        panel.show_script(self.scripts, situations, t("script.lang"), facts.mention_reminder, facts.values, notes)

    def _show_script_panel(self) -> None:
        wide = self.app.size.width >= WIDE
        shown = self.script_open if self.script_open is not None else wide
        self.query_one("#call-script", ScriptPanel).set_class(not shown, "collapsed")

    def on_resize(self) -> None:
        wide = self.app.size.width >= WIDE
        if wide != self._was_wide:  # across the threshold the width decides again, whatever F2 said before
            self.script_open, self._was_wide = None, wide
        self._show_script_panel()

    def action_toggle_script(self) -> None:
        self.script_open = self.query_one("#call-script", ScriptPanel).has_class("collapsed")
        self._show_script_panel()

    # --- the form ----------------------------------------------------------------------------------------
    @on(Select.Changed, "#f-outcome, #f-dispute_reason")
    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _field_changed(self) -> None:
        self._revalidate()

    @on(Select.Changed, "#f-outcome")
    def _outcome_changed(self) -> None:
        self._update_script()

    def form_data(self) -> CallInput:
        return self.query_one("#call-form", CallForm).data(self.customer_id, self.contact)

    def _revalidate(self) -> None:
        call_id = self.call_id
        if call_id is None:  # the form is shown only once the call has started
            return
        self.query_one("#call-save", Button).disabled = True
        self._run_validate(self.form_data(), call_id)

    @work(thread=True, exclusive=True, group="call-validate")
    def _run_validate(self, data: CallInput, call_id: int) -> None:
        answer_on_ui(
            self.app, self._validated, lambda: grouped(validate_call(self.app.ctx, data, started_call_id=call_id))
        )

    def _validated(self, problems: dict[str, list[str]] | None, error: str | None) -> None:
        if error or problems is None:
            self.notify(self.app.t("app.error", msg=error), severity="error")
            return
        try:
            outcome = self.form_data().outcome
        except NoMatches:  # the collector left the screen while the check ran: nothing to show it on
            return
        if outcome is None:
            problems["outcome"] = [self.app.t("call.missing_outcome")]
        self.show_problems(problems)

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        self.query_one("#call-form", CallForm).show_problems(problems, self.call_id is not None and not self.busy)

    @on(Button.Pressed, "#call-learned")
    def _learned(self) -> None:
        call_id = self.call_id
        if call_id is not None:
            open_contact_add(self.app, self.customer_id, call_id)

    # --- saving ------------------------------------------------------------------------------------------
    @on(Button.Pressed, "#call-save")
    def action_save(self) -> None:
        call_id = self.call_id
        if call_id is not None and self.problems and not self.busy:
            self._point_at_problems()  # Ctrl+S on a form Save would refuse: say why, show where
            return
        if call_id is None or self.problems or self.busy or self.query_one("#call-save", Button).disabled:
            return
        self.busy = True
        self.query_one("#call-save", Button).disabled = True
        self._run_save(self.form_data(), call_id)

    def _point_at_problems(self) -> None:
        """Tell the collector the record is not saved yet, and bring the first field with a problem into view."""
        first = next(iter(self.problems))
        self.notify(self.app.t("call.fix_first", n=sum(len(v) for v in self.problems.values())), severity="warning")
        found = self.query(f"#err-{first}")
        if found:
            self.call_after_refresh(found.first().scroll_visible, animate=False)

    @work(thread=True, exclusive=True, group="call-save")
    def _run_save(self, data: CallInput, call_id: int) -> None:
        answer_on_ui(
            self.app,
            self._saved,
            lambda: log_call(self.app.ctx, signed_in_actor(self.app), data, started_call_id=call_id, source="tui"),
        )

    def _saved(self, result: CallResult | None, error: str | None) -> None:
        t = self.app.t
        self.busy = False
        if error or result is None or not result.saved or result.call_id is None:
            if result is not None:
                self.show_problems(grouped(result.problems))
            self.notify(error or t("call.not_saved"), severity="error")
            return
        self._stop_timer()
        self.notify(t("call.saved", id=result.call_id))
        call_id = result.call_id
        outcome = self.form_data().outcome or ""
        target = self.target
        if oc.kind_of(outcome, target is not None and target.third_party) == oc.KIND_UNANSWERED:
            self.dismiss(call_id)
            return
        # A connected call: the customer may have said something worth recording.
        offer_plan = outcome in ("hardship", "promise_to_pay")  # a plan of smaller payments may follow
        self.app.push_screen(
            AfterCallScreen(self.customer_id, call_id, offer_plan), callback=lambda _: self.dismiss(call_id)
        )

    # --- leaving -----------------------------------------------------------------------------------------
    @on(Button.Pressed, "#call-back, #call-cancel")
    def action_back(self) -> None:
        if self.busy:
            return
        if self.resume is not None or self.call is None:
            self._stop_timer()
            self.dismiss(None)  # before Dial, or back to the unfinished calls: nothing is written
            return
        if self.query_one("#call-form", CallForm).touched():
            self.app.push_screen(ConfirmCancelScreen(), callback=self._confirmed)
            return
        self._cancel()

    def _confirmed(self, yes: bool | None) -> None:
        if yes:
            self._cancel()

    def _cancel(self) -> None:
        call_id = self.call_id
        if call_id is None or self.busy:
            return
        self.busy = True
        self._run_cancel(call_id)

    @work(thread=True, exclusive=True, group="call-cancel")
    def _run_cancel(self, call_id: int) -> None:
        answer_on_ui(
            self.app,
            self._cancelled,
            lambda: cancel_call(self.app.ctx, signed_in_actor(self.app), call_id, source="tui"),
        )

    def _cancelled(self, result: CancelResult | None, error: str | None) -> None:
        t = self.app.t
        self.busy = False
        if error or result is None:
            self.notify(t("app.error", msg=error), severity="error")
            return
        self._stop_timer()
        key = "call.cancelled.counted" if result.counted else "call.cancelled.free"
        self.notify(t(key, id=result.call_id), severity="warning" if result.counted else "information")
        self.dismiss(None)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
