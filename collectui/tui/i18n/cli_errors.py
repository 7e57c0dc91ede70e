"""Usage errors of the command line (a mistyped option, a missing argument), as ``said("cli.err.<what>",
English, **values)`` in collectui/cli: the English is the line the command always printed (tests/cli/
test_cli_errors.py checks each entry against the code); option names, codes and values stay as typed."""

STRINGS = {
    "cli.err.year": (
        "{option} {value}：年份应在 {first} 到 {last} 之间",
        "{option} {value}: expected a year between {first} and {last}",
    ),
    "cli.err.datetime": (
        "{option} {value}：应为 ISO 8601 日期时间，如 2026-11-28T21:59:00+08:00",
        "{option} {value}: expected an ISO 8601 date and time, e.g. 2026-11-28T21:59:00+08:00",
    ),
    "cli.err.date": ("{option} {value}：应为日期 YYYY-MM-DD", "{option} {value}: expected a date YYYY-MM-DD"),
    "cli.err.count_zero": (
        "{option}：应为 0（全部）或 1 到 {top} 之间的整数，实际为 {value}",
        "{option}: expected 0 ({zero}) or a whole number from 1 to {top}, got {value}",
    ),
    "cli.err.count": (
        "{option}：应为 1 到 {top} 之间的整数，实际为 {value}",
        "{option}: expected a whole number from 1 to {top}, got {value}",
    ),
    "cli.err.amount": (
        "{option}：应为以元为单位的金额，如 1200 或 1,200.50，实际为 {value}",
        "{option}: expected an amount in yuan like 1200 or 1,200.50, got {value}",
    ),
    "cli.err.policy_missing": ("--policy {path}：没有这个文件", "--policy {path}: no such file"),
    "cli.err.policy_invalid": ("--policy 文件有误：{problem}", "--policy {problem}"),
    "cli.err.policy_production": (
        "--policy：正式数据库不接受（其规则保存在数据库中：用 `collectui policy apply FILE --reason ...` 应用；`collectui policy check FILE` 检查文件）",
        "--policy: refused on a production database (its policy is stored in it: `collectui policy apply FILE --reason ...`; `collectui policy check FILE` checks a file)",
    ),
    "cli.err.report_unknown": ("没有报表 {name}；可选：{names}", "unknown report {name}; choose one of {names}"),
    "cli.err.report_trainee": ("--trainee 只用于培训报表", "--trainee is an option of the training report only"),
    "cli.err.report_training_filters": (
        "培训报表用 --trainee，不用 --branch 或 --collector",
        "the training report takes --trainee, not --branch or --collector",
    ),
    "cli.err.report_xlsx": ("--format xlsx 需要 --output FILE.xlsx", "--format xlsx needs --output FILE.xlsx"),
    "cli.err.report_output": ("--output 需要 --format csv、xlsx 或 json", "--output needs --format csv, xlsx or json"),
    "cli.err.format": (
        "--format：应为 table、json 或 csv，实际为 {value}",
        "--format: expected table, json or csv, got {value}",
    ),
    "cli.err.on_date": ("--on：{value} 不是 YYYY-MM-DD 格式的日期", "--on: {value} is not a date YYYY-MM-DD"),
    "cli.err.format_table_json": ("--format：table 或 json", "--format: table or json"),
    "cli.err.no_stdin_password": ("标准输入中没有密码", "no password on standard input"),
    "cli.err.passwords_differ": ("两次输入的密码不一致", "the two passwords differ"),
    "cli.err.no_stdin.username": ("标准输入中没有用户名", "no username on standard input"),
    "cli.err.no_stdin.password": ("标准输入中没有密码", "no password on standard input"),
    "cli.err.no_stdin.new password (the second line)": (
        "标准输入中没有新密码（第二行）",
        "no new password (the second line) on standard input",
    ),
    "cli.err.relation_needs_name": (
        "--relation 须与 --name（第三方）一起使用；不带 --name 时号码是借款人本人的",
        "--relation goes with --name (a third party); without --name the number is the borrower's own",
    ),
    "cli.err.name_needs_relation": (
        "第三方需要 --relation（{relations}）",
        "a third party needs --relation ({relations})",
    ),
    "cli.err.invalid_or_valid": ("请指定 --invalid 或 --valid", "say --invalid or --valid"),
    "cli.err.set_or_clear": ("请指定 --set HH:MM-HH:MM 或 --clear 之一", "say one of --set HH:MM-HH:MM or --clear"),
    "cli.err.status": ("{option} {value}：应为以下之一：{known}", "{option} {value}: expected one of {known}"),
    "cli.err.upheld_or_rejected": ("请指定 --upheld 或 --rejected 之一", "say either --upheld or --rejected"),
    "cli.err.told_by": ("--told-by {value}：应为 letter 或 sms", "--told-by {value}: expected letter or sms"),
    "cli.err.plan_status": (
        "--status：应为以下之一：{known}，实际为 {value}",
        "--status: expected one of {known}, got {value}",
    ),
    "cli.err.assign_what": (
        "请指定其一：CUSTOMER_ID... --to USER、--balance --branch NAME 或 --load",
        "say one of: CUSTOMER_ID... --to USER, --balance --branch NAME, or --load",
    ),
    "cli.err.assign_balance_only": (
        "--from 和 --dry-run 须与 --balance 一起使用",
        "--from and --dry-run go with --balance",
    ),
    "cli.err.assign_balance_branch": ("--balance 需要 --branch NAME", "--balance needs --branch NAME"),
    "cli.err.assign_who": (
        "请写出借款人和催收员：CUSTOMER_ID... --to USER",
        "name the borrowers and the collector: CUSTOMER_ID... --to USER",
    ),
    "cli.err.assign_branch": ("--branch 须与 --balance 或 --load 一起使用", "--branch goes with --balance or --load"),
    "cli.err.customers": (
        "--customers：应为 {low} 到 {top}，实际为 {value}",
        "--customers: expected {low} to {top}, got {value}",
    ),
    "cli.err.db_file_only": (
        "db {command}：只用于 SQLite 数据库文件；PostgreSQL 数据库用服务器自己的工具备份和检查"
        "（pg_dump、pg_restore；`collectui audit verify` 检查审计链）",
        "db {command}: for a SQLite database file; a PostgreSQL database is backed up and checked with the "
        "server's tools (pg_dump, pg_restore; `collectui audit verify` checks the audit chain)",
    ),
    "cli.err.demo_url": (
        "demo：建立的是 SQLite 文件；--db 请给文件路径，而不是 PostgreSQL 地址",
        "demo: builds a SQLite file; give --db a file path, not a PostgreSQL URL",
    ),
    "cli.err.sms_state": ("--state {value}：应为以下之一：{known}", "--state {value}: must be one of {known}"),
    "cli.err.situation": ("没有情境 {value}（已有：{known}）", "unknown situation {value} (known: {known})"),
    "cli.err.init_exists": (
        "{where} 已存在：init 只创建新数据库",
        "{where} already exists: `init` only creates a new database",
    ),
    "cli.err.init_policy": (
        "--policy：init 不接受；数据库建好后用 `collectui policy apply FILE --reason ...`",
        "--policy: not for init; once the database exists, `collectui policy apply FILE --reason ...`",
    ),
    "cli.err.not_a_terminal": (
        "标准输入不是终端：请加 --password-stdin 从标准输入读取密码",
        "stdin is not a terminal: pass --password-stdin to read the password from it",
    ),
}
