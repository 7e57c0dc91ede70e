"""`collectui audit`: check the tamper-evident audit trail."""

from __future__ import annotations

import typer

from collectui.cli.common import err, out, state
from collectui.domain import audit
from collectui.domain.staff.permissions import authorize

audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check every audit event against its hash chain; exit 1 on any break (supervisors and admins)."""
    st = state(ctx)
    c = st.ctx()
    authorize(c, st.actor(), "audit.verify")
    with c.db.read() as s:
        result = audit.verify(s)
    if result.ok:
        out.print(f"audit trail intact: {result.events} events")
        return
    for problem in result.problems:
        err.print(f"audit: {problem}")
    err.print(f"audit trail BROKEN: {len(result.problems)} problem(s) in {result.events} events")
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
