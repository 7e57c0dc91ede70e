"""Lines of `collectui sms` (cli/commands/sms.py). The SMS text itself is the policy's template, never
translated here; reason and state codes read through ``sms.reason.*`` / ``sms.state.*`` (i18n/sms.py) in
Chinese and stay codes in English, as before. Column headers: ``field.*`` (their English is the column name).
"""

STRINGS = {
    "field.message_id": ("短信编号", "message_id"),
    "field.sent_at": ("发送时间", "sent_at"),
    "field.note": ("备注", "note"),
    "field.planned_for": ("计划日期", "planned_for"),
    "field.attempts": ("尝试次数", "attempts"),
    "field.last_error": ("最近错误", "last_error"),
    "smscli.scope": ("（{branch}）", " ({branch})"),
    "smscli.no_branch": ("无支行", "no branch"),
    "smscli.preview": ("{day} 的提醒短信{scope}，号码已遮蔽的预览：", "Reminders for {day}{scope}, masked preview:"),
    "smscli.queued": ("已排队 {id} {customer} {phone} {text}", "queued {id} {customer} {phone} {text}"),
    "smscli.skipped": ("已跳过 {customer}：{reason}", "skipped {customer} {reason}"),
    "smscli.planned": (
        "已排队 {queued} 条；跳过 {skipped} 人（{counts}）",
        "queued {queued}; skipped {skipped} ({counts})",
    ),
    "smscli.count": ("{reason} {n}", "{reason} {n}"),
    "smscli.none": ("无", "none"),
    "smscli.requeued": ("已重新排队 {n} 条失败的短信", "re-queued {n} failed message(s)"),
    "smscli.cancelled": ("已取消 {id}：{reason}", "cancelled {id}: {reason}"),
    "smscli.outside": (
        "不在发送时段 {window}（{tz}）内：未发送；发送时段于 {opens} 开始。{due} 条短信等待中。",
        "outside the sending window {window} ({tz}): nothing sent; the window opens at {opens}. "
        "{due} message(s) waiting.",
    ),
    "smscli.wrote": ("已写入 {path}", "wrote {path}"),
    "smscli.pending": ("待发送 {id}：{error}", "pending {id}: {error}"),
    "smscli.not_tried": ("本次未尝试", "not tried this run"),
    "smscli.failed": (
        "失败 {id}：{error}（可用 --retry-failed 重试）",
        "FAILED {id}: {error} (retry with --retry-failed)",
    ),
    "smscli.stopped": (
        "连续失败 {n} 次后停止：短信平台似乎不可用；其余短信仍待发送",
        "stopped after {n} failures in a row: the platform seems down; the rest stay pending",
    ),
    "smscli.sent": (
        "{gateway}{scope}：到期 {due} 条，已受理 {accepted} 条，待发送 {pending} 条，失败 {failed} 条",
        "{gateway}{scope}: {accepted} of {due} due message(s) accepted, {pending} pending, {failed} failed",
    ),
    "smscli.status_title": ("提醒短信（{n}）", "Reminder SMS ({n})"),
    "smscli.tries": ("已尝试 {n} 次", "{n} tries"),
    "smscli.receipts": (
        "{rows} 行：已送达 {delivered}，未送达 {failed}，回复 {replies}，退订号码 {opted}，已知 {unchanged}",
        "{rows} row(s): {delivered} delivered, {failed} not delivered, {replies} repl(ies), "
        "{opted} phone(s) opted out, {unchanged} already known",
    ),
    "smscli.opted_out": ("已退订：{phone}", "opted out: {phone}"),
    "smscli.tpl.refused": ("{name}：不予通过", "{name}: REFUSED"),
    "smscli.tpl.ok": (
        "{name}：通过（按最长的实际取值为 {longest}/{limit} 个字符）",
        "{name}: ok ({longest} of {limit} characters with the longest realistic values)",
    ),
    "smscli.warning": ("警告：{text}", "warning: {text}"),
    "smscli.sample": (
        "{name} 仍是示例值 {value}：短信中的 {placeholder} 会显示它；请在规则中设置本行自己的值"
        "（`collectui policy apply FILE --reason ...`）",
        "{name} is still the sample {value}: messages would carry it as {placeholder}; "
        "set the bank's own in the policy (`collectui policy apply FILE --reason ...`)",
    ),
}
