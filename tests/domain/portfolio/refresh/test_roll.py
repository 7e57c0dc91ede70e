"""Carrying the stored state forward to a later day gives exactly what a full refresh of that day gives."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from bench.gen_bank import BankSpec, generate
from collectui.clock import FixedClock
from collectui.domain.context import Ctx
from collectui.domain.policy import Policy
from collectui.domain.portfolio import refresh
from collectui.domain.portfolio.overdue import bucket_for, category_for
from collectui.domain.portfolio.refresh import figures
from collectui.storage.engine import Database
from tests.support.small_bank import TZ

TABLES = {
    "loan_state": "SELECT * FROM loan_state ORDER BY loan_id",
    "work_item": "SELECT * FROM work_item ORDER BY customer_id",
    "promise": "SELECT id, status, paid_fen, evaluated_on FROM promise ORDER BY id",
    "bucket_snapshot": "SELECT * FROM bucket_snapshot WHERE snap_date = :d ORDER BY loan_id",
}


def dump(db, day):
    with db.engine.connect() as c:
        return {name: [tuple(r) for r in c.execute(text(sql), {"d": day.isoformat()})] for name, sql in TABLES.items()}


@pytest.mark.parametrize("gap", [1, 9, 45])
def test_roll_equals_full_refresh(tmp_path, gap):
    end = date(2026, 11, 28)
    path = tmp_path / "bank.db"
    generate(path, BankSpec(customers=400, share_overdue=0.5, as_of=end, seed=gap))
    db = Database(path)
    start = end - timedelta(days=gap)
    clock = FixedClock(datetime(start.year, start.month, start.day, 9, tzinfo=TZ), TZ)
    ctx = Ctx(db, clock, Policy())
    refresh.refresh(ctx)
    clock.advance(timedelta(days=gap))
    stats = refresh.ensure_current(ctx)
    assert stats.mode == "roll" and stats.as_of == end
    rolled = dump(db, end)
    assert refresh.refresh(ctx).mode == "full"
    full = dump(db, end)
    assert len(full["work_item"]) > 50 and len(full["loan_state"]) == 800
    for name in TABLES:
        assert rolled[name] == full[name], name
    db.dispose()


def test_sql_buckets_and_categories_match_the_engine(db):
    with db.engine.connect() as c:
        for dpd in range(0, 800):
            b, k = c.exec_driver_sql(f"SELECT {figures.sql_bucket(str(dpd))}, {figures.sql_category(str(dpd))}").one()
            assert (b, k) == (bucket_for(dpd), category_for(dpd)), dpd
