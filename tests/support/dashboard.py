"""The supervisor dashboard's hand-worked rows (fixture ``dash`` in tests/conftest.py) and who looks at them.

Branch 城关支行: C1 欧阳娜娜, 45 DPD, collector li, two calls (one right-party), two feedbacks, two complaints
(one overdue with a hold); branch 东街支行: C2, 200 DPD, one overdue complaint. Day: 2026-11-28.
"""

from __future__ import annotations

from datetime import date

from collectui.domain.staff.users import UserView
from tests.support.report_rows import Seed, local

TODAY = date(2026, 11, 28)
BOSS = UserView(2, "boss", "Boss", "supervisor", "城关支行", True, False)
ADMIN = UserView(3, "root", "Root", "admin", None, True, False)
COLLECTOR = UserView(1, "li", "Li", "collector", "城关支行", True, False)


def seed(ctx) -> None:
    with ctx.db.write() as s:
        rows = Seed(s)
        rows.user("li")
        rows.user("boss", "supervisor")
        rows.user("root", "admin", branch="总行")
        rows.customer("C1", name="欧阳娜娜")
        rows.customer("C2", name="王五", branch="东街支行")
        rows.loan("L1", "C1", 45, 50000, 10000, TODAY, collector="li")
        rows.loan("L2", "C2", 200, 30000, 30000, TODAY)
        rows.call("C1", "li", local(2026, 11, 20), "promise_to_pay")
        rows.call("C1", "li", local(2026, 11, 21), "no_answer")
        rows.feedback("C1", local(2026, 11, 21), "negative", 2, 3, ["attitude"], "li")
        rows.feedback("C1", local(2026, 11, 22), "positive", 5, 10, collector="li")
        rows.complaint("C1", local(2026, 11, 1), date(2026, 11, 16), hold=True, collector="li")
        rows.complaint("C1", local(2026, 11, 20), date(2026, 12, 5), about="service")
        rows.complaint("C2", local(2026, 11, 2), date(2026, 11, 17))
