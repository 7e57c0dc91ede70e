"""Keys shared by the work list and the profile: call (everyone); dashboard, SMS, today's refused
attempts, disputes and assignment (supervisors, admins).

The screens behind them belong to other features and are imported only when the key is pressed (each
pulls in its services; the work list opens without them).
"""

from __future__ import annotations

from textual.binding import Binding

from collectui.tui.base import AppScreen

SUPERVISOR_ACTIONS = ("dashboard", "sms", "refusals", "disputes", "assign")

ROLE_BINDINGS = [
    Binding("c", "call", "key.call"),
    Binding("d", "dashboard", "key.dashboard"),
    Binding("m", "sms", "key.sms"),
    Binding("x", "refusals", "key.refusals"),
    # Not in the footer (it is full at 80 columns): in the help and the command palette (ctrl+p).
    Binding("v", "disputes", "key.disputes", show=False),
    Binding("a", "assign", "key.assign", show=False),
]


class RoleActions(AppScreen[None]):
    """The base of a screen with these keys; it must define ``selected_customer_id()``."""

    def selected_customer_id(self) -> str | None:  # pragma: no cover - overridden
        return None

    def role_check(self, action: str) -> bool | None:
        if action in SUPERVISOR_ACTIONS:
            return bool(getattr(self.app, "may_unmask", False))  # False hides the key in the footer
        return None  # not decided here

    def action_call(self) -> None:
        customer_id = self.selected_customer_id()
        if customer_id:
            from collectui.tui.screens.call import CallScreen

            self.app.push_screen(CallScreen(customer_id))

    def action_dashboard(self) -> None:
        from collectui.tui.screens.dashboard import DashboardScreen

        self.app.push_screen(DashboardScreen())

    def action_sms(self) -> None:
        from collectui.tui.screens.sms import SmsScreen

        self.app.push_screen(SmsScreen())

    def action_refusals(self) -> None:
        from collectui.tui.screens.refusals import RefusalsScreen

        self.app.push_screen(RefusalsScreen())

    def action_disputes(self) -> None:
        from collectui.tui.screens.disputes import DisputesScreen

        self.app.push_screen(DisputesScreen())

    def action_assign(self) -> None:
        """The assignment screen, with the borrower under the cursor (or of the profile) to assign."""
        from collectui.tui.screens.assign import AssignScreen

        self.app.push_screen(AssignScreen(self.selected_customer_id()))
