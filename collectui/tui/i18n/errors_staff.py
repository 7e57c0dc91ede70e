"""Staff, sign-in, tokens and permissions: the service errors of ``collectui/domain/staff`` in both languages.

``perm.<name>``: each permission of ``staff.permissions.PERMISSIONS`` as a refusal names it. The English is
the permission's own name (as `collectui` commands, token scopes and docs/admin/access.md spell it), so the
English refusal reads as it always did; the Chinese says what the person may not do.
"""

PERMISSIONS_SAID = {
    "queue.read": "查看催收队列",
    "profile.read": "查看客户资料",
    "unmask": "查看未脱敏的个人信息",
    "check": "做拨打前检查",
    "call.log": "登记通话",
    "call.late_entry": "补录通话",
    "feedback.add": "记录客户反馈",
    "complaint.open": "登记投诉",
    "contact.add": "添加联系人",
    "plan.propose": "提出还款计划",
    "complaint.decide": "处理投诉",
    "complaint.clear_hold": "解除投诉暂停",
    "plan.decide": "审批还款计划",
    "dispute.resolve": "处理争议",
    "assign": "分配客户",
    "customer.hours": "设置客户的约定联系时段",
    "number.mark": "标记号码",
    "sms.plan": "计划提醒短信",
    "sms.send": "发送提醒短信",
    "sms.receipts": "导入短信回执",
    "import": "导入数据",
    "report.read": "查看报表",
    "users.manage": "管理员工账户",
    "token.manage": "管理 API 令牌",
    "policy.apply": "应用新的政策版本",
    "policy.read": "查看政策",
    "audit.verify": "核验审计记录",
    "audit.read": "查看审计记录",
    "db.backup": "备份数据库",
    "db.check": "检查数据库",
    "db.restore": "恢复数据库",
    "db.copy": "复制数据库",
    "training.practice": "参加培训练习",
    "training.report": "查看培训成绩",
    "training.certify": "登记培训认证",
}

STRINGS = {
    **{f"perm.{name}": (zh, name) for name, zh in PERMISSIONS_SAID.items()},
    # permissions.authorize
    "error.staff.denied_role": ("{role}无权{action}", "{action}: a {role} may not do this"),
    "error.staff.denied_branch": (
        "{user} 只能处理 {branch} 的业务，无权在其他支行{action}",
        "{action}: {user} acts for branch {branch} only",
    ),
    "error.staff.denied_no_branch": (
        "{user} 没有所属支行，无权{action}：请管理员给该账户设一个支行",
        "{action}: {user} acts for branch (none) only",
    ),
    "error.staff.denied_scope": ("{user} 的令牌权限范围不含{action}", "{action}: not in the scope of {user}"),
    "error.staff.unknown_scope": ("未知的权限范围 {scope}", "unknown scope {scope!r}"),
    "error.staff.scope_beyond": ("权限范围 {scope} 超出了{role}的权限", "scope {scope} is beyond the role {role}"),
    # users
    "error.staff.username_chars": (
        "用户名只能含字母、数字、'.'、'_' 和 '-'",
        "username: letters, digits, '.', '_' and '-' only",
    ),
    "error.staff.username_long": ("用户名最多 {most} 个字符", "username: at most {most} characters"),
    "error.staff.branch_empty": ("支行名称为空", "branch name is empty"),
    "error.staff.no_user": ("没有用户 {username}", "no user {username!r}"),
    "error.staff.password_short": ("密码至少需要 {least} 个字符", "password must be at least {least} characters"),
    "error.staff.role_choice": ("角色必须是以下之一：{roles}", "role must be one of {roles}"),
    "error.staff.role_needs_branch": ("{role}必须属于一个支行", "a {role} needs a branch"),
    "error.staff.user_exists": ("用户 {username} 已存在", "user {username!r} already exists"),
    "error.staff.password_same": ("新密码不能与旧密码相同", "the new password must differ from the old one"),
    "error.staff.already_active": ("{username} 已是启用状态", "{username} is already active"),
    "error.staff.already_deactivated": ("{username} 已经停用", "{username} is already deactivated"),
    "error.staff.last_admin": ("不能停用最后一个启用的管理员", "the last active admin cannot be deactivated"),
    "error.staff.wrong_login": ("用户名或密码错误", "wrong username or password"),
    "error.staff.now_locked": (
        "用户名或密码错误；账户现已锁定 {minutes} 分钟",
        "wrong username or password; the account is now locked for {minutes} min",
    ),
    "error.staff.locked": ("账户已锁定，请 {minutes} 分钟后再试", "account locked; try again in {minutes} min"),
    "error.staff.only_roles": ("{what}：只有 {roles} 可以操作", "{what}: only {roles} may do this"),
    "what.reminder_sms": ("提醒短信", "reminder SMS"),
    # tokens
    "error.staff.scope_none": (
        "--scope：至少写一个权限（例如 check,call.log）",
        "--scope: name at least one permission (e.g. check,call.log)",
    ),
    "error.staff.scope_bad": ("--scope 有误：{problems}", "--scope: {problems}"),
    "error.staff.scopes_none": ("scopes：未给出任何权限范围", "scopes: none given"),
    "error.staff.scopes_bad": ("权限范围有误：{problems}", "scopes: {problems}"),
    "error.staff.scopes_beyond": ("权限范围有误：{problems}", "{problems}"),
    "error.staff.token_needs_branch": ("{role}的令牌必须用 --branch 指定支行", "a {role} token needs --branch"),
    "error.staff.expires_past": ("--expires 必须是将来的时间", "--expires must be in the future"),
    "error.staff.token_exists": (
        "已有名为 {name} 的令牌（请先撤销它，并另取一个名字）",
        "a token named {name!r} already exists (revoke it and choose another name)",
    ),
    "error.staff.no_branch": ("没有支行 {name}；现有支行：{branches}", "no branch {name}; branches: {branches}"),
    "error.staff.no_branch_yet": ("没有支行 {name}；目前还没有任何支行", "no branch {name}; branches: (none yet)"),
    "error.staff.no_token": ("没有令牌 {name}", "no token {name!r}"),
    "error.staff.token_revoked": ("令牌 {name} 已经撤销", "token {name!r} is already revoked"),
    # token_auth
    "error.staff.token_unknown": ("COLLECTUI_TOKEN：未知的令牌", "COLLECTUI_TOKEN: the token is unknown"),
    "error.staff.token_is_revoked": ("COLLECTUI_TOKEN：该令牌已撤销", "COLLECTUI_TOKEN: the token is revoked"),
    "error.staff.token_expired": ("COLLECTUI_TOKEN：该令牌已过期", "COLLECTUI_TOKEN: the token is expired"),
    # logins
    "error.staff.not_signed_in": ("尚未登录：请运行 `collectui login`", "not signed in: run `collectui login`"),
    "error.staff.account_inactive": ("该账户未启用", "the account is not active"),
    "error.staff.account_deactivated": ("该账户已停用：请联系管理员", "the account was deactivated: ask an admin"),
    "error.staff.session_ended": (
        "会话已到期：请运行 `collectui login`",
        "the session reached its end: run `collectui login`",
    ),
    "error.staff.session_idle": (
        "会话闲置过久：请运行 `collectui login`",
        "the session was idle too long: run `collectui login`",
    ),
}
