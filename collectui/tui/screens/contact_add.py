"""The new number / new contact dialog: what a collector learned on a call, or from the profile.

Two kinds of entry: another number of the borrower herself (no name, relation "self": the gate treats it
like her own number), or a third party with a name and a relation (the gate lets collectors call one only
when the borrower cannot be reached). The service (``domain.portfolio.contacts``) normalises and checks
the number like the imports do, refuses a number the borrower already has, records it as unverified
(from call N when the dialog was opened from a call), audits it masked and refreshes the work list. The
dialog is dismissed with the new contact_id, or None when cancelled.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, RadioSet, Select, Static

from collectui.domain.errors import CollectError, PermissionDenied
from collectui.domain.portfolio.contacts import MAX_NAME, THIRD_PARTY_RELATIONS, add_contact, add_number
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in_actor
from collectui.tui.widgets.toggles import Choice

OWN, THIRD = "own", "third"


class ContactAddScreen(AppModalScreen[str | None]):
    """``ContactAddScreen(customer_id, call_id=None)``: dismissed with the new contact_id, or None."""

    # Not the shared ``dialog`` class: the app's stylesheet would override this width.
    DEFAULT_CSS = """
    ContactAddScreen { align: center middle; }
    ContactAddScreen #cn-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    ContactAddScreen .cn-row { height: auto; margin: 1 0 0 0; }
    ContactAddScreen .cn-label { width: 12; color: $text-muted; }
    ContactAddScreen RadioSet { layout: horizontal; width: 1fr; }
    ContactAddScreen RadioSet > RadioButton { width: auto; margin: 0 2 0 0; }
    ContactAddScreen Input, ContactAddScreen Select { width: 1fr; }
    ContactAddScreen #cn-note { height: auto; margin: 1 0 0 0; color: $text-muted; }
    ContactAddScreen #cn-buttons { height: auto; margin: 1 0 0 0; }
    ContactAddScreen #cn-buttons Button { margin: 0 2 0 0; }
    ContactAddScreen #message { height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "common.cancel"),
        Binding("ctrl+s", "save", "cn.key.save"),
    ]

    def __init__(self, customer_id: str, call_id: int | None = None) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.call_id = call_id
        self.saving = False

    def compose(self) -> ComposeResult:
        t = self.app.t
        title = t("cn.title", customer=self.customer_id)
        if self.call_id is not None:
            title += " · " + t("cn.from_call", call=self.call_id)
        with VerticalScroll(id="cn-box"):
            yield Label(title, classes="dialog-title", markup=False)
            with Horizontal(classes="cn-row"):
                yield Label(t("cn.whose"), classes="cn-label")
                with RadioSet(id="cn-whose", compact=True):
                    yield Choice(t("cn.own"), value=True, name=OWN, id="cn-own")
                    yield Choice(t("cn.third"), name=THIRD, id="cn-third")
            with Horizontal(classes="cn-row"):
                yield Label(t("cn.phone"), classes="cn-label")
                yield Input(id="cn-phone", placeholder=t("cn.phone_hint"), compact=True, max_length=32)
            with Horizontal(classes="cn-row"):
                yield Label(t("cn.name"), classes="cn-label")
                yield Input(id="cn-name", compact=True, max_length=MAX_NAME, disabled=True)
            with Horizontal(classes="cn-row"):
                yield Label(t("cn.relation"), classes="cn-label")
                yield Select(
                    [(t(f"rel.{code}"), code) for code in THIRD_PARTY_RELATIONS],
                    id="cn-relation",
                    prompt=t("cn.relation_prompt"),
                    compact=True,
                    disabled=True,
                )
            note = t("cn.note_call", call=self.call_id) if self.call_id is not None else t("cn.note")
            yield Static(note, id="cn-note")
            with Horizontal(id="cn-buttons"):
                yield Button(t("cn.save"), id="cn-save", variant="primary", compact=True)
                yield Button(t("common.cancel"), id="cn-cancel", compact=True)
            yield Label("", id="message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#cn-phone", Input).focus()

    def _whose(self) -> str:
        pressed = self.query_one("#cn-whose", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else OWN

    @on(RadioSet.Changed, "#cn-whose")
    def _whose_changed(self) -> None:
        third = self._whose() == THIRD
        self.query_one("#cn-name", Input).disabled = not third
        self.query_one("#cn-relation", Select).disabled = not third

    @on(Input.Submitted)
    @on(Button.Pressed, "#cn-save")
    def action_save(self) -> None:
        if self.saving:
            return
        t = self.app.t
        phone = self.query_one("#cn-phone", Input).value.strip()
        if not phone:
            self._error(t("cn.need_phone"), "#cn-phone")
            return
        third = self._whose() == THIRD
        name = self.query_one("#cn-name", Input).value.strip()
        relation = self.query_one("#cn-relation", Select).value
        if third and not name:
            self._error(t("cn.need_name"), "#cn-name")
            return
        if third and not isinstance(relation, str):
            self._error(t("cn.need_relation"), "#cn-relation")
            return
        self.saving = True
        self._save(phone, (name, str(relation)) if third else None)

    @work(thread=True, exclusive=True, group="contact-add")
    def _save(self, phone: str, third: tuple[str, str] | None) -> None:
        app = self.app
        actor = signed_in_actor(app)
        try:
            if third is None:
                contact_id = add_number(app.ctx, actor, self.customer_id, phone, self.call_id)
            else:
                name, relation = third
                contact_id = add_contact(app.ctx, actor, self.customer_id, name, relation, phone, self.call_id)
        except PermissionDenied:
            app.call_from_thread(self._error, app.t("cn.refused"))
            return
        except CollectError as exc:
            app.call_from_thread(self._error, app.t("app.error", msg=app.error_text(exc)))
            return
        app.call_from_thread(self._saved, contact_id)

    def _saved(self, contact_id: str) -> None:
        self.app.notify(self.app.t("cn.saved", id=contact_id))
        self.dismiss(contact_id)

    def _error(self, text: str, focus: str | None = None) -> None:
        self.saving = False
        label = self.query_one("#message", Label)
        label.update(text)
        label.add_class("error")
        if focus is not None:
            self.query_one(focus).focus()

    @on(Button.Pressed, "#cn-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
