"""Lines of `collectui import` (cli/commands/import_.py) and the rejected-row messages of the import
(``domain.importing.said_rows``: ``import.err.*`` and what a cell should hold, ``import.expect.*``). The
English of each is the domain's own wording (tests/domain/importing/test_said_rows.py checks it)."""

_COMMA = "an unquoted comma, e.g. in 30,000.00? quote the cell or remove the thousands separator"
_DATES = "2026-11-28, 2026/11/28, 20261128 or 2026年11月28日"
_DATES_ZH = "2026-11-28、2026/11/28、20261128 或 2026年11月28日"
_MONEY = "an amount in yuan like 1234.50, 1,234.50 or ¥1,234.50"
_MONEY_ZH = "以元为单位的金额，如 1234.50、1,234.50 或 ¥1,234.50"
_RATE = "an annual rate like 0.0435 or 4.35%"

STRINGS = {
    # The summary table (its other headers are in fields.py).
    "field.read": ("读取", "read"),
    "field.would_insert": ("拟新增", "would insert"),
    "field.would_update": ("拟更新", "would update"),
    "field.would_be_unchanged": ("拟不变", "would be unchanged"),
    "import.title": ("导入", "import"),
    "import.title.dry_run": (
        "导入（试运行：未写入任何数据；以下为将写入的数量）",
        "import (dry run: nothing written; what would be written)",
    ),
    "import.title.refused": (
        "导入被拒绝：未写入任何数据；以下为 --skip-invalid 将写入的数量",
        "import refused: nothing written; what --skip-invalid would write",
    ),
    "import.nothing_written": (
        "{n} 处错误：未写入任何数据（请修正这些行，或用 --skip-invalid 只导入有效的行）",
        "{n} error(s): nothing was written (fix the rows, or use --skip-invalid to import the valid rows)",
    ),
    "import.rejects_file": ("{kind} 被拒收的行：{path}", "rejected rows of {kind}: {path}"),
    "import.branches": ("新建支行：{names}", "new branches: {names}"),
    "import.branches_would": ("将新建的支行：{names}", "new branches (would be created): {names}"),
    "import.kept": (
        "{n} 笔{kind}保留了在 collectui 中手工分配的催收员（`collectui assign`）；文件中的催收员只用于无人手工分配的借款人",
        "{n} {kind} kept the collector assigned by hand in collectui (`collectui assign`); "
        "the file's collector applies to borrowers nobody assigned by hand",
    ),
    "import.kept_would": (
        "{n} 笔{kind}将保留在 collectui 中手工分配的催收员（`collectui assign`）；文件中的催收员只用于无人手工分配的借款人",
        "{n} {kind} would keep the collector assigned by hand in collectui (`collectui assign`); "
        "the file's collector applies to borrowers nobody assigned by hand",
    ),
    "import.refreshed": ("逾期数据已刷新：{what}", "overdue figures refreshed: {what}"),
    "import.warning": ("警告：", "warning:"),
    "import.error": ("错误：", "error:"),
    "import.more": ("…… 另有 {n} 处", "… and {n} more"),
    "import.phase.reading": ("读取中", "reading"),
    "import.phase.checking and writing": ("检查并写入", "checking and writing"),
    "import.kind.customers": ("客户", "customers"),
    "import.kind.contacts": ("联系人", "contacts"),
    "import.kind.loans": ("贷款", "loans"),
    "import.kind.schedule": ("还款计划", "schedule"),
    "import.kind.payments": ("还款", "payments"),
    "import.kind.feedback": ("客户反馈", "feedback"),
    "import.unknown_kind": ("未知的类型 {kind}：请用 {kinds} 之一", "unknown kind {kind}: use one of {kinds}"),
    "import.give_file": (
        "请给出要导入的文件：collectui import {kind} FILE",
        "give the file to import: collectui import {kind} FILE",
    ),
    "import.kind_from_name": (
        "{path}：无法从文件名判断类型（customers/客户、contacts/联系人、loans/贷款、schedule/还款计划、payments/还款）；"
        "请用 collectui import KIND {path}",
        "{path}: cannot tell the kind from the name (customers/客户, contacts/联系人, loans/贷款, "
        "schedule/还款计划, payments/还款); use collectui import KIND {path}",
    ),
    "import.no_target": (
        "{target}：没有这个文件夹或文件，也不是一种类型（{kinds}）",
        "{target}: no such folder or file, and not a kind ({kinds})",
    ),
    "import.bad_encoding": (
        "--encoding：{value} 不是 auto、utf-8、gb18030 之一",
        "--encoding: {value} is not one of auto, utf-8, gb18030",
    ),
    # A rejected row (domain.importing.said_rows).
    "import.err.value": (
        "{location}：{label} 列的值“{shown}”有误，应为{expected}",
        "{location}: column {label}: value '{shown}' — expected {expected}",
    ),
    "import.err.required": (
        "{location}：{label} 列为空，此列必填",
        "{location}: column {label}: empty — expected a value (required)",
    ),
    "import.err.cells_comma": (
        "{location}：该行有 {cells} 个单元格，但表头只有 {width} 列——数字中有未加引号的逗号（如 30,000.00）？"
        "请给该单元格加引号或去掉千分位逗号",
        "{location}: {cells} cells but the header has {width} columns — " + _COMMA,
    ),
    "import.err.cells_tab": (
        "{location}：该行有 {cells} 个单元格，但表头只有 {width} 列——值中有制表符？请给该单元格加引号或去掉制表符",
        "{location}: {cells} cells but the header has {width} columns — "
        "a tab inside a value? quote the cell or remove the tab",
    ),
    "import.err.cells_extra": (
        "{location}：该行有 {cells} 个单元格，但表头只有 {width} 列——表头最后一列之后还有值；请为它们加表头或删除",
        "{location}: {cells} cells but the header has {width} columns — "
        "values beyond the header's last column; give them a header or delete them",
    ),
    "import.err.other": ("{location}：{text}", "{location}: {text}"),
    # What a cell should hold.
    "import.expect.date": ("日期，如 " + _DATES_ZH, "a date like " + _DATES),
    "import.expect.date_range": (
        "1900 至 2200 年之间的日期，如 " + _DATES_ZH,
        "a date like " + _DATES + " between 1900 and 2200",
    ),
    "import.expect.date_excel": (
        "日期，如 " + _DATES_ZH + "（Excel 数字不是日期：请把单元格设为日期格式）",
        "a date like " + _DATES + " (an Excel number is not a date: format the cell as a date)",
    ),
    "import.expect.real_date": ("真实存在的日期（这一天不存在）", "a real calendar date (this day does not exist)"),
    "import.expect.money": (_MONEY_ZH + "（最多 2 位小数，不能为负）", _MONEY + " (at most 2 decimals, not negative)"),
    "import.expect.money_negative": (
        _MONEY_ZH + "（不接受负数；最多 2 位小数）",
        _MONEY + " (negative amounts are refused; at most 2 decimals, not negative)",
    ),
    "import.expect.positive": ("大于 0 的金额", "an amount greater than 0"),
    "import.expect.fen": ("最多 2 位小数（分）", "at most 2 decimals (fen)"),
    "import.expect.number_not_date": ("数字，而不是日期", "a number, not a date"),
    "import.expect.number_not_bool": ("数字，而不是 TRUE/FALSE", "a number, not TRUE/FALSE"),
    "import.expect.rate": ("年利率，如 0.0435 或 4.35%", _RATE),
    "import.expect.rate_percent": (
        "年利率，如 0.0435 或 4.35%（超过 100%：百分数需带 % 号）",
        _RATE + " (over 100%: a percentage needs its % sign)",
    ),
    "import.expect.rate_decimals": (
        "年利率，如 0.0435 或 4.35%（百分数最多 4 位小数）",
        _RATE + " (at most 4 decimals in per cent)",
    ),
    "import.expect.phone": (
        "手机号（13-19 开头的 11 位数字，可带 +86）或带区号的固定电话",
        "a mobile (11 digits from 13-19, +86 allowed) or a landline with its area code",
    ),
    "import.expect.bool": ("1/0、true/false、yes/no、是/否 或 Y/N", "1/0, true/false, yes/no, 是/否 or Y/N"),
    "import.expect.seq": ("期数 1、2、3……", "an instalment number 1, 2, 3 ..."),
    "import.expect.value": ("一个值（单元格为空）", "a value (the cell is empty)"),
    "import.expect.identifier_empty": ("一个编号（单元格为空）", "an identifier (the cell is empty)"),
    "import.expect.customer_ref": (
        "数据库或本次导入中已有的 customer_id",
        "a customer_id present in the database or in this import",
    ),
    "import.expect.loan_ref": (
        "数据库或本次导入中已有的 loan_id",
        "a loan_id present in the database or in this import",
    ),
    "import.expect.collector_ref": (
        "员工账号的用户名（用 `collectui users add` 创建）",
        "the username of a staff account (create it with `collectui users add`)",
    ),
    "import.expect.max_chars": ("最多 {n} 个字符", "at most {n} characters"),
    "import.expect.key_once": (
        "在文件中只出现一次的编号（第 {first} 行已有）",
        "a key used once in the file (already on {unit} {first})",
    ),
    "import.expect.other": ("{text}", "{text}"),
}
