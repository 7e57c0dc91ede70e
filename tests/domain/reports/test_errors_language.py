"""Report refusals read in the person's language: an unknown report, a window backwards, the dashboard for
a collector, a day after today; their English is unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from collectui.domain import reports
from collectui.domain.errors import InvalidInput, PermissionDenied, UsageError
from collectui.domain.reports.common import Params, resolve_window
from collectui.domain.reports.dashboard import dashboard_data
from collectui.domain.reports.portfolio_day import FutureDay, figures_on
from collectui.domain.staff.users import UserView
from tests.support.said import in_both


def test_an_unknown_report_lists_the_reports_in_chinese(ctx):
    with pytest.raises(UsageError) as caught:
        reports.run(ctx, "nope", Params())
    assert in_both(caught.value).startswith("未知的报表 nope；可选：")


def test_a_window_backwards_is_refused_in_chinese(ctx):
    params = Params(date_from=date(2026, 11, 20), date_to=date(2026, 11, 10))
    with ctx.db.raw_read() as raw, pytest.raises(InvalidInput) as caught:
        resolve_window(ctx, raw, params, 7)
    assert in_both(caught.value) == "--from 2026-11-20 晚于 --to 2026-11-10"


def test_the_dashboard_refuses_a_collector_in_chinese(ctx):
    amy = UserView(1, "amy", "Amy", "collector", "城关支行", True, False)
    with pytest.raises(PermissionDenied) as caught:
        dashboard_data(ctx, amy)
    assert in_both(caught.value) == "仪表板仅供主管和管理员使用"


def test_a_day_after_today_is_refused_in_chinese(ctx):
    with ctx.db.raw_read() as raw, pytest.raises(FutureDay) as caught:
        figures_on(raw, date(2026, 12, 1), date(2026, 11, 28))
    assert in_both(caught.value) == "2026-12-01 没有贷款组合数据：该日在今天（2026-11-28）之后，其还款情况尚不可知"
