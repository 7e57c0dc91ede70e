"""The call form: what happened on a call that has started, with every problem shown beside its field.

The form knows which fields an outcome needs (the checklist of its kind, a promise for ``promise_to_pay``, a
time for ``callback``, a reason for ``dispute``) and turns what was typed into a ``CallInput``; whether that
input is valid is ``record.validate_call``'s to say, and the screen asks it as the collector types.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Select, Static

from collectui.domain.calls import outcomes as oc
from collectui.domain.calls.record import DISPUTE_REASONS, CallInput
from collectui.tui.widgets.toggles import Check

Translate = Callable[..., str]

FIELDS = (
    "outcome",
    "checklist",
    "recording",
    "promise_amount",
    "promise_date",
    "callback_at",
    "dispute_reason",
    "notes",
)
TEXT_FIELDS = ("recording", "promise_amount", "promise_date", "callback_at", "notes")


class CallForm(Vertical):
    """Hidden until the call starts; ``open(third_party)`` offers the outcomes of that kind of call."""

    DEFAULT_CSS = """
    CallForm { height: auto; display: none; }
    CallForm.active { display: block; }
    CallForm .field-label { margin: 1 0 0 0; color: $text-muted; }
    CallForm Input { margin: 0 0 0 2; }
    CallForm Checkbox { margin: 0 0 0 2; }
    CallForm Select { margin: 0 0 0 2; width: 1fr; }
    CallForm .field-error { color: $error; height: auto; }
    CallForm .extra { display: none; height: auto; }
    CallForm .extra.active { display: block; }
    CallForm #call-buttons { height: auto; margin: 1 0; }
    CallForm #call-buttons Button { margin: 0 2 0 0; }
    """

    def __init__(self, t: Translate, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t
        self.third_party = False

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(t("call.outcome"), classes="field-label")
        yield Select([], prompt=t("call.outcome"), id="f-outcome", compact=True)
        yield Static("", id="err-outcome", classes="field-error")
        yield Static(t("call.checklist"), classes="field-label", id="checklist-label")
        for item in oc.CHECK_ITEMS:
            yield Check(t(f"check.{item}"), id=f"chk-{item}", compact=True)  # [x]/[ ]: reads without colour
        yield Static("", id="err-checklist", classes="field-error")
        yield Static(t("call.recording"), classes="field-label")
        yield Input(compact=True, id="f-recording")
        yield Static("", id="err-recording", classes="field-error")
        with Vertical(classes="extra", id="promise-box"):
            yield Static(t("call.promise_amount"), classes="field-label")
            yield Input(compact=True, id="f-promise_amount")
            yield Static("", id="err-promise_amount", classes="field-error")
            yield Static(t("call.promise_date"), classes="field-label")
            yield Input(compact=True, id="f-promise_date")
            yield Static("", id="err-promise_date", classes="field-error")
        with Vertical(classes="extra", id="callback-box"):
            yield Static(t("call.callback_at"), classes="field-label")
            yield Input(compact=True, id="f-callback_at")
            yield Static("", id="err-callback_at", classes="field-error")
        with Vertical(classes="extra", id="dispute-box"):
            yield Static(t("call.dispute_reason"), classes="field-label")
            yield Select(
                [(t(f"dispute.{r}"), r) for r in DISPUTE_REASONS],
                prompt=t("call.dispute_reason"),
                id="f-dispute_reason",
                compact=True,
            )
            yield Static("", id="err-dispute_reason", classes="field-error")
        yield Static(t("call.notes"), classes="field-label")
        yield Input(compact=True, id="f-notes")
        yield Static("", id="err-notes", classes="field-error")
        with Horizontal(id="call-buttons"):
            yield Button(t("call.save"), id="call-save", variant="success", disabled=True)
            yield Button(t("call.learned"), id="call-learned")
            yield Button(t("call.cancel"), id="call-cancel", variant="error")

    def on_mount(self) -> None:
        self.show_outcome_fields()

    def open(self, third_party: bool) -> None:
        """Show the form for a call to the borrower (her own numbers) or to a third party."""
        self.third_party = third_party
        outcome = self.query_one("#f-outcome", Select)
        outcome.set_options([(self.t(f"outcome.{o}"), o) for o in oc.outcomes_for(third_party)])
        self.add_class("active")
        self.show_outcome_fields()

    # --- what the outcome needs --------------------------------------------------------------------------
    def outcome(self) -> str | None:
        value = self.query_one("#f-outcome", Select).value
        return value if isinstance(value, str) else None

    def dispute_reason(self) -> str | None:
        value = self.query_one("#f-dispute_reason", Select).value
        return value if isinstance(value, str) else None

    def show_outcome_fields(self) -> None:
        outcome = self.outcome()
        need = oc.checklist_for(outcome, self.third_party) if outcome else ()
        for item in oc.CHECK_ITEMS:
            box = self.query_one(f"#chk-{item}", Checkbox)
            box.display = item in need
            if item not in need and box.value:
                box.value = False
        label = self.query_one("#checklist-label", Static)
        label.update(self.t("call.checklist") if need or not outcome else self.t("call.checklist.none"))
        self.query_one("#promise-box").set_class(outcome == "promise_to_pay", "active")
        self.query_one("#callback-box").set_class(outcome == "callback", "active")
        self.query_one("#dispute-box").set_class(outcome == "dispute", "active")

    def on_select_changed(self, event: Select.Changed) -> None:
        # Runs before the event bubbles on to the screen, which then validates what is shown.
        if event.select.id == "f-outcome":
            self.show_outcome_fields()

    # --- the record --------------------------------------------------------------------------------------
    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value

    def touched(self) -> bool:
        """Has the collector filled anything in (so cancelling would lose it)?"""
        if self.outcome() is not None or self.dispute_reason() is not None:
            return True
        if any(self.query_one(f"#chk-{i}", Checkbox).value for i in oc.CHECK_ITEMS):
            return True
        return any(self.value(name).strip() for name in TEXT_FIELDS)

    def data(self, customer_id: str, contact: str) -> CallInput:
        """What was typed; fields the chosen outcome does not use are left out, as they are hidden."""
        outcome = self.outcome()
        promise = outcome == "promise_to_pay"
        return CallInput(
            customer_id=customer_id,
            outcome=outcome,
            contact=contact,
            checklist=[i for i in oc.CHECK_ITEMS if self.query_one(f"#chk-{i}", Checkbox).value],
            recording_ref=self.value("recording"),
            notes=self.value("notes"),
            promise_amount=self.value("promise_amount") if promise else None,
            promise_date=self.value("promise_date") if promise else None,
            callback_at=self.value("callback_at") if outcome == "callback" else None,
            dispute_reason=self.dispute_reason() if outcome == "dispute" else None,
        )

    def _localise_items(self, message: str) -> str:
        for item in oc.CHECK_ITEMS:
            message = re.sub(rf"\b{item}\b", self.t(f"check.{item}"), message)
        return message

    def show_problems(self, problems: dict[str, list[str]], started: bool) -> None:
        """Every problem beside its field; Save only when there is none and the call has started."""
        # A problem about something the form has no field for (the call's time, the contact) shows first.
        other = [f"{field}: {m}" for field, msgs in problems.items() if field not in FIELDS for m in msgs]
        for name in FIELDS:
            lines = problems.get(name, [])
            if name == "checklist":
                lines = [self._localise_items(m) for m in lines]
            if name == "outcome":
                lines = other + lines
            self.query_one(f"#err-{name}", Static).update(Text("\n".join(lines)))
        self.query_one("#call-save", Button).disabled = bool(problems) or not started
