"""Calls: the service errors of ``collectui/domain/calls`` (record, store, parties, talk, late) in both languages."""

STRINGS = {
    "error.calls.late_entry_denied": (
        "{refusal}（补录通话须由主管操作，并写明原因）",
        "{refusal} (a late entry is logged by a supervisor, with a reason)",
    ),
    "error.calls.no_customer": ("没有客户 {customer}", "no customer {customer!r}"),
    "error.calls.no_customer_plain": ("没有客户 {customer}", "no customer {customer}"),
    "error.calls.no_contact": (
        "客户 {customer} 没有联系人 {contact}（请用 'debtor'，或 `collectui contact list` 列出的 contact_id）",
        "no contact {contact!r} for customer {customer!r} (use 'debtor' or a contact_id from `collectui contact list`)",
    ),
    "error.calls.for_someone_else": (
        "只有机器（API 令牌）或补录才能替他人登记通话",
        "only a machine (an API token) or a late entry logs calls for someone else",
    ),
    "error.calls.name_collector": (
        "{actor} 不是员工本人：请用 --collector 指明拨打电话的催收员",
        "{actor} is not a person: name the collector who made the call (--collector)",
    ),
    "error.calls.no_attempt": ("没有通话记录 {call}", "no call attempt {call}"),
    "error.calls.not_open": (
        "通话 {call} 不是 {user} 已开始且尚未结束的通话",
        "call attempt {call} is not a call {user} has started and not ended",
    ),
    "error.calls.not_started": (
        "通话 {call} 不是 {user} 开始的通话",
        "call attempt {call} is not a call {user} has started",
    ),
    "error.calls.user_inactive": ("用户 {username} 未启用", "user {username!r} is not active"),
    "error.calls.script_banned": (
        "{path}：已拒绝，其中含有禁用语：{problem}",
        "{path}: refused, it holds a banned phrase: {problem}",
    ),
}
