"""The supervisor dashboard's data: scope by role, figures, weeks, complaints by deadline (fixture ``dash``)."""

from __future__ import annotations

from datetime import date

import pytest

from collectui.domain.errors import PermissionDenied
from collectui.domain.reports.dashboard import dashboard_data
from tests.support.dashboard import ADMIN, BOSS, COLLECTOR


def test_dashboard_data_scope_and_figures(dash):
    d = dashboard_data(dash, BOSS)
    assert d.branch == "城关支行"
    assert [c.due_on for c in d.complaints] == [date(2026, 11, 16), date(2026, 12, 5)]  # own branch, by deadline
    assert d.complaints[0].overdue and not d.complaints[1].overdue
    assert d.figures["overdue_borrowers"] == 1 and d.figures["par30"] == 1.0
    assert d.figures["rpc_rate_8w"] == 0.5 and d.figures["csat_8w"] == 0.5
    assert len(d.weeks) == 8 and d.weeks[-1] == "2026-W48" and d.rpc_rate[-2] == 0.5  # 20-21 Nov: W47
    everyone = dashboard_data(dash, ADMIN)
    assert everyone.branch is None and len(everyone.complaints) == 3 and everyone.figures["overdue_borrowers"] == 2
    with pytest.raises(PermissionDenied):
        dashboard_data(dash, COLLECTOR)
