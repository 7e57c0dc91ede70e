"""Supervisors: reminder SMS of the day: plan them, send them (after a confirmation), see their states.

A branch supervisor plans, sends and sees their own branch's borrowers only (the services scope it); an
admin every branch's.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from collectui.domain.errors import CollectError
from collectui.domain.sms import messages
from collectui.domain.sms import plan as plan_svc
from collectui.domain.sms import send as send_svc
from collectui.domain.textsafe import show
from collectui.tui.base import AppScreen, localise_bindings, signed_in, signed_in_actor
from collectui.tui.wording import listed, tr

SHOWN = 500  # newest messages listed


class SmsScreen(AppScreen[None]):
    DEFAULT_CSS = """
    SmsScreen #sms-head { padding: 0 1; text-style: bold; }
    SmsScreen #sms-window { padding: 0 1; }
    SmsScreen #sms-result { padding: 0 1; height: auto; max-height: 6; color: $accent; }
    SmsScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape", "back", "sms.key.back"),
        Binding("p", "plan", "sms.key.plan"),
        Binding("s", "send", "sms.key.send"),
        Binding("f", "retry", "sms.key.retry"),
        Binding("y", "confirm", "sms.key.confirm", show=False),
        Binding("r", "reload", "sms.key.reload"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list[messages.MessageView], counts: dict[str, int], error: str | None = None) -> None:
            super().__init__()
            self.rows, self.counts, self.error = rows, counts, error

    class Done(Message):
        def __init__(self, text: str, error: str | None = None) -> None:
            super().__init__()
            self.text, self.error = text, error

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.asking: str | None = None  # "send" or "retry" while waiting for y
        self.busy = False
        self.counts: dict[str, int] = {}
        self.last_result = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("", id="sms-head", markup=False)
            yield Static("", id="sms-window", markup=False)
            yield Static("", id="sms-result", markup=False)
            yield DataTable(id="sms-messages", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        t = self.app.t
        self.title = t("sms.title")
        try:
            messages.require_sms_role(signed_in(self.app))
        except CollectError:
            self.notify(t("app.role_only"), severity="warning")
            self.dismiss(None)
            return
        self.query_one("#sms-messages", DataTable).add_columns(
            *(
                t(f"sms.col.{c}")
                for c in ("message", "customer", "phone", "state", "planned", "sent_at", "attempts", "error")
            )
        )
        self.action_reload()

    # --- loading --------------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="sms-load")
    def _load(self) -> None:
        try:
            # As the signed-in user: a branch supervisor sees their branch's messages only (plan and send too).
            actor = signed_in_actor(self.app)
            rows = messages.list_messages(self.app.ctx, limit=SHOWN, actor=actor)
            self.post_message(self.Loaded(rows, messages.counts_by_state(self.app.ctx, actor=actor)))
        except CollectError as exc:
            self.post_message(self.Loaded([], {}, self.app.error_text(exc)))

    def on_sms_screen_loaded(self, message: Loaded) -> None:
        t = self.app.t
        if message.error:
            self.notify(t("app.error", msg=message.error), severity="error")
            return
        self.counts = message.counts
        self.query_one("#sms-head", Static).update(t("sms.counts", **message.counts))
        ctx = self.app.ctx
        inside, opens = send_svc.window_state(ctx.policy, ctx.clock.now(), ctx.clock.tz)
        window = ctx.policy["sms.window"]
        line = (
            t("sms.window_open", window=window)
            if inside
            else t("sms.window_closed", window=window, opens=f"{opens:%m-%d %H:%M}")
        )
        gateway = tr(t, "sms.channel", ctx.policy["sms.gateway"])  # its name, not the policy's code
        self.query_one("#sms-window", Static).update(f"{line} · {t('sms.gateway', gateway=gateway)}")
        table = self.query_one("#sms-messages", DataTable)
        table.clear()
        for m in message.rows:
            table.add_row(  # stored text as plain Text: never markup, no control characters
                Text(show(m.message_id)),
                Text(show(m.customer_id)),
                Text(show(m.phone)),
                t(f"sms.state.{m.state}"),
                m.planned_for.isoformat(),
                f"{m.sent_at:%m-%d %H:%M}" if m.sent_at else "",
                str(m.attempts),
                Text(show(m.last_error or "")),
                key=m.message_id,
            )

    # --- actions --------------------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.last_result = text
        self.query_one("#sms-result", Static).update(text)

    def action_plan(self) -> None:
        if self.busy:
            return
        self.asking = None
        self.busy = True
        self._say(self.app.t("sms.working"))
        self._plan()

    @work(thread=True, exclusive=True, group="sms-act")
    def _plan(self) -> None:
        t = self.app.t
        try:
            result = plan_svc.plan(self.app.ctx, signed_in_actor(self.app))
        except CollectError as exc:
            self.post_message(self.Done("", self.app.error_text(exc)))
            return
        lines = [t("sms.planned", queued=len(result.queued), skipped=len(result.skipped))]
        if result.skipped:
            reasons = listed(t, (f"{t(f'sms.reason.{k}')} {v}" for k, v in sorted(result.reason_counts().items())))
            lines.append(t("sms.skipped_by", reasons=reasons))
        if result.queued:
            lines.append(t("sms.preview", text=result.queued[0].text))
        self.post_message(self.Done("\n".join(lines)))

    def action_send(self) -> None:
        if self.busy:
            return
        if not self.counts.get("pending"):
            self._say(self.app.t("sms.nothing_due"))
            return
        self.asking = "send"
        self._say(self.app.t("sms.confirm_send", n=self.counts.get("pending", 0)))

    def action_retry(self) -> None:
        if self.busy:
            return
        self.asking = "retry"
        self._say(self.app.t("sms.confirm_retry"))

    def action_confirm(self) -> None:
        if self.asking is None or self.busy:
            return
        retry = self.asking == "retry"
        self.asking = None
        self.busy = True
        self._say(self.app.t("sms.working"))
        self._send(retry)

    @work(thread=True, exclusive=True, group="sms-act")
    def _send(self, retry: bool) -> None:
        t = self.app.t
        try:
            result = send_svc.send(self.app.ctx, signed_in_actor(self.app), retry_failed=retry)
        except CollectError as exc:
            self.post_message(self.Done("", self.app.error_text(exc)))
            return
        if not result.in_window:
            self.post_message(self.Done(t("sms.outside", opens=f"{result.opens_at:%m-%d %H:%M}")))
            return
        text = t(
            "sms.sent",
            accepted=len(result.accepted),
            due=result.due,
            pending=len(result.pending),
            failed=len(result.failed),
            cancelled=len(result.cancelled),
        )
        if result.stopped_early:
            text += "\n" + t("sms.stopped")
        self.post_message(self.Done(text))

    def on_sms_screen_done(self, message: Done) -> None:
        self.busy = False
        if message.error:
            self._say("")
            self.notify(self.app.t("app.error", msg=message.error), severity="error")
        else:
            self._say(message.text)
        self.action_reload()

    def action_back(self) -> None:
        if self.asking:
            self.asking = None
            self._say("")
            return
        self.dismiss(None)
