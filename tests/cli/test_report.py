"""`collectui report` end to end: the CLI refreshes the work list first, so real schedules give the figures."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.storage.models import Instalment, Loan
from tests.support.cli import as_admin, db_arg
from tests.support.report_rows import Seed


def _cli(ctx, *args, now="2026-11-28T10:00:00+08:00"):
    as_admin(db_arg(ctx.db), now)
    return CliRunner().invoke(build_app(), ["--db", db_arg(ctx.db), *args], env={"COLLECTUI_NOW": now})


@pytest.fixture
def bank(ctx):
    """L1: 1,000.00 + 10.00 interest due 1 Sep 2026, unpaid -> 88 DPD on 28 Nov (M3), outstanding 1,010.00.
    L2: 500.00 + 5.00 due 15 Dec 2026 -> M0, outstanding 500.00 (interest not yet due)."""
    with ctx.db.write() as s:
        seed = Seed(s)
        seed.user("li")
        seed.customer("C1")
        for loan_id, due, principal, interest in (
            ("L1", date(2026, 9, 1), 100000, 1000),
            ("L2", date(2026, 12, 15), 50000, 500),
        ):
            s.add(
                Loan(
                    loan_id=loan_id,
                    customer_id="C1",
                    product="p",
                    principal_fen=principal,
                    disbursed_on=date(2026, 1, 1),
                    maturity_date=due,
                    collector_id=seed.users["li"],
                )
            )
            s.flush()
            s.add(
                Instalment(loan_id=loan_id, seq=1, due_date=due, principal_due_fen=principal, interest_due_fen=interest)
            )
    return ctx


def test_portfolio_after_refresh(bank):
    r = _cli(bank, "report", "portfolio", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    buckets = {b["bucket"]: b for b in data["by_bucket"]}
    assert (buckets["M3"]["loans"], buckets["M3"]["borrowers"], buckets["M3"]["outstanding"]) == (1, 1, "1010.00")
    assert (buckets["M0"]["loans"], buckets["M0"]["borrowers"], buckets["M0"]["outstanding"]) == (1, 0, "500.00")
    assert data["total"]["par30"] == round(1010 / 1510, 4)
    assert data["total"]["overdue"] == "1010.00"


def test_migration_from_a_day_without_snapshot_is_computed(bank):
    # t-1 = 29 Oct has no snapshot: computed from the schedules (L1 58 DPD, M2); t = today, refreshed (M3).
    r = _cli(bank, "report", "migration", "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["available"] is True, r.output
    assert "computed" in data["from_source"] and data["to_snapshot"] == "2026-11-28"
    rows = {b["bucket"]: b for b in data["by_bucket"]}
    assert (rows["M2"]["balance"], rows["M2"]["roll_rate"], rows["M0"]["same_rate"]) == ("1010.00", 1.0, 1.0)
    # A past --to without a snapshot is computed too (an imported book asked for the month's end).
    r = _cli(bank, "report", "portfolio", "--to", "2026-10-31", "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and data["source_kind"] == "computed", r.output
    assert data["total"]["par30"] == round(1010 / 1510, 4)  # L1 60 DPD on 31 Oct
    r = _cli(bank, "report", "portfolio", "--to", "2026-11-29")
    assert r.exit_code == 1 and "after today" in r.output
    # The next day the refresh takes another snapshot: L1 is still M3 (89 DPD), cure rate 0.
    r = _cli(bank, "report", "migration", "--from", "2026-11-28", "--format", "json", now="2026-11-29T09:00:00+08:00")
    data = json.loads(r.stdout)
    assert data["available"] is True and data["to_snapshot"] == "2026-11-29"
    rows = {b["bucket"]: b for b in data["by_bucket"]}
    assert rows["M3"]["same_rate"] == 1.0 and data["total"]["cure_rate"] == 0.0
    r = _cli(bank, "report", "migration", "--from", "2026-11-28")
    assert r.exit_code == 0 and "Roll rates" in r.output


# --- output paths: never the database, its sidecars, a directory, or an existing file without --force -------


def _lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


# About the SQLite file and its sidecars; a PostgreSQL database has no file to overwrite.
@pytest.mark.sqlite_only
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_output_onto_the_database_or_its_sidecars_is_refused(bank, suffix):
    from tests.support.importing import fingerprint

    target = f"{bank.db.path}{suffix}"
    bank.db.dispose()
    _cli(bank, "report", "activity")  # signs in (a session and its audit event) before the fingerprint
    before = fingerprint(bank.db.path)
    args = ["--db", str(bank.db.path), "report", "activity", "--format", "csv", "--output", target, "--force"]
    r = CliRunner().invoke(build_app(), args, env={"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"})
    assert r.exit_code == 2, r.output
    assert len(_lines(r)) == 1 and "database" in r.stderr
    assert fingerprint(bank.db.path) == before
    assert bank.db.path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_output_onto_another_sqlite_file_is_refused_even_with_force(bank, tmp_path):
    other = tmp_path / "ledger.db"
    import sqlite3

    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    r = _cli(bank, "report", "activity", "--format", "csv", "--output", str(other), "--force")
    assert r.exit_code == 2 and len(_lines(r)) == 1
    assert other.read_bytes() == before


def test_output_onto_a_directory_is_refused(bank, tmp_path):
    r = _cli(bank, "report", "activity", "--format", "csv", "--output", str(tmp_path))
    assert r.exit_code == 2 and len(_lines(r)) == 1, r.output


def test_an_existing_file_is_replaced_only_with_force(bank, tmp_path):
    target = tmp_path / "activity.csv"
    target.write_text("keep me\n")
    r = _cli(bank, "report", "activity", "--format", "csv", "--output", str(target))
    assert r.exit_code == 2 and len(_lines(r)) == 1 and "--force" in r.stderr
    assert target.read_text() == "keep me\n"
    r = _cli(bank, "report", "activity", "--format", "csv", "--output", str(target), "--force")
    assert r.exit_code == 0, r.output
    assert "keep me" not in target.read_text(encoding="utf-8-sig")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_report_files_are_private_and_leave_no_temporary_file(bank, tmp_path, fmt):
    target = tmp_path / "out" / f"report.{fmt}"
    r = _cli(bank, "report", "portfolio", "--format", fmt, "--output", str(target))
    assert r.exit_code == 0, r.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == [target.name]
