"""Lines of the command line that a Chinese user met in English: `whoami`, `training certify|status`, the
demo's first screen (`collectui demo`, `scripts/demo`), the clock override on a production database, what an
import refreshed, `users`, `audit verify`, `check`. The English entries are the words the commands always
printed, so an English run reads as before; codes for programs (JSON, CSV of `whoami`) stay English.
"""

STRINGS = {
    # --- whoami ------------------------------------------------------------------------------------------------
    "field.via": ("登录方式", "via"),
    "field.expires": ("到期时间", "expires"),
    "cli.via.session": ("登录会话", "session"),
    "cli.via.token": ("API 令牌", "token"),
    "cli.via.system": ("系统", "system"),
    "cli.whoami.all": ("全部支行", "all branches"),
    "cli.whoami.home_all": ("{branch}（可查看全部支行）", "{branch} (sees every branch)"),
    "cli.whoami.no_branch": ("无支行", "no branch"),
    # --- training certify | status -------------------------------------------------------------------------------
    "cli.training.certified": (
        "{user}：已于 {on} 取得外呼资格，有效期至 {until}（当日到期）",
        "{user}: certified on {on}, until {until} (expires that day)",
    ),
    "cli.training.who": ("{user}（{who}）", "{user} ({who})"),
    "cli.training.who_branch": ("{role}，{branch}", "{role}, {branch}"),
    "cli.training.certified_yes": (
        "外呼资格：有，有效期至 {until}（当日到期）",
        "certified: yes, until {until} (expires that day)",
    ),
    "cli.training.certified_no": ("外呼资格：无（{why}）", "certified: no: {why}"),
    "cli.training.latest": ("最近一次认证：{on}，{source}{by}{why}", "latest certification: {source}{by} on {on}{why}"),
    "cli.training.latest_by": ("，登记人 {by}", " by {by}"),
    "cli.training.latest_why": ("，理由：{why}", ": {why}"),
    "cli.training.source.earned": ("通过培训取得", "earned"),
    "cli.training.source.recorded": ("人工登记", "recorded"),
    "cli.training.rule_off": (
        "拨打规则中的外呼资格规则不适用于此人（已关闭，或不针对此角色）",
        "the gate's `certified` rule does not judge this person (it is off, or not for this role)",
    ),
    "cli.training.quiz_none": ("测验：未参加", "quiz: not taken"),
    "cli.training.quiz": ("测验：最高 {best}%，{passed}", "quiz: best {best}%, {passed}"),
    "cli.training.quiz_passed": ("{on} 通过", "passed {on}"),
    "cli.training.quiz_no_pass": ("没有仍然有效的通过记录", "no pass that still counts"),
    "cli.training.passed_on": ("{title}（{on}）", "{title} ({on})"),
    "cli.training.scenarios": (
        "必修练习场景：已通过 {n} 个，共 {total} 个：{done}",
        "mandatory practice scenarios: {n} of {total} passed: {done}",
    ),
    "cli.training.none": ("无", "none"),
    "cli.training.missing": ("尚未通过：{what}", "missing: {what}"),
    # --- collectui demo, scripts/demo ----------------------------------------------------------------------------
    "field.password": ("密码", "password"),
    "field.scenario": ("场景", "scenario"),
    "field.practise": ("练习要点", "what to practise"),
    "cli.demo.built": (
        "演示数据库已建好：{path}（种子 {seed}，数据日 {day}，用时 {seconds} 秒）",
        "demo database built: {path}  (seed {seed}, as of {day}, {seconds} s)",
    ),
    "cli.demo.counts": (
        "客户 {customers} · 贷款 {loans} · 还款计划 {instalments} 期 · 还款 {payments} 笔 · 通话 {calls} 次 · "
        "还款承诺 {promises} · 争议 {disputes} · 投诉 {complaints} · 反馈 {feedback} · 短信 {sms}",
        "customers {customers} · loans {loans} · instalments {instalments} · payments {payments} · calls {calls} · "
        "promises {promises} · disputes {disputes} · complaints {complaints} · feedback {feedback} · SMS {sms}",
    ),
    "cli.demo.buckets": ("借款人按最差一笔贷款的账龄（逾期引擎）", "borrowers by worst loan (overdue engine)"),
    "cli.demo.categories": ("五级分类：{classes}", "five categories: {classes}"),
    "cli.demo.ready": (
        "工作清单已就绪：逾期客户 {items} 位，今天可拨打 {callable} 位",
        "work list ready: {items} overdue borrowers, {callable} callable today",
    ),
    "cli.demo.note": ("注意：", "note:"),
    "cli.demo.accounts": (
        "演示员工账号（演示密码：切勿用于真实数据）",
        "demo staff accounts (demo passwords: never use them on real data)",
    ),
    "cli.demo.scenarios": (
        "培训场景（故事见 seeds/training/README.md）",
        "training scenarios (stories: seeds/training/README.md)",
    ),
    "cli.demo.next": (
        "下一步：{login}（密码 {password}），然后 {queue}（排好序的工作清单）；或直接 {app}（打开应用）",
        "next: {login} (password {password}), then {queue} (the ranked list); or {app} (the app)",
    ),
    "cli.demo.building": (
        "collectui 演示：正在 {path} 建立演示数据库（只需一次，几秒钟）……",
        "collectui demo: building the demo database at {path} (once; a few seconds) ...",
    ),
    "cli.demo.wait": (
        "请记下上面的账号（每个密码都是 demo- 加用户名；登录界面也会列出）。\n按回车打开应用，或按 Ctrl+C 在此停止。",
        "Note the accounts above (each password is demo- followed by the username; the sign-in screen\n"
        "lists them too). Press Enter to open the app, or Ctrl+C to stop here.",
    ),
    # --- the clock override (COLLECTUI_NOW) ----------------------------------------------------------------------
    "cli.clock.override_refused": (
        "已设置 COLLECTUI_NOW：正式数据库不允许改动时钟（只有演示、练习和测试数据库可以）；请取消该设置",
        "COLLECTUI_NOW is set: the clock override is refused on a production database "
        "(only demo, practice and test databases may move their clock); unset it",
    ),
    # --- import: which overdue figures were refreshed ------------------------------------------------------------
    "import.refreshed.none": ("无", "none"),
    "import.refreshed.all": ("全部客户", "all"),
    "import.refreshed.customers": ("{n} 位客户", "{n} customers"),
    "import.refreshed.skipped": ("已跳过（试运行）", "skipped (dry run)"),
    "import.refreshed.unavailable": ("无法刷新", "unavailable"),
    # --- one-line errors (cli.common.SafeGroup) -------------------------------------------------------------------
    "cli.error_mark": ("错误：", "error: "),
    "cli.see_help": ("（见 `{command} --help`）", " (see `{command} --help`)"),
    "cli.database_error": ("数据库：{error}", "database: {error}"),
    # --- yes / no cells of every table and CSV (cli.output) -----------------------------------------------------
    "cli.cell_sep": ("；", "; "),
    "cli.value.yes": ("是", "yes"),
    "cli.value.no": ("否", "no"),
    # --- check, call log | start | cancel ------------------------------------------------------------------------
    "cli.check.title": ("拨打 {customer}（{contact}）", "call {customer} ({contact})"),
    "cli.check.rule": ("{rule}：", "{rule}: "),
    "cli.check.debtor": ("借款人本人", "debtor"),
    "cli.call.saved": ("已保存通话 {id}", "saved call {id}"),
    "cli.call.not_saved": ("未保存：", "not saved:"),
    "cli.call.also": ("另外：", "also:"),
    "cli.call.started": ("已开始通话 {id}；请拨打 {phone}", "started call {id}; dial {phone}"),
    "cli.call.cancelled": (
        "已取消通话 {id}；它按一次未接通的拨打计",
        "cancelled call {id}; it counts as an unanswered attempt",
    ),
    "cli.call.unfinished_title": ("未完成的通话", "unfinished calls"),
    "cli.call.refusals_title": ("{day} 被拒绝的拨打（{total} 次）", "refused attempts on {day} ({total})"),
    # --- complaint list --------------------------------------------------------------------------------------------
    "cli.complaint.title": ("投诉", "complaints"),
    "cli.complaint.overdue": ("已超期", "overdue"),
    # --- users ---------------------------------------------------------------------------------------------------
    "cli.users.password_set": ("已为 {username} 设置密码", "password set for {username}"),
    "cli.users.deactivated": ("已停用 {username}", "deactivated {username}"),
    "cli.users.reactivated": ("已重新启用 {username}", "reactivated {username}"),
    # --- audit verify | anchor -----------------------------------------------------------------------------------
    "cli.audit.note": ("注意：{note}", "note: {note}"),
    "cli.audit.not_keyed": ("尚未使用密钥", "not keyed yet"),
    "cli.audit.keyed": ("自第 {first} 条事件起使用密钥（HMAC）", "keyed (HMAC) from event {first}"),
    "cli.audit.keyed_after": (
        "自第 {first} 条事件起使用密钥（HMAC）；之前的第 1-{last} 条事件是密钥启用前的普通 SHA-256",
        "keyed (HMAC) from event {first}; events 1-{last} from before the key are plain SHA-256",
    ),
    "cli.audit.intact": (
        "审计记录完整：{events} 条事件，{keyed}；核对了 {rows} 行业务数据",
        "audit trail intact: {events} events, {keyed}; {rows} rows vouched for",
    ),
    "cli.audit.anchor_holds": (
        "锚点 {seq} 成立：此前的记录没有被删除或改写",
        "anchor {seq} holds: nothing up to it was removed or rewritten",
    ),
    "cli.audit.problem": ("审计：{problem}", "audit: {problem}"),
    "cli.audit.restored": (
        "审计：数据库于 {at} 从备份恢复（第 {event} 条事件）：该备份之后记下的锚点不再相符；请重新记下锚点",
        "audit: the database was restored from a backup on {at} (event {event}): an anchor taken after that "
        "backup no longer matches; take a new anchor",
    ),
    "cli.audit.broken": (
        "审计记录已损坏：{events} 条事件中有 {n} 处问题",
        "audit trail BROKEN: {n} problem(s) in {events} events",
    ),
    "cli.audit.no_anchor": (
        "审计记录已损坏：不输出锚点（损坏记录的锚点什么也证明不了）",
        "audit trail BROKEN: no anchor printed (an anchor of a broken trail proves nothing)",
    ),
    # --- db backup | check | restore -----------------------------------------------------------------------------
    "cli.db.backup_written": (
        "备份已写入：{path}（已检查：完整性、外键、{events} 条审计事件）",
        "backup written: {path} (checked: integrity, foreign keys, {events} audit events)",
    ),
    "cli.db.problems": ("数据库 {path}：{n} 处问题", "database {path}: {n} problem(s)"),
    "cli.db.ok": (
        "数据库 {path}：正常（完整性、外键、表结构、{events} 条审计事件）",
        "database {path}: ok (integrity, foreign keys, schema, {events} audit events)",
    ),
    "cli.db.restored": (
        "已用 {backup} 恢复 {path}；被替换的文件保留为 {aside}",
        "restored {path} from {backup}; the replaced file is kept as {aside}",
    ),
    # --- db copy ------------------------------------------------------------------------------------------------
    "cli.db.copy.progress": ("正在复制 {table}", "copying {table}"),
    "cli.db.copy.table": (
        "{table}：源 {source} 行，目标 {target} 行",
        "{table}: {source} rows in the source, {target} in the target",
    ),
    "cli.db.copy.done": (
        "已将 {source} 复制到 {target}：{tables} 张表，共 {rows} 行；目标上的审计记录核验通过（{events} 条事件，含 db.copied）",
        "copied {source} to {target}: {tables} tables, {rows} rows; the audit chain verifies in the target ({events} "
        "events, db.copied included)",
    ),
    "cli.db.copy.next": (
        "下一步：让 collectui 使用新数据库（COLLECTUI_DB={target}）；审计密钥随数据库迁移的方法见 docs/deploy.md",
        "next: point collectui at it (COLLECTUI_DB={target}); how the audit key goes with it: docs/deploy.md",
    ),
    "cli.db.copy.problems": ("复制后的 {target} 有 {n} 处问题", "the copy in {target}: {n} problem(s)"),
    # --- report: a section too wide for the terminal, continued in a second table ------------------------------
    "rpt.part": ("{title}（{n}）", "{title} ({n})"),
    # --- logout, token, hours, feedback, the app without a database --------------------------------------------
    "cli.logout.done": ("已退出登录：{name}", "signed out {name}"),
    "cli.logout.none": ("没有需要结束的会话", "no session to end"),
    "cli.token.created": (
        "已创建令牌 {name}；请把下面的密钥通过 {env} 交给该系统（它不会再显示）：",
        "token {name} created; give the machine this secret in {env} (it is not shown again):",
    ),
    "cli.token.revoked": ("已撤销令牌 {name}", "revoked token {name}"),
    "cli.hours.set": ("{customer}：约定的通话时段为 {hours}", "{customer}: agreed call hours {hours}"),
    "cli.hours.cleared": (
        "{customer}：已清除约定的通话时段（按规则中的拨打时段）",
        "{customer}: agreed call hours cleared (the policy's call window applies)",
    ),
    "cli.feedback.recorded": ("已记录反馈 {id}", "feedback {id} recorded"),
    "cli.tui.no_database": ("{path} 没有数据库。", "No database at {path}."),
    "cli.tui.init_hint": ("新银行这样创建数据库：  {command}", "A new bank creates one with:  {command}"),
    "cli.tui.demo_hint": ("培训师这样建立演示数据库：  {command}", "A trainer builds the demo one with:  {command}"),
    "cli.tui.build_demo": ("现在就在 {path} 建立演示数据库吗？", "Build the demo database at {path} now?"),
    # --- opening the database (cli.opening) ----------------------------------------------------------------------
    "cli.open.no_database": (
        "{path} 没有数据库；请用 `collectui init --admin NAME` 或 `collectui demo` 创建",
        "no database at {path}; create one with `collectui init --admin NAME` or `collectui demo`",
    ),
    "cli.open.pg_no_database": (
        "{url}：这里没有 collectui 数据库（请用 `collectui init` 创建）",
        "{url}: no collectui database there (create one with `collectui init`)",
    ),
    "cli.open.pg_unreachable": (
        "{url}：无法连接 PostgreSQL 服务器（{reason}）",
        "{url}: cannot connect to the PostgreSQL server ({reason})",
    ),
    "cli.open.pg_driver": (
        "此处未安装 PostgreSQL 支持：{install}",
        "PostgreSQL support is not installed here: {install}",
    ),
    "cli.open.pg_foreign": (
        "{url}：不是 collectui 数据库，collectui 不会改动它",
        "{url}: not a collectui database; collectui will not touch it",
    ),
    "cli.open.holder.the import": ("导入", "the import"),
    "cli.open.waiting": ("正在等待{holder}结束，已等 {seconds} 秒", "waiting for {holder} to finish, {seconds} s"),
    # --- complaint, dispute, plan, contact: what a command did --------------------------------------------------
    "cli.complaint.opened": (
        "已受理投诉 {id}，须于 {due} 前作出决定{hold}",
        "complaint {id} opened, decision due {due}{hold}",
    ),
    "cli.complaint.on_hold": ("（借款人已暂停催收：complaint_hold）", " (borrower on complaint_hold)"),
    "cli.complaint.ack": ("投诉 {id}：已确认收到", "complaint {id}: ack done"),
    "cli.complaint.resolve": ("投诉 {id}：已处理", "complaint {id}: resolve done"),
    "cli.complaint.reject": ("投诉 {id}：已驳回", "complaint {id}: reject done"),
    "cli.complaint.close": ("投诉 {id}：已结案", "complaint {id}: close done"),
    "cli.complaint.extended": ("投诉 {id}：决定期限延至 {due}", "complaint {id}: decision now due {due}"),
    "cli.complaint.hold_cleared": ("投诉 {id}：已解除暂停催收", "complaint {id}: hold cleared"),
    "cli.complaint.status.open": ("待处理", "open"),
    "cli.complaint.status.acknowledged": ("已确认收到", "acknowledged"),
    "cli.complaint.status.resolved": ("已处理", "resolved"),
    "cli.complaint.status.rejected": ("已驳回", "rejected"),
    "cli.complaint.status.closed": ("已结案", "closed"),
    "cli.dispute.title": ("客户异议", "disputes"),
    "cli.dispute.late": ("（已过答复期限）", " (after its due day)"),
    "cli.dispute.resolved": (
        "异议 {id}：{status}{late}；{customer} 的异议暂停已解除",
        "dispute {id}: {status}{late}; the dispute hold on {customer} is lifted",
    ),
    "cli.dispute.sms": ("异议答复短信 {id} 已排队：{text}", "dispute_answer SMS {id} queued: {text}"),
    "cli.plan.title": ("还款计划", "payment plans"),
    "cli.plan.proposed": (
        "还款计划 {id}：{n} 期，共 {total}，自 {day} 起，",
        "plan {id}: {n} instalments, {total} from {day}, ",
    ),
    "cli.plan.active": ("已生效：按计划履约期间暂停催收电话", "active: collection calls hold while it is kept"),
    "cli.plan.waits": ("等待批准", "waits for approval"),
    "cli.plan.approved": ("还款计划 {id}：已批准，已生效", "plan {id}: approved, active"),
    "cli.plan.rejected": ("还款计划 {id}：已驳回", "plan {id}: rejected"),
    "cli.plan.cancelled": ("还款计划 {id}：已取消", "plan {id}: cancelled"),
    "cli.contact.title": ("{customer} 的号码", "numbers of {customer}"),
    "cli.contact.own": ("（本人号码）", "(own number)"),
    "cli.contact.state.invalid": ("号码无效", "invalid"),
    "cli.contact.state.refused": ("拒绝来电", "refused"),
    "cli.contact.unverified_call": ("未核实，来自通话 {call}", "unverified, from call {call}"),
    "cli.contact.unverified_by": ("未核实，由 {by} 添加", "unverified, added by {by}"),
    "cli.contact.from_call": ("来自通话 {call}", "from call {call}"),
    "cli.contact.by_staff": ("由员工添加", "added by staff"),
    "cli.contact.added": (
        "已为 {customer} 添加联系方式 {id}（未核实，{origin}）",
        "contact {id} added for {customer} (unverified, {origin})",
    ),
    "cli.contact.marked_invalid": (
        "{customer} {contact}：号码已标记为无效",
        "{customer} {contact}: number marked invalid",
    ),
    "cli.contact.marked_valid": ("{customer} {contact}：号码已标记为有效", "{customer} {contact}: number marked valid"),
    # --- assign ---------------------------------------------------------------------------------------------------
    "cli.assign.confirmed": (
        "已在 {to} 名下，今后导入时保持不变：{ids}",
        "already with {to}, now kept against imports: {ids}",
    ),
    "cli.assign.done": ("已分配 {n} 位借款人给 {to}", "{n} borrower(s) assigned to {to}"),
    "cli.assign.load_title": ("各催收员的工作量", "load per collector"),
    "cli.assign.balance_title": ("{branch} 的均衡分配", "balance {branch}"),
    "cli.assign.dry_run": ("（试运行：未写入）", " (dry run: nothing written)"),
    # --- sign-in prompts (login, init, users add | passwd) --------------------------------------------------------
    "cli.prompt.username": ("用户名", "Username"),
    "cli.prompt.password": ("密码", "Password"),
    "cli.prompt.new_password": ("新密码", "New password"),
    "cli.prompt.repeat": ("再输入一次", "Repeat"),
    # --- scripts check | show (the scripts themselves are the bank's file, in the languages asked for) ---------
    "cli.scripts.problems": ("{where}：{n} 处问题", "{where}: {n} problem(s)"),
    "cli.scripts.ok": ("通过：{n} 个情境（版本 {version}，{path}）", "ok: {n} situations (version {version}, {path})"),
    "cli.scripts.header": ("# 话术，版本 {version}（{path}）", "# talk scripts, version {version} ({path})"),
    "cli.scripts.first_call": (
        "   （本轮首次来电，第 1 句之后）{line}",
        "   (first call of a cycle, after line 1) {line}",
    ),
    # --- assign --balance's summary, audit key ---------------------------------------------------------------------
    "cli.assign.whose": ("{user} 名下的", "{user}'s"),
    "cli.assign.unassigned": ("未分配的", "unassigned"),
    "cli.assign.would_move": ("将调整", "would move"),
    "cli.assign.moved": ("已调整", "moved"),
    "cli.assign.spread": (
        "{moved}{whose}借款人 {n} 位；催收员之间的差距：客户数 {before} → {after}，逾期金额 {overdue_before} → "
        "{overdue_after}",
        "{n} {whose} borrower(s) {moved}; spread between collectors: borrowers {before} -> {after}, overdue "
        "{overdue_before} -> {overdue_after}",
    ),
    "cli.audit.key_env": ("在 {env} 中", "in {env}"),
    "cli.audit.key_file": ("在 {path}（权限 0600）", "in {path} (mode 0600)"),
    "cli.audit.key": (
        "审计密钥{where}；请与数据库一起备份：没有它，旧事件无法核验",
        "audit key {where}; back it up with the database: without it old events cannot be verified",
    ),
}
