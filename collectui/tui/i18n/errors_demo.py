"""Service errors of collectui demo: building a demo database and loading its training scenarios (collectui/demo).

Each entry is the Chinese and the English of a ``said("error.demo.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.demo.customers_range": (
        "--customers 须在 {min} 到 {max} 之间，收到 {got}",
        "--customers must be between {min} and {max}, got {got}",
    ),
    "error.demo.dial_unknown": (
        "{path}：拨打 {dial}：借款人没有这个联系人",
        "{path}: dial {dial}: the borrower has no such contact",
    ),
    "error.demo.exists": (
        "{path} 已有一个演示数据库；加 --force 替换它",
        "{path} already holds a demo database; use --force to replace it",
    ),
    "error.demo.in_use": (
        "{target} 正在使用中（应用是否开着？）；关闭后再运行演示",
        "{target} is in use (is the app open on it?); close it and run the demo again",
    ),
    "error.demo.not_a_file": (
        "{path} 不是文件；collectui demo 不会碰它",
        "{path} is not a file; collectui demo will not touch it",
    ),
    "error.demo.not_demo": (
        "{path} 不是演示数据库（没有演示标记）；collectui demo 即使加 --force 也不会覆盖真实数据：请换一个 --db 路径",
        "{path} is not a demo database (no demo marker); collectui demo never overwrites real data, even with --force: choose another --db path",
    ),
    "error.demo.practice_unfinished": (
        "练习通话尚未结束",
        "the practice call is not finished",
    ),
    "error.demo.scenario_age": (
        "{where}：age 必须在 18 到 100 之间，收到 {age}",
        "{where}: age must be from 18 to 100, got {age}",
    ),
    "error.demo.scenario_branch": (
        "{where}：branch 必须是 {choices} 之一",
        "{where}: branch must be one of {choices}",
    ),
    "error.demo.scenario_contacts": (
        "{where}：contacts 必须是 {choices} 中的关系",
        "{where}: contacts must be relations among {choices}",
    ),
    "error.demo.scenario_dpd": (
        "{where}：dpd 必须是 0 到 2000 之间的整数天数，收到 {dpd}",
        "{where}: dpd must be a whole number of days from 0 to 2000, got {dpd}",
    ),
    "error.demo.scenario_flags": (
        "{where}：未知的 flags {unknown}；应为 {choices}",
        "{where}: unknown flags {unknown}; expected {choices}",
    ),
    "error.demo.scenario_missing": (
        "{path}：场景 {n}：缺少 {missing}",
        "{path}: scenario {n}: missing {missing}",
    ),
    "error.demo.scenario_outcome": (
        "{where}：未知的通话结果 {outcome}",
        "{where}: unknown call outcome {outcome}",
    ),
    "error.demo.scenario_product": (
        "{where}：product 必须是 {choices} 之一",
        "{where}: product must be one of {choices}",
    ),
    "error.demo.scenarios_missing": (
        "{path}：找不到场景文件",
        "{path}: scenarios file not found",
    ),
    "error.demo.scenarios_not_demo": (
        "{path} 不是演示数据库；培训场景只放进演示数据",
        "{path} is not a demo database; training scenarios go into demo data only",
    ),
    "error.demo.scenarios_present": (
        "培训场景已在这个数据库中",
        "the training scenarios are already in this database",
    ),
    "error.demo.scenarios_toml": (
        "{path}：不是有效的 TOML：{exc}",
        "{path}: not valid TOML: {exc}",
    ),
}
