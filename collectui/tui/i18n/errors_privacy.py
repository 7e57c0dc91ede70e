"""Unmasking: the service errors of ``collectui/domain/privacy`` in both languages."""

STRINGS = {
    "error.privacy.field_choice": ("字段必须是以下之一：{fields}", "field must be one of {fields}"),
    "error.privacy.reason_short": (
        "请写明原因，至少几个词（{words} 个英文单词或 {cjk} 个汉字）",
        "give a reason of at least a few words ({words} words or {cjk} Chinese characters)",
    ),
    "error.privacy.no_customer": ("没有客户 {customer}", "no customer {customer!r}"),
    "error.privacy.no_contact": ("该客户没有联系人 {contact}", "no contact {contact!r} for this customer"),
}
