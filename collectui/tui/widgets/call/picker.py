"""The call picker: every number a call for this borrower can go to, with its state, before anything is checked.

One row per ``CallTarget`` (the borrower's own number, her other numbers, her third-party contacts): who, the
masked number, attempts today out of the daily limit, and what stands against it (invalid, do not call,
refuses calls, unverified). The picker only shows; the gate decides when the collector presses Check.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from collectui.domain.calls.targets import CallTarget
from collectui.domain.textsafe import show
from collectui.tui.wording import listed

Translate = Callable[..., str]


def who_label(target: CallTarget, t: Translate) -> str:
    """Whom this number reaches, in the user's language (names are masked by the domain)."""
    if target.relation is None:
        return t("call.who.debtor", name=show(target.name_masked))
    if not target.third_party:
        return t("call.who.self")
    relation = t(f"rel.{target.relation}")
    if relation == f"rel.{target.relation}":  # a relation the catalogue does not know: show it as stored
        relation = show(target.relation)
    return t("call.who.contact", relation=relation, name=show(target.name_masked))


def who_and_number(target: CallTarget, t: Translate) -> str:
    return f"{who_label(target, t)} {show(target.phone_masked)}"


def state_label(target: CallTarget, t: Translate) -> str:
    """What stands against calling this number, most decisive first; empty when nothing does."""
    parts: list[str] = []
    if target.phone_invalid:
        parts.append(t("call.state.invalid"))
    if target.refused_calls:
        # On the borrower's own number the flag is her do-not-call request; on a contact, their refusal.
        parts.append(t("call.state.refused" if target.third_party else "call.state.do_not_call"))
    if target.exhausted:
        parts.append(t("call.state.exhausted"))
    if target.unverified:
        if target.from_call_id is not None:
            parts.append(t("call.state.unverified", id=target.from_call_id))
        else:
            parts.append(t("call.state.unverified_plain"))
    return listed(t, parts)


class TargetPicker(DataTable[Text | str]):
    """A row per number; the row key is the target's value ("debtor" or a contact id)."""

    DEFAULT_CSS = """
    TargetPicker { height: auto; max-height: 12; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.targets: list[CallTarget] = []

    def show_targets(self, targets: list[CallTarget], t: Translate) -> None:
        self.clear(columns=True)
        self.add_column(t("call.col.who"), key="who")
        self.add_column(t("call.col.number"), key="number")
        self.add_column(t("call.col.today"), key="today")
        self.add_column(t("call.col.state"), key="state")
        self.targets = list(targets)
        for target in targets:
            state = state_label(target, t)
            warn = target.phone_invalid or target.refused_calls
            self.add_row(
                Text(who_label(target, t)),
                Text(show(target.phone_masked)),
                f"{target.attempts_today}/{target.max_attempts}" if target.max_attempts else str(target.attempts_today),
                Text(state, style="bold red" if warn else "yellow") if state else "",
                key=target.value,
            )

    def current(self) -> CallTarget | None:
        """The target under the cursor."""
        if not self.targets or not 0 <= self.cursor_row < len(self.targets):
            return None
        return self.targets[self.cursor_row]

    def move_to(self, value: str) -> None:
        for row, target in enumerate(self.targets):
            if target.value == value:
                self.move_cursor(row=row)
                return


class PickPanel(Vertical):
    """The picker with its buttons: Check (the gate, nothing written), Dial (enabled once allowed), Back."""

    DEFAULT_CSS = """
    PickPanel { height: auto; }
    PickPanel.done { display: none; }
    PickPanel #call-hint { color: $text-muted; }
    PickPanel #call-pick-buttons { height: auto; margin: 1 0 0 0; }
    PickPanel #call-pick-buttons Button { margin: 0 2 0 0; }
    """

    def __init__(self, t: Translate, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t

    def compose(self) -> ComposeResult:
        t = self.t
        yield Static(t("call.pick.hint"), id="call-hint")
        yield TargetPicker(id="call-picker")
        with Horizontal(id="call-pick-buttons"):
            yield Button(t("call.check"), id="call-check", variant="primary", compact=True)
            yield Button(t("call.dial"), id="call-dial", variant="success", disabled=True, compact=True)
            yield Button(t("call.back"), id="call-back", compact=True)
