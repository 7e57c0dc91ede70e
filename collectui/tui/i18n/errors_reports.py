"""Reports and the dashboard: the service errors of ``collectui/domain/reports`` in both languages."""

STRINGS = {
    "error.reports.unknown": ("未知的报表 {name}；可选：{names}", "unknown report {name!r}; choose one of {names}"),
    "error.reports.from_after_to": ("--from {start} 晚于 --to {end}", "--from {start} is after --to {end}"),
    "error.reports.no_branch": ("没有支行 {branch}", "no branch {branch!r}"),
    "error.reports.dashboard_roles": ("仪表板仅供主管和管理员使用", "the dashboard is for supervisors and admins"),
    "error.reports.no_staff": ("没有员工账户 {username}", "no staff account {username!r}"),
    "error.reports.future_day": (
        "{day} 没有贷款组合数据：该日在今天（{today}）之后，其还款情况尚不可知",
        "no portfolio figures for {day}: it is after today ({today}), its payments are not known yet",
    ),
}
