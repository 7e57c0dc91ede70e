"""Service errors of the borrower's voice: complaints and feedback (domain/voice).

Each entry is the Chinese and the English of a ``said("error.voice.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.voice.at_before_complaint": (
        "at：早于投诉登记的时间",
        "at: before the complaint was opened",
    ),
    "error.voice.at_future": (
        "at：不能是将来的时间",
        "at: cannot be in the future",
    ),
    "error.voice.at_needs_zone": (
        "at：需要时区",
        "at: needs a time zone",
    ),
    "error.voice.call_other_customer": (
        "通话 {call_id} 的对象不是客户 {customer_id}",
        "call {call_id} was not with customer {customer_id}",
    ),
    "error.voice.complaint_state": (
        "投诉 {complaint_id} 的状态是 {status}；{action} 需要状态为 {allowed}",
        "complaint {complaint_id} is {status}; {action} needs {allowed}",
    ),
    "error.voice.extend_decided": (
        "投诉 {complaint_id} 的状态是 {status}；只有未决的投诉可以延期",
        "complaint {complaint_id} is {status}; only an undecided complaint is extended",
    ),
    "error.voice.extend_once": (
        "投诉 {complaint_id} 已延期过（只能延期一次）",
        "complaint {complaint_id} was already extended (once only)",
    ),
    "error.voice.feedback_future": (
        "at：反馈的时间不能是将来",
        "at: feedback cannot be in the future",
    ),
    "error.voice.no_call": (
        "没有通话 {call_id}",
        "no call {call_id}",
    ),
    "error.voice.no_complaint": (
        "没有投诉 {complaint_id}",
        "no complaint {complaint_id}",
    ),
    "error.voice.no_customer": (
        "没有客户 {customer_id}",
        "no customer {customer_id}",
    ),
    "error.voice.no_hold": (
        "投诉 {complaint_id} 没有生效中的暂停",
        "complaint {complaint_id} has no active hold",
    ),
    "error.voice.not_their_call": (
        "催收员 {collector} 没有拨打通话 {call_id}",
        "collector {collector} did not make call {call_id}",
    ),
    "error.voice.text_long": (
        "{what}：最多 {max} 个字符（收到 {got}）",
        "{what}: at most {max} characters (got {got})",
    ),
    "error.voice.text_required": (
        "{what}：必须填写",
        "{what}: text is required",
    ),
    "error.voice.user_inactive": (
        "用户 {user} 不在职",
        "user {user} is not active",
    ),
    "error.voice.fb_problems": ("反馈有问题：{problems}", "{problems}"),
    "error.voice.fb_range": ("{field}：应为 {lo}-{hi}，收到 {got}", "{field}: expected {lo}-{hi}, got {got}"),
    "error.voice.fb_customer_required": ("customer_id：必须填写", "customer_id: required"),
    "error.voice.fb_category_twice": ("category：同一类别给了两次", "category: a category is given twice"),
}
