"""A call from the TUI: the gate, the number for this call only, a timer, then the call form.

Business rules live in ``domain.calls``: this screen asks ``start_call`` (gate + a 'started' attempt, or a
recorded refusal), shows what the gate said, asks ``validate_call`` as the collector types so every
problem shows beside its field, and saves with ``log_call`` (the service behind `collectui call log`).
Save stays disabled while anything mandatory is missing.
"""

from __future__ import annotations

import re
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Footer, Header, Input, Select, Static

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.gate import DEBTOR
from collectui.domain.calls.record import CallInput, CallResult, StartResult, log_call, start_call, validate_call
from collectui.domain.calls.targets import CallTargets, call_targets
from collectui.domain.errors import CollectError
from collectui.domain.textsafe import show
from collectui.tui.base import AppScreen, localise_bindings, signed_in_actor

FIELDS = ("outcome", "checklist", "recording", "promise_amount", "promise_date", "notes")


class CallScreen(AppScreen[int | None]):
    """Dismissed with the saved call id, or None."""

    DEFAULT_CSS = """
    CallScreen #call-body { padding: 0 1; }
    CallScreen #call-who { text-style: bold; }
    CallScreen #call-pick { height: auto; }
    CallScreen #call-pick Select { width: 1fr; }
    CallScreen #call-gate { margin: 1 0 0 0; height: auto; }
    CallScreen #call-number { text-style: bold; color: $success; height: auto; }
    CallScreen #call-form { height: auto; display: none; }
    CallScreen #call-form.active { display: block; }
    CallScreen .field-label { margin: 1 0 0 0; color: $text-muted; }
    CallScreen #call-form Input { margin: 0 0 0 2; }
    CallScreen #call-form Checkbox { margin: 0 0 0 2; }
    CallScreen .field-error { color: $error; height: auto; }
    CallScreen #call-buttons { height: auto; margin: 1 0; }
    CallScreen #call-buttons Button { margin: 0 2 0 0; }
    CallScreen .promise { display: none; }
    CallScreen .promise.active { display: block; }
    """

    BINDINGS = [
        Binding("escape", "back", "call.key.back"),
        Binding("ctrl+s", "save", "call.key.save"),
    ]

    class Targets(Message):
        def __init__(self, targets: CallTargets | None, error: str | None = None) -> None:
            super().__init__()
            self.targets, self.error = targets, error

    class Started(Message):
        def __init__(self, result: StartResult | None, error: str | None = None) -> None:
            super().__init__()
            self.result, self.error = result, error

    class Checked(Message):
        def __init__(self, problems: dict[str, list[str]], error: str | None = None) -> None:
            super().__init__()
            self.problems, self.error = problems, error

    class Saved(Message):
        def __init__(self, result: CallResult | None, error: str | None = None) -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.contact = DEBTOR
        self.call: StartResult | None = None  # the allowed, started call
        self.problems: dict[str, list[str]] = {"outcome": ["…"]}
        self._t0 = 0.0
        self._timer: Timer | None = None

    # --- layout ------------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with VerticalScroll(id="call-body"):
            yield Static("", id="call-who")
            with Horizontal(id="call-pick"):
                yield Select([], prompt=t("call.target"), id="call-target", compact=True)
                yield Button(t("call.dial"), id="call-dial", variant="primary", disabled=True, compact=True)
            yield Static(t("call.checking"), id="call-gate")
            yield Static("", id="call-number")
            with Vertical(id="call-form"):
                yield Static(t("call.outcome"), classes="field-label")
                yield Select([], prompt=t("call.outcome"), id="f-outcome", compact=True)
                yield Static("", id="err-outcome", classes="field-error")
                yield Static(t("call.checklist"), classes="field-label", id="checklist-label")
                for item in oc.CHECK_ITEMS:
                    yield Checkbox(t(f"check.{item}"), id=f"chk-{item}", compact=True)
                yield Static("", id="err-checklist", classes="field-error")
                yield Static(t("call.recording"), classes="field-label")
                yield Input(compact=True, id="f-recording")
                yield Static("", id="err-recording", classes="field-error")
                with Vertical(classes="promise", id="promise-box"):
                    yield Static(t("call.promise_amount"), classes="field-label")
                    yield Input(compact=True, id="f-promise_amount")
                    yield Static("", id="err-promise_amount", classes="field-error")
                    yield Static(t("call.promise_date"), classes="field-label")
                    yield Input(compact=True, id="f-promise_date")
                    yield Static("", id="err-promise_date", classes="field-error")
                yield Static(t("call.notes"), classes="field-label")
                yield Input(compact=True, id="f-notes")
                yield Static("", id="err-notes", classes="field-error")
                with Horizontal(id="call-buttons"):
                    yield Button(t("call.save"), id="call-save", variant="success", disabled=True)
                    yield Button(t("call.cancel"), id="call-cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.app.t("call.title")
        self._show_checklist(None)
        self._load_targets()
        self._start(DEBTOR)

    # --- who can be called -------------------------------------------------------------------------------
    @work(thread=True, group="call-targets")
    def _load_targets(self) -> None:
        try:
            self.post_message(self.Targets(call_targets(self.app.ctx, self.customer_id)))
        except CollectError as exc:
            self.post_message(self.Targets(None, str(exc)))

    def on_call_screen_targets(self, message: Targets) -> None:
        t = self.app.t
        info = message.targets
        if message.error or info is None:
            self.notify(t("app.error", msg=message.error), severity="error")
            self.dismiss(None)
            return
        self.query_one("#call-who", Static).update(
            Text(t("call.customer", cid=show(info.customer_id), name=show(info.name_masked)))
        )
        options = []
        for target in info.targets:
            if target.third_party:
                label = t(
                    "call.target.contact",
                    relation=t(f"rel.{target.relation}"),
                    name=target.name_masked,
                    phone=target.phone_masked,
                )
            else:
                label = t("call.target.debtor", name=target.name_masked, phone=target.phone_masked)
            options.append((label, target.value))
        picker = self.query_one("#call-target", Select)
        with picker.prevent(Select.Changed):
            picker.set_options(options)
            picker.value = self.contact

    @on(Button.Pressed, "#call-dial")
    def _dial_pressed(self) -> None:
        picked = self.query_one("#call-target", Select).value
        self._start(picked if isinstance(picked, str) else DEBTOR)

    # --- the gate and the start of the call --------------------------------------------------------------
    def _start(self, contact: str) -> None:
        self.contact = contact
        self.query_one("#call-dial", Button).disabled = True
        self.query_one("#call-gate", Static).update(self.app.t("call.checking"))
        self._run_start(contact)

    @work(thread=True, exclusive=True, group="call-start")
    def _run_start(self, contact: str) -> None:
        try:
            result = start_call(self.app.ctx, signed_in_actor(self.app), self.customer_id, contact, source="tui")
        except CollectError as exc:
            self.post_message(self.Started(None, str(exc)))
            return
        self.post_message(self.Started(result))

    def on_call_screen_started(self, message: Started) -> None:
        t = self.app.t
        result = message.result
        if message.error or result is None:
            self.query_one("#call-gate", Static).update(Text(t("app.error", msg=message.error)))
            self.query_one("#call-dial", Button).disabled = False
            return
        lines = []
        if result.gate.allowed:
            lines.append(t("call.allowed"))
        else:
            lines.append(t("call.refused"))
            lines += [f"  ✗ {t('rule.' + r.rule)} [{r.rule}]: {r.message}" for r in result.gate.reasons]
        lines += [f"  ! {t('call.warning')} {t('rule.' + w.rule)}: {w.message}" for w in result.gate.warnings]
        self.query_one("#call-gate", Static).update(Text("\n".join(lines)))
        if not result.gate.allowed:
            self.query_one("#call-dial", Button).disabled = False
            return
        self.call = result
        self.query_one("#call-target", Select).disabled = True
        self.query_one("#call-number", Static).update(
            t("call.number", phone=result.phone) + "\n" + t("call.number_note")
        )
        self._t0 = time.monotonic()
        self._timer = self.set_interval(1, self._tick)
        self._tick()
        third = self.contact != DEBTOR
        self.query_one("#f-outcome", Select).set_options([(t(f"outcome.{o}"), o) for o in oc.outcomes_for(third)])
        self.query_one("#call-form").add_class("active")
        # Focus without scrolling: the gate's verdict and the number at the top stay in view on a small
        # terminal (scrolling to the field raced the layout of the form that was just shown).
        self.query_one("#f-outcome", Select).focus(scroll_visible=False)
        self._revalidate()

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._t0)
        label = self.app.t("call.timer", time=f"{seconds // 60:02d}:{seconds % 60:02d}")
        self.sub_title = label

    # --- the form ----------------------------------------------------------------------------------------
    def _outcome(self) -> str | None:
        value = self.query_one("#f-outcome", Select).value
        return value if isinstance(value, str) else None

    def _show_checklist(self, outcome: str | None) -> None:
        need = oc.checklist_for(outcome, self.contact != DEBTOR) if outcome else ()
        for item in oc.CHECK_ITEMS:
            box = self.query_one(f"#chk-{item}", Checkbox)
            box.display = item in need
            if item not in need and box.value:
                box.value = False
        label = self.query_one("#checklist-label", Static)
        label.update(self.app.t("call.checklist") if need or not outcome else self.app.t("call.checklist.none"))
        self.query_one("#promise-box").set_class(outcome == "promise_to_pay", "active")

    @on(Select.Changed, "#f-outcome")
    def _outcome_changed(self) -> None:
        self._show_checklist(self._outcome())
        self._revalidate()

    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _field_changed(self) -> None:
        if self.call is not None:
            self._revalidate()

    def form_data(self) -> CallInput:
        def value(name: str) -> str:
            return self.query_one(f"#f-{name}", Input).value

        outcome = self._outcome()
        promise = outcome == "promise_to_pay"
        return CallInput(
            customer_id=self.customer_id,
            outcome=outcome,
            contact=self.contact,
            checklist=[i for i in oc.CHECK_ITEMS if self.query_one(f"#chk-{i}", Checkbox).value],
            recording_ref=value("recording"),
            notes=value("notes"),
            promise_amount=value("promise_amount") if promise else None,
            promise_date=value("promise_date") if promise else None,
        )

    def _revalidate(self) -> None:
        self.query_one("#call-save", Button).disabled = True
        if self.call is not None:  # the form is shown only once the call has started
            self._run_validate(self.form_data(), self.call.call_id)

    @work(thread=True, exclusive=True, group="call-validate")
    def _run_validate(self, data: CallInput, call_id: int) -> None:
        try:
            problems = validate_call(self.app.ctx, data, started_call_id=call_id)
        except CollectError as exc:
            self.post_message(self.Checked({}, str(exc)))
            return
        grouped: dict[str, list[str]] = {}
        for p in problems:
            grouped.setdefault(p.field, []).append(p.message)
        if not data.outcome:
            grouped["outcome"] = [self.app.t("call.missing_outcome")]
        self.post_message(self.Checked(grouped))

    def on_call_screen_checked(self, message: Checked) -> None:
        if message.error:
            self.notify(self.app.t("app.error", msg=message.error), severity="error")
            return
        self.show_problems(message.problems)

    def _localise_items(self, message: str) -> str:
        for item in oc.CHECK_ITEMS:
            message = re.sub(rf"\b{item}\b", self.app.t(f"check.{item}"), message)
        return message

    def show_problems(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        for name in FIELDS:
            lines = problems.get(name, [])
            if name == "checklist":
                lines = [self._localise_items(m) for m in lines]
            self.query_one(f"#err-{name}", Static).update(Text("\n".join(lines)))
        self.query_one("#call-save", Button).disabled = bool(problems) or self.call is None

    # --- saving and leaving ------------------------------------------------------------------------------
    @on(Button.Pressed, "#call-save")
    def action_save(self) -> None:
        if self.call is None or self.problems or self.query_one("#call-save", Button).disabled:
            return
        self.query_one("#call-save", Button).disabled = True
        self._run_save(self.form_data(), self.call.call_id)

    @work(thread=True, exclusive=True, group="call-save")
    def _run_save(self, data: CallInput, call_id: int) -> None:
        try:
            result = log_call(self.app.ctx, signed_in_actor(self.app), data, started_call_id=call_id, source="tui")
        except CollectError as exc:
            self.post_message(self.Saved(None, str(exc)))
            return
        self.post_message(self.Saved(result))

    def on_call_screen_saved(self, message: Saved) -> None:
        t = self.app.t
        result = message.result
        if message.error or result is None or not result.saved:
            if result is not None:
                grouped: dict[str, list[str]] = {}
                for p in result.problems:
                    grouped.setdefault(p.field, []).append(p.message)
                self.show_problems(grouped)
            self.notify(message.error or t("call.not_saved"), severity="error")
            return
        if self._timer is not None:
            self._timer.stop()
        self.notify(t("call.saved", id=result.call_id))
        self.dismiss(result.call_id)

    @on(Button.Pressed, "#call-cancel")
    def action_back(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.call is not None:
            self.notify(self.app.t("call.left_started"), severity="warning")
        self.dismiss(None)
