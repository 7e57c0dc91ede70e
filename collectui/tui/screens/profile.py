"""One borrower's masked profile in tabs; `u` unmasks a field for supervisors (30 s, audited).

What a collector learns about a borrower is recorded from here too: feedback (`f`), a complaint (`o`), a new
number or contact (`n`) and, for supervisors, the agreed call hours (`h`). Each key shows only to those whose
role allows it (the same ``may`` the services' ``authorize`` uses), and each dialog's service checks again.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

from collectui.domain.cases.plan_views import PlanView, plans_of
from collectui.domain.errors import CollectError
from collectui.domain.privacy.unmask import Unmasked
from collectui.domain.staff.permissions import may
from collectui.domain.textsafe import show
from collectui.domain.worklist.profile import ProfileView, customer_profile
from collectui.money import fmt_fen_grouped
from collectui.tui.base import localise_bindings, signed_in_actor
from collectui.tui.screens.roles import ROLE_BINDINGS, RoleActions
from collectui.tui.widgets.profile import format as fmt
from collectui.tui.widgets.profile.format import plan_text
from collectui.tui.widgets.profile.loans import loans_table

TABS = ("loans", "instalments", "payments", "promises", "history", "score", "third")

# Profile action -> the permission its service checks (a key without it is hidden, as for unmasking).
ACTION_PERMISSIONS = {
    "feedback": "feedback.add",
    "complaint": "complaint.open",
    "add_contact": "contact.add",
    "hours": "customer.hours",
}


class ProfileScreen(RoleActions):
    BINDINGS = [
        Binding("escape", "back", "pf.key.back"),
        Binding("u", "unmask", "pf.key.unmask"),
        *ROLE_BINDINGS,
        Binding("f", "feedback", "pf.key.feedback"),
        Binding("o", "complaint", "pf.key.complaint"),
        Binding("n", "add_contact", "pf.key.add_contact"),
        Binding("h", "hours", "pf.key.hours"),
        Binding("p", "plans", "pf.key.plans"),
    ]

    class Loaded(Message):
        def __init__(
            self, profile: ProfileView | None, error: str | None = None, plans: Sequence[PlanView] = ()
        ) -> None:
            super().__init__()
            self.profile, self.error, self.plans = profile, error, list(plans)

    def __init__(self, customer_id: str) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.customer_id = customer_id
        self.profile: ProfileView | None = None
        self.plans: list[PlanView] = []  # newest first
        self.clear_values: dict[str, str] = {}  # field -> clear value, only while shown
        self._mask_timers: dict[str, Timer] = {}

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield Static(t("pf.loading"), id="identity")
        with TabbedContent(id="tabs"):
            for tab in TABS:
                with TabPane(t(f"pf.tab.{tab}"), id=f"tab-{tab}"), ScrollableContainer():
                    yield Static("", id=f"body-{tab}")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load()

    def on_screen_resume(self) -> None:
        if self.profile is not None:  # back from a call or the unmask dialog: show what changed
            self._load()

    @work(thread=True, exclusive=True, group="profile")
    def _load(self) -> None:
        try:
            profile = customer_profile(self.app.ctx, signed_in_actor(self.app), self.customer_id)
            plans = plans_of(self.app.ctx, self.customer_id)  # after the profile's own permission check
        except CollectError as exc:
            self.post_message(self.Loaded(None, self.app.error_text(exc)))
            return
        self.post_message(self.Loaded(profile, plans=plans))

    def on_profile_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self.notify(self.app.t("app.error", msg=message.error), severity="error")
            self.dismiss()
            return
        self.profile = message.profile
        self.plans = message.plans
        self._paint()

    def _paint(self) -> None:
        if self.profile is None:
            return
        p, t, tz = self.profile, self.app.t, self.app.ctx.clock.tz
        self.query_one("#identity", Static).update(self._identity(p))
        bodies = {
            "loans": loans_table(t, p) if p.loans else None,
            "instalments": fmt.instalments_table(t, p) if any(ln.instalments for ln in p.loans) else None,
            "payments": fmt.payments_table(t, p) if p.payments else None,
            "promises": fmt.promises_table(t, p, tz) if p.promises else None,
            "history": fmt.history_table(t, p, tz) if p.history else None,
            "score": fmt.score_text(t, p, self.app.lang, tz),
        }
        third = Table.grid()
        third.add_row(fmt.third_party_text(t, p))
        if p.contacts:
            third.add_row(fmt.contacts_table(t, p))
        bodies["third"] = third
        for tab, body in bodies.items():
            self.query_one(f"#body-{tab}", Static).update(body if body is not None else t("pf.nothing"))

    def _identity(self, p: ProfileView) -> Table:
        t = self.app.t
        grid = Table.grid(padding=(0, 2), expand=True)
        for _ in range(4):
            grid.add_column(no_wrap=True)

        def value(field: str, masked: str) -> Text:
            if field in self.clear_values:
                return Text(show(self.clear_values[field]), style="bold reverse yellow")
            return Text(show(masked))  # stored text: no control character reaches the terminal

        def label(key: str) -> Text:
            return Text(t(key), style="bold")

        grid.add_row(label("pf.customer"), Text(show(p.customer_id)), label("pf.branch"), Text(show(p.branch or "—")))
        grid.add_row(label("pf.name"), value("name", p.name), label("pf.phone"), value("phone", p.phone))
        grid.add_row(
            label("pf.id_number"), value("id_number", p.id_number), label("pf.address"), value("address", p.address)
        )
        score = f"{p.score // 100}.{p.score % 100:02d}" if p.score is not None else "—"
        grid.add_row(
            label("pf.bucket"),
            Text(f"{p.bucket} · {t('pf.max_dpd')} {p.max_dpd}"),
            label("pf.overdue"),
            Text(fmt_fen_grouped(p.overdue_fen), style="bold red"),
        )
        flags = fmt.flag_texts(t, p)
        if p.callable is False and p.blocked_reason:
            flags.insert(0, fmt.blocked_text(t, p, self.app.ctx.clock.tz))
        grid.add_row(
            label("pf.score"),
            Text(score),
            label("pf.flags"),
            Text(" · ".join(flags) or t("pf.no_flags"), style="bold yellow" if flags else ""),
        )
        grid.add_row(
            label("pf.next_callback"),
            fmt.callback_text(t, p, self.app.ctx.clock.tz),
            label("pf.hours"),
            fmt.hours_text(t, p, self.app.ctx.policy.table("rules.call_window")),
        )
        grid.add_row(label("pf.plan"), plan_text(t, self.plans), "", "")
        return grid

    # --- actions -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "unmask":
            return bool(self.app.may_unmask)
        if action in ACTION_PERMISSIONS:
            return self.app.user is not None and may(signed_in_actor(self.app), ACTION_PERMISSIONS[action])
        decided = self.role_check(action)
        return True if decided is None else decided

    def selected_customer_id(self) -> str | None:
        return self.customer_id

    def action_back(self) -> None:
        self.dismiss()

    def action_unmask(self) -> None:
        from collectui.tui.screens.unmask import UnmaskScreen

        self.app.push_screen(UnmaskScreen(self.customer_id), callback=self.show_clear)

    def action_feedback(self) -> None:
        from collectui.tui.screens.feedback import FeedbackScreen

        self.app.push_screen(FeedbackScreen(self.customer_id))

    def action_complaint(self) -> None:
        from collectui.tui.screens.complaint import ComplaintScreen

        self.app.push_screen(ComplaintScreen(self.customer_id))

    def action_add_contact(self) -> None:
        from collectui.tui.screens.contact_add import ContactAddScreen

        self.app.push_screen(ContactAddScreen(self.customer_id))

    def action_hours(self) -> None:
        from collectui.tui.screens.consent import ConsentHoursScreen

        self.app.push_screen(ConsentHoursScreen(self.customer_id))

    def action_plans(self) -> None:
        from collectui.tui.screens.plans import PlansScreen

        self.app.push_screen(PlansScreen(self.customer_id))

    def show_clear(self, result: Unmasked | None) -> None:
        if result is None or self.profile is None:
            return
        self.clear_values[result.field] = result.value
        old = self._mask_timers.pop(result.field, None)
        if old is not None:
            old.stop()
        self._mask_timers[result.field] = self.set_timer(result.show_seconds, lambda f=result.field: self.remask(f))
        self._paint()
        self.notify(self.app.t("pf.unmasked", field=self.app.t(f"pf.{result.field}"), seconds=result.show_seconds))

    def remask(self, field: str) -> None:
        self.clear_values.pop(field, None)
        self._mask_timers.pop(field, None)
        if self.profile is not None:
            self._paint()
