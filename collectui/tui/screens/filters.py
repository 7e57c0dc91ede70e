"""The work-list filter dialog: bucket, branch (supervisors: all), assigned to me, include not callable."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, Label, Select
from textual.widgets.select import NoSelection

from collectui.domain.portfolio.overdue import BUCKETS
from collectui.domain.staff.sessions import may_see_all_branches, visible_branches
from collectui.domain.worklist.queries import WorkFilter
from collectui.tui.base import AppModalScreen, localise_bindings, signed_in
from collectui.tui.widgets.toggles import Check

ALL = "__all__"

V = TypeVar("V")


def _chosen(picker: Select[V]) -> V | None:
    """A picker's value as a filter: None for "any" (and for no selection)."""
    value = picker.value
    return None if isinstance(value, NoSelection) or value == ALL else value


class FilterScreen(AppModalScreen[WorkFilter | None]):
    BINDINGS = [Binding("escape", "cancel", "common.cancel")]

    def __init__(self, current: WorkFilter) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.current = current

    def compose(self) -> ComposeResult:
        t, user = self.app.t, signed_in(self.app)
        with Vertical(id="filter-box", classes="dialog"):
            yield Label(t("wl.filter.title"), classes="dialog-title")
            yield Label(t("wl.filter.bucket"))
            yield Select(
                [(t("wl.filter.any"), ALL)] + [(b, b) for b in BUCKETS if b != "M0"],
                value=self.current.bucket or ALL,
                allow_blank=False,
                id="bucket",
                compact=True,
            )
            yield Label(t("wl.filter.branch"))
            own: str | int = self.current.branch or ALL
            options = [(str(own) if own != ALL else t("wl.filter.all_branches"), own)]
            yield Select(
                options,
                value=own,
                allow_blank=False,
                id="branch",
                disabled=not may_see_all_branches(user),
                compact=True,
            )
            yield Check(t("wl.filter.mine"), self.current.collector_id is not None, id="mine", compact=True)
            yield Check(t("wl.filter.blocked"), self.current.include_blocked, id="blocked", compact=True)
            yield Button(t("wl.filter.apply"), id="apply", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#bucket", Select).focus()
        if may_see_all_branches(signed_in(self.app)):
            self._branches()

    @work(thread=True, exclusive=True)
    def _branches(self) -> None:
        names = visible_branches(self.app.ctx, signed_in(self.app))
        self.app.call_from_thread(self._set_branches, names)

    def _set_branches(self, names: list[str]) -> None:
        select = self.query_one("#branch", Select)
        options = [(self.app.t("wl.filter.all_branches"), ALL)] + [(n, n) for n in names]
        select.set_options(options)
        select.value = self.current.branch if self.current.branch in names else ALL

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        buckets: Select[str] = self.query_one("#bucket", Select)
        branches: Select[str | int] = self.query_one("#branch", Select)
        user = signed_in(self.app)
        self.dismiss(
            replace(
                self.current,
                bucket=_chosen(buckets),
                branch=_chosen(branches) if may_see_all_branches(user) else user.branch,
                collector_id=user.id if self.query_one("#mine", Checkbox).value else None,
                include_blocked=self.query_one("#blocked", Checkbox).value,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
