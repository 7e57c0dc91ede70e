"""A small demo database built through the CLI (`collectui demo --customers 20`), for CLI tests that need
realistic data of every kind (calls, complaints, feedback, SMS) and the demo's accounts (admin: ``admin``)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.storage.locate import is_url

NOW = "2026-11-28T10:00:00+08:00"
ADMIN = "admin"
CUSTOMER = "CU0000001"


def build_demo(path: Path, customers: int = 20) -> Path:
    result = CliRunner().invoke(
        build_app(), ["--db", str(path), "demo", "--customers", str(customers)], env={"COLLECTUI_NOW": NOW}
    )
    assert result.exit_code == 0, result.output
    return path


def build_demo_at(target: str, customers: int = 20) -> str:
    """The demo bank at ``target``: a SQLite path (built by `collectui demo`, as above) or a PostgreSQL URL of
    an empty database, filled by the demo builder's own steps (`demo` itself builds SQLite files only: it
    swaps a finished file into place), with the clock and policy the command would use."""
    if not is_url(target):
        return str(build_demo(Path(target), customers))
    from collectui.clock import FixedClock, parse_datetime
    from collectui.demo import builder
    from collectui.domain.context import Ctx
    from collectui.domain.policy import Policy
    from collectui.storage.locate import database_at

    policy = Policy()
    clock = FixedClock(parse_datetime(NOW, policy.tz), policy.tz)
    db = database_at(target)
    try:
        db.create_schema(kind="demo")
        ctx = Ctx(db=db, clock=clock, policy=policy)
        summary = builder.DemoSummary(path=db.path, seed=1, as_of=clock.today())
        builder._generate(ctx, summary, customers, "system:demo:test")
        builder._refresh(ctx, summary)
    finally:
        db.dispose()
    return target
