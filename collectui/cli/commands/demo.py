"""`collectui demo`: build the demo database (and the training scenarios) for trainers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from collectui.cli import lang
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
from collectui.domain.said import said
from collectui.storage.engine import Database
from collectui.tui.wording import tr


def _print_summary(s: demo_svc.DemoSummary, db_path: Path) -> None:
    """What was built, in the run's language (the accounts and passwords are the same in both)."""
    sep = lang.t("cli.list_sep")
    built = lang.t("cli.demo.built", path=db_path, seed=s.seed, day=s.as_of, seconds=f"{s.seconds:.1f}")
    out.print(f"[bold]{escape(built)}[/]")
    promises = sep.join(f"{tr(lang.t, 'wl.promise', k)} {v}" for k, v in s.promises.items())
    counts = {k: f"{getattr(s, k):,}" for k in ("customers", "loans", "instalments", "payments", "calls")}
    counts |= {k: f"{getattr(s, k):,}" for k in ("disputes", "complaints", "feedback", "sms")}
    out.print(lang.t("cli.demo.counts", promises=promises, **counts), markup=False)
    buckets = Table(title=lang.t("cli.demo.buckets"))
    for b in s.borrowers_by_bucket:
        buckets.add_column(b, justify="right")
    buckets.add_row(*[f"{v:,}" for v in s.borrowers_by_bucket.values()])
    out.print(buckets)
    if lang.lang() == "zh":  # the class names are the bank's own words; English adds the codes
        classes = sep.join(f"{CATEGORY_ZH[c]} {v:,}" for c, v in s.borrowers_by_category.items())
    else:
        classes = ", ".join(f"{CATEGORY_ZH[c]} {c} {v:,}" for c, v in s.borrowers_by_category.items())
    out.print(lang.t("cli.demo.categories", classes=classes), markup=False)
    if s.refreshed:
        out.print(lang.t("cli.demo.ready", items=f"{s.work_items:,}", callable=f"{s.callable:,}"), markup=False)
    if s.refresh_note:
        out.print(f"[yellow]{escape(lang.t('cli.demo.note'))}[/] {escape(s.refresh_note)}")
    staff = Table(title=lang.t("cli.demo.accounts"))
    for col in ("username", "role", "branch", "password"):
        staff.add_column(lang.header(col))
    for spec in s.staff:
        staff.add_row(spec.username, lang.t(f"role.{spec.role}"), spec.branch or "", spec.password)
    out.print(staff)


_TWO_TITLES = re.compile(r"([^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s+([A-Za-z].*)")


def _title_in_lang(title: str) -> str:
    """A story borrower's title ("健忘的借款人 The forgetful borrower" in seeds/training/scenarios.toml): its
    Chinese half in Chinese; else as it is. (What to practise is English only in that file.)"""
    both = _TWO_TITLES.fullmatch(title.strip()) if lang.lang() == "zh" else None
    return both.group(1) if both else title  # English keeps both, as the file has them, for trainers


def _print_scenarios(added: list[demo_scenarios.AddedScenario]) -> None:
    table = Table(title=lang.t("cli.demo.scenarios"))
    for col in ("customer_id", "scenario", "practise"):
        table.add_column(lang.header(col))
    for a in added:
        table.add_row(a.customer_id, escape(_title_in_lang(a.title)), escape(a.practise))
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
    if st.db_url:  # the demo builds a file and swaps it in whole (storage.files): SQLite only for now
        english = "demo: builds a SQLite file; give --db a file path, not a PostgreSQL URL"
        raise UsageError(said("cli.err.demo_url", english))
    if not MIN_CUSTOMERS <= customers <= demo_svc.MAX_CUSTOMERS:
        top = f"{demo_svc.MAX_CUSTOMERS:,}"
        english = f"--customers: expected {MIN_CUSTOMERS} to {top}, got {customers}"
        raise UsageError(said("cli.err.customers", english, low=MIN_CUSTOMERS, top=top, value=customers))
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
    cli = f"collectui --db {st.db_path}"
    login, queue, app = (f"[bold]{escape(c)}[/]" for c in (f"{cli} login cg-collector1", f"{cli} queue", cli))
    out.print(lang.t("cli.demo.next", login=login, password="demo-cg-collector1", queue=queue, app=app))


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
