"""The figures behind the supervisor's dashboard: one call, built from the reports and the complaints list.

Supervisors see their own branch, admins every branch. Weekly series cover the last ``WEEKS`` ISO weeks up to
today. The portfolio part is left empty (with a note) when the work list has no figures for today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from collectui.domain.cases.disputes import overdue_count
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError, PermissionDenied
from collectui.domain.reports import activity, portfolio, voice
from collectui.domain.reports.common import Params
from collectui.domain.said import said
from collectui.domain.staff.users import UNMASK_ROLES, UserView
from collectui.domain.voice.complaints import ComplaintView, list_complaints

WEEKS = 8
COMPLAINTS_SHOWN = 200


@dataclass
class DashboardData:
    today: date
    branch: str | None
    figures: dict[str, object]  # key -> value (money strings, rates 0-1, counts)
    buckets: list[tuple[str, int]]  # (bucket, borrowers)
    weeks: list[str]
    rpc_rate: list[float | None]
    ptp_kept_rate: list[float | None]
    csat: list[float | None]
    complaints: list[ComplaintView]
    notes: list[str] = field(default_factory=list)


def dashboard_data(ctx: Ctx, user: UserView) -> DashboardData:
    if user.role not in UNMASK_ROLES:
        raise PermissionDenied(said("error.reports.dashboard_roles", "the dashboard is for supervisors and admins"))
    today = ctx.clock.today()
    branch = user.branch if user.role == "supervisor" else None
    notes: list[str] = []
    figures: dict[str, object] = {}
    buckets: list[tuple[str, int]] = []
    try:
        port = portfolio.build(ctx, Params(date_to=today, branch=branch)).data
        total = port["total"]
        overdue_borrowers = sum(b["borrowers"] for b in port["by_bucket"] if b["bucket"] != "M0")
        figures.update(
            overdue_borrowers=overdue_borrowers,
            outstanding=total["outstanding"],
            overdue=total["overdue"],
            par30=total["par30"],
        )
        buckets = [(b["bucket"], b["borrowers"]) for b in port["by_bucket"] if b["bucket"] != "M0"]
    except CollectError as exc:
        notes.append(str(exc))
    since = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))  # Monday, WEEKS weeks back
    # One window for the charts and the figures (the last WEEKS ISO weeks): each report is read once.
    act = activity.build(ctx, Params(date_from=since, date_to=today, branch=branch)).data
    vo = voice.build(ctx, Params(date_from=since, date_to=today, branch=branch)).data
    a, v = act["total"], vo["total"]
    figures.update(
        attempts_8w=a["attempts"],
        rpc_rate_8w=a["rpc_rate"],
        ptp_kept_rate_8w=a["ptp_kept_rate"],
        ptp_kept_rate_amount_8w=a["ptp_kept_rate_amount"],
        csat_8w=v["csat"],
        nps_8w=v["nps"],
        complaints_open=v["complaints_open"],
        complaints_overdue=v["complaints_overdue"],
        holds=v["holds_active"],
    )
    complaints = list_complaints(ctx, open_only=True, today=today, limit=COMPLAINTS_SHOWN, branch=branch)
    with ctx.db.raw_read() as raw:  # overdue disputes stand out like overdue complaints
        figures["disputes_open"], figures["disputes_overdue"] = overdue_count(raw, ctx.policy, today, branch)
    return DashboardData(
        today=today,
        branch=branch,
        figures=figures,
        buckets=buckets,
        weeks=[w["week"] for w in act["by_week"]],
        rpc_rate=[w["rpc_rate"] for w in act["by_week"]],
        ptp_kept_rate=[w["ptp_kept_rate"] for w in act["by_week"]],
        csat=[w["csat"] for w in vo["by_week"]],
        complaints=complaints,
        notes=notes,
    )
