"""`collectui demo`: build the demo database (and the training scenarios) for trainers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from collectui.cli.common import State, os_user, out, state
from collectui.cli.values import parse_day
from collectui.clock import clock_from_env
from collectui.demo import builder as demo_svc
from collectui.demo import scenarios as demo_scenarios
from collectui.demo.file import demo_info
from collectui.demo.plans import MIN_CUSTOMERS
from collectui.domain.context import Ctx
from collectui.domain.errors import UsageError
from collectui.domain.policy import Policy
from collectui.domain.portfolio.overdue import CATEGORY_ZH
from collectui.storage.engine import Database


def _print_summary(s: demo_svc.DemoSummary, db_path: Path) -> None:
    out.print(f"[bold]demo database built[/]: {db_path}  (seed {s.seed}, as of {s.as_of}, {s.seconds:.1f} s)")
    out.print(
        f"customers {s.customers:,} · loans {s.loans:,} · instalments {s.instalments:,} · "
        f"payments {s.payments:,} · calls {s.calls:,} · promises "
        + ", ".join(f"{k} {v}" for k, v in s.promises.items())
        + f" · disputes {s.disputes} · complaints {s.complaints} · feedback {s.feedback} · SMS {s.sms}"
    )
    buckets = Table(title="borrowers by worst loan (overdue engine)")
    for b in s.borrowers_by_bucket:
        buckets.add_column(b, justify="right")
    buckets.add_row(*[f"{v:,}" for v in s.borrowers_by_bucket.values()])
    out.print(buckets)
    out.print(
        "five categories: " + ", ".join(f"{CATEGORY_ZH[c]} {c} {v:,}" for c, v in s.borrowers_by_category.items())
    )
    if s.refreshed:
        out.print(f"work list ready: {s.work_items:,} overdue borrowers, {s.callable:,} callable today")
    if s.refresh_note:
        out.print(f"[yellow]note:[/] {s.refresh_note}")
    staff = Table(title="demo staff accounts (demo passwords: never use them on real data)")
    for col in ("username", "role", "branch", "password"):
        staff.add_column(col)
    for spec in s.staff:
        staff.add_row(spec.username, spec.role, spec.branch or "", spec.password)
    out.print(staff)


def _print_scenarios(added: list[demo_scenarios.AddedScenario]) -> None:
    table = Table(title="training scenarios (stories: seeds/training/README.md)")
    for col in ("customer_id", "scenario", "what to practise"):
        table.add_column(col)
    for a in added:
        table.add_row(a.customer_id, a.title, a.practise)
    out.print(table)


def make_demo(
    st: State,
    seed: int = 1,
    customers: int = 500,
    day: date | None = None,
    force: bool = False,
    scenarios: bool = False,
    scenarios_file: Path | None = None,
) -> None:
    """Build the demo database at ``st.db_path`` (and/or its training scenarios) and print what was made."""
    if not MIN_CUSTOMERS <= customers <= demo_svc.MAX_CUSTOMERS:
        raise UsageError(f"--customers: expected {MIN_CUSTOMERS} to {demo_svc.MAX_CUSTOMERS:,}, got {customers}")
    policy = st.policy_file() or Policy()  # a demo database's rules may bend: --policy is honoured
    clock = clock_from_env(policy["timezone"])
    # The demo builds a new database on its own authority: its audit events name the OS user who ran it.
    actor = f"system:demo:{os_user()}"
    want_scenarios = scenarios or scenarios_file is not None
    only_scenarios = want_scenarios and not force and demo_info(st.db_path) is not None
    if not only_scenarios:
        summary = demo_svc.build_demo(
            st.db_path,
            policy,
            clock,
            demo_svc.DemoOptions(seed=seed, customers=customers, as_of=day, force=force),
            actor=actor,
        )
        _print_summary(summary, st.db_path)
    if want_scenarios:
        db = Database(st.db_path)
        try:
            in_force, version = st.policy_for(db)  # the demo database's stored policy, or the --policy file
            added = demo_scenarios.add_scenarios(Ctx(db, clock, in_force, version), scenarios_file, actor=actor)
        finally:
            db.dispose()
        _print_scenarios(added)
    out.print(
        f"next: [bold]collectui --db {st.db_path} login cg-collector1[/] (password demo-cg-collector1), then "
        f"[bold]collectui --db {st.db_path} queue[/] (the ranked list); or [bold]collectui --db {st.db_path}[/] "
        "(the app)"
    )


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        ctx: typer.Context,
        seed: int = typer.Option(1, "--seed", min=0, max=2**31 - 1, help="Same seed and as-of date, same data."),
        customers: int = typer.Option(500, "--customers", help="Number of borrowers (20 to 1,000,000)."),
        as_of: str | None = typer.Option(
            None,
            "--as-of",
            help="Day the data is built for, YYYY-MM-DD (default: today from the clock, COLLECTUI_NOW).",
        ),
        force: bool = typer.Option(False, "--force", help="Replace an existing demo database (never real data)."),
        scenarios: bool = typer.Option(
            False,
            "--scenarios",
            help="Add the training scenarios (seeds/training/scenarios.toml); on an existing demo database, only them.",
        ),
        scenarios_file: Path | None = typer.Option(
            None,
            "--scenarios-file",
            dir_okay=False,
            exists=True,
            help="Another scenarios TOML file (implies --scenarios).",
        ),
    ) -> None:
        """Build a realistic demo database (Faker zh_CN) and print the demo staff accounts.

        Refuses to touch a database that is not demo data, and replaces a demo one only with --force.
        """
        make_demo(state(ctx), seed, customers, parse_day(as_of, "--as-of"), force, scenarios, scenarios_file)
