"""Service errors of contacts: adding and changing a borrower's phone numbers (domain/portfolio/contacts).

Each entry is the Chinese and the English of a ``said("error.contacts.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.contacts.already_marked": (
        "{flag}：该号码已标记为 {state}",
        "{flag}: the number is already marked {state}",
    ),
    "error.contacts.call_other_customer": (
        "call：通话 {call_id} 与客户 {customer_id} 无关",
        "call: call {call_id} was not about customer {customer_id}",
    ),
    "error.contacts.call_refused": (
        "call：通话 {call_id} 被闸门拒绝：这次没有得到任何信息",
        "call: call {call_id} was refused by the gate: nothing was learned on it",
    ),
    "error.contacts.duplicate": (
        "phone：{phone} 已登记在该借款人名下（联系人 {known}）",
        "phone: {phone} is already recorded for this borrower (contact {known})",
    ),
    "error.contacts.hours": (
        "hours：应为 {exc}",
        "hours: expected {exc}",
    ),
    "error.contacts.hours_unchanged": (
        "hours：没有需要更改的：{now}",
        "hours: nothing to change: {now}",
    ),
    "error.contacts.name_long": (
        "name：最多 {max} 个字符",
        "name: at most {max} characters",
    ),
    "error.contacts.name_required": (
        "name：第三方必须填写姓名（借款人本人的号码则不填）",
        "name: required for a third party (leave it out for the borrower's own number)",
    ),
    "error.contacts.no_call": (
        "没有通话 {call_id}",
        "no call {call_id}",
    ),
    "error.contacts.no_contact": (
        "客户 {customer_id} 没有联系人 {contact}（见 `collectui contact list`）",
        "no contact {contact} for customer {customer_id} (see `collectui contact list`)",
    ),
    "error.contacts.no_customer": (
        "没有客户 {customer_id}",
        "no customer {customer_id}",
    ),
    "error.contacts.own_number": (
        "phone：{phone} 已是借款人本人的号码",
        "phone: {phone} is already the borrower's own number",
    ),
    "error.contacts.phone": (
        "phone：应为 {expected}",
        "phone: expected {expected}",
    ),
    "error.contacts.reason_banned": (
        "reason：不允许：{found}",
        "reason: not allowed: {found}",
    ),
    "error.contacts.reason_long": (
        "reason：最多 {max} 个字符",
        "reason: at most {max} characters",
    ),
    "error.contacts.reason_personal": (
        "reason：原因中不要写电话、证件和账号（个人信息）",
        "reason: leave phone, ID and account numbers out of the reason (personal data)",
    ),
    "error.contacts.reason_required": (
        "reason：必须填写（为何作此变更）",
        "reason: required (why the change is made)",
    ),
    "error.contacts.relation_own": (
        "relation：借款人本人的号码请不填姓名添加",
        "relation: for the borrower's own number add a number without a name",
    ),
    "error.contacts.hours_now": ("约定联系时段是 {hours}", "the agreed hours are {hours}"),
    "error.contacts.hours_none": ("没有约定联系时段", "there are no agreed hours"),
    "error.hours.expected": (
        "约定联系时段，格式如 18:00-20:00（HH:MM-HH:MM；20:00-09:00 表示跨过午夜）",
        "agreed call hours like 18:00-20:00 (HH:MM-HH:MM; 20:00-09:00 runs past midnight)",
    ),
    "error.hours.range": (
        "约定联系时段，格式如 18:00-20:00（HH:MM-HH:MM；20:00-09:00 表示跨过午夜）：小时 00-23（24:00 只能作结束时间），分钟 00-59",
        "agreed call hours like 18:00-20:00 (HH:MM-HH:MM; 20:00-09:00 runs past midnight): hours 00-23 (24:00 only as an end), minutes 00-59",
    ),
    "error.hours.empty": (
        "约定联系时段，格式如 18:00-20:00（HH:MM-HH:MM；20:00-09:00 表示跨过午夜）：开始和结束是同一时间",
        "agreed call hours like 18:00-20:00 (HH:MM-HH:MM; 20:00-09:00 runs past midnight): the start and the end are the same time",
    ),
}
