"""Reminder SMS: the service errors of ``collectui/domain/sms`` in both languages.

``what.*``: what a time is used for, said inside an error (``send.checked_at``) or a refusal (``require_role``).
"""

STRINGS = {
    # the problems of an SMS template (sms.templates.check_template)
    "error.sms.tpl_braces": ("花括号不成对：{detail}", "broken braces: {detail}"),
    "error.sms.tpl_personal": (
        "{{{name}}} 会把{what}写进短信；请改用 {{masked_name}} 或去掉它",
        "{{{name}}} would put {what} in an SMS; use {{masked_name}} or leave it out",
    ),
    "sms.personal.name": ("全名", "the full name"),
    "sms.personal.full_name": ("全名", "the full name"),
    "sms.personal.id_number": ("身份证号", "the ID number"),
    "sms.personal.phone": ("电话号码", "the phone number"),
    "sms.personal.address": ("地址", "the address"),
    "sms.personal.account": ("账号", "the account number"),
    "error.sms.tpl_unknown": (
        "未知的占位符 {{{name}}}；可用：{allowed}",
        "unknown placeholder {{{name}}}; allowed: {allowed}",
    ),
    "error.sms.tpl_conversion": ("{{{name}}} 不能带 '!' 或 ':' 部分", "{{{name}}} takes no '!' or ':' part"),
    "error.sms.tpl_phrase": ("含有禁用语 {phrase}", "contains the forbidden phrase {phrase!r}"),
    "error.sms.tpl_too_long": (
        "按最长的实际取值有 {longest} 个字符；最多 {limit} 个（{segments} 条 × {chars} 字）",
        "{longest} characters with the longest realistic values; at most {limit} ({segments} segments x {chars})",
    ),
    "error.sms.send_running": (
        "另一次发送正在进行（开始于 {since}，进程 {pid}）：请等它结束",
        "another send is in progress (since {since}, pid {pid}): wait for it to finish",
    ),
    "error.sms.send_running_host": (
        "另一次发送正在进行（开始于 {since}，进程 {pid}，主机 {host}）：请等它结束",
        "another send is in progress (since {since}, pid {pid}, host {host}): wait for it to finish",
    ),
    "error.sms.lease_lost": (
        "本次发送的租约已被另一次运行接管（视本次为已中断）：停止发送",
        "this send's lease was taken over by another run (presumed dead): stopping",
    ),
    "what.sms_send_at": ("短信会记为在这个时间发送；这个时间", "messages are stamped as sent at this time; it may be"),
    "what.sms_plan_at": (
        "提醒会记为在这个时间计划；这个时间",
        "reminders are stamped as planned at this time; it may be",
    ),
    "error.sms.at_future": (
        "--at {at} 是将来的时间（现在 {now}）：{what}最多比时钟快 {slack} 分钟",
        "--at {at} is in the future (now {now}): {what} at most {slack} minutes ahead of the clock",
    ),
    "error.sms.at_past": (
        "--at {at} 是过去的时间（现在 {now}）：{what}最多比时钟慢 {slack} 分钟",
        "--at {at} is in the past (now {now}): {what} at most {slack} minutes behind the clock",
    ),
    "error.sms.outbox_create": (
        "无法创建短信发件目录 {path}：{reason}",
        "cannot create the SMS outbox {path}: {reason}",
    ),
    "error.sms.batch_write": ("无法写入短信批次文件 {path}：{reason}", "cannot write the SMS batch {path}: {reason}"),
    "error.sms.url_empty": (
        "sms.http.url 为空：请在政策文件中设置短信平台的地址",
        "sms.http.url is empty: set the SMS platform's address in the policy file",
    ),
    "error.sms.url_bad": (
        "sms.http.url {url} 不是 http:// 或 https:// 地址",
        "sms.http.url {url!r} is not an http:// or https:// address",
    ),
    "error.sms.limit_negative": ("--limit 不能为负数", "--limit must not be negative"),
    "error.sms.receipts_unreadable": ("{path}：无法读取：{reason}", "{path}: cannot read: {reason}"),
    "error.sms.receipts_encoding": (
        "{path}：既不是 UTF-8 也不是 GB18030 文本",
        "{path}: neither UTF-8 nor GB18030 text",
    ),
    "error.sms.receipts_empty": (
        "{path}：空文件；应有表头 {header}",
        "{path}: empty file; expected the header {header}",
    ),
    "error.sms.receipts_columns": (
        "{path} 第 1 行：缺少列 {missing}；应为 {header}",
        "{path}, line 1: missing column(s) {missing}; expected {header}",
    ),
    "error.sms.receipts_rows": (
        "{path}：{count} 个问题，未导入任何回执：\n{lines}",
        "{path}: {count} problem(s), nothing imported:\n{lines}",
    ),
    "error.sms.receipts_rows_more": (
        "{path}：{count} 个问题，未导入任何回执：\n{lines}\n……另有 {rest} 个",
        "{path}: {count} problem(s), nothing imported:\n{lines}\n... and {rest} more",
    ),
    "error.sms.template_refused": (
        "短信模板 sms.templates.{lang} 被拒绝：{problems}（见 `collectui sms templates check`）",
        "sms.templates.{lang} is refused: {problems} (see `collectui sms templates check`)",
    ),
}
