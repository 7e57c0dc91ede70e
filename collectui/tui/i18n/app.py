"""Strings of the app shell: login, lock, help, common words."""

STRINGS = {
    "app.title": ("催收工作台", "Collection desk"),
    "app.role_only": ("仅主管或管理员可用", "Supervisors and admins only"),
    "app.error": ("出错：{msg}", "Error: {msg}"),
    "app.db_exposed": (
        "数据库文件 {path} 其他用户也能读写，其中有借款人的个人信息：请管理员执行 chmod 600",
        "The database file {path} can be read by other users and holds borrowers' personal data: "
        "ask an admin to chmod 600 it",
    ),
    "login.title": ("登录", "Sign in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.checking": ("正在验证…", "Checking…"),
    "login.failed": ("用户名或密码错误", "Wrong username or password"),
    "login.now_locked": (
        "用户名或密码错误；账户现已锁定 {minutes} 分钟",
        "Wrong username or password; the account is now locked for {minutes} min",
    ),
    "login.locked": ("账户已锁定，请 {minutes} 分钟后再试", "Account locked; try again in {minutes} min"),
    "login.empty": ("请输入用户名和密码", "Enter your username and password"),
    # {first_branch}: "cg-collector1, cg-collector2, cg-supervisor"; {other_prefixes}: "dc-, hx-"; {other_users}.
    "login.demo": (
        "演示数据库 · 用户名：{first_branch}（其他支行换用 {other_prefixes} 前缀），以及 {other_users} · "
        "密码：demo- 加用户名，如 demo-{example}",
        "Demo database · users: {first_branch} (other branches: {other_prefixes} instead), and {other_users} · "
        "password: demo- followed by the username, e.g. demo-{example}",
    ),
    "login.hint": ("连续 5 次输错密码将锁定账户 15 分钟", "Five wrong passwords lock the account for 15 minutes"),
    "password.title": ("请设置新密码", "Choose a new password"),
    "password.explain": (
        "管理员为你设置了密码，请先设置你自己的密码（至少 8 个字符）。",
        "An admin set your password: choose your own before going on (at least 8 characters).",
    ),
    "password.new": ("新密码", "New password"),
    "password.repeat": ("再次输入", "Repeat"),
    "password.submit": ("保存并登录", "Save and sign in"),
    "password.differ": ("两次输入的密码不一致", "The two passwords differ"),
    "password.needed": ("必须先设置新密码才能登录", "You must choose a new password to sign in"),
    "lock.title": ("屏幕已锁定", "Screen locked"),
    "lock.explain": (
        "空闲 {minutes} 分钟后自动锁定。{user}，请输入密码继续。",
        "Locked after {minutes} idle minutes. {user}, enter your password to continue.",
    ),
    "lock.unlock": ("解锁", "Unlock"),
    "lock.switch": ("换用户", "Switch user"),
    "help.title": ("帮助", "Help"),
    "help.close": ("关闭", "Close"),
    "key.quit": ("退出", "Quit"),
    "key.help": ("帮助", "Help"),
    "key.back": ("返回", "Back"),
    "key.call": ("拨打", "Call"),
    "key.dashboard": ("看板", "Dashboard"),
    "key.sms": ("短信", "SMS"),
    "key.refusals": ("拒拨", "Refused calls"),
    "key.palette": ("命令", "Commands"),
    # The language switch (ctrl+l, tui/language.py): the key names the language it switches to.
    "key.language": ("English", "中文"),
    "lang.switch": ("语言 Language：切换到 English", "Language 语言: switch to 中文"),
    "lang.switched": ("界面语言：中文", "Language: English"),
    "lang.busy": (
        "请先关闭对话框或结束当前通话、练习或测验，再切换语言",
        "Close the dialog, or finish the call, practice or quiz, before switching the language",
    ),
    "palette.key": ("按键 {shortcut}", "key {shortcut}"),
    "palette.everywhere": ("任何界面可用", "on every screen"),
    "help.quit_note": (
        "q 在任何界面退出程序；输入框中 q 是文字，对话框请先按 Esc 关闭，通话表单请先保存或取消。",
        "q quits from every screen; in a text box q is typed, a dialog closes with Esc first, "
        "and a call form must be saved or cancelled first.",
    ),
    "role.collector": ("催收员", "collector"),
    "role.supervisor": ("主管", "supervisor"),
    "role.admin": ("管理员", "admin"),
    "role.trainer": ("培训师", "trainer"),
    "common.cancel": ("取消", "Cancel"),
    "common.ok": ("确定", "OK"),
    "common.loading": ("加载中…", "Loading…"),
    "common.none": ("无", "none"),
    "common.yes": ("是", "yes"),
    "common.no": ("否", "no"),
}
