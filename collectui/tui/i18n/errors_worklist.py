"""The work list and a borrower's profile: the service errors of ``collectui/domain/worklist``."""

STRINGS = {
    "error.worklist.no_customer": ("没有客户 {customer}", "no customer {customer!r}"),
    "error.worklist.unknown_bucket": (
        "未知的账龄 {bucket}；可选：{buckets}",
        "unknown bucket {bucket!r}; expected one of {buckets}",
    ),
    "error.worklist.unknown_branch": (
        "未知的支行 {branch}；现有支行：{branches}",
        "unknown branch {branch!r}; branches: {branches}",
    ),
    "error.worklist.unknown_branch_none": (
        "未知的支行 {branch}；目前还没有任何支行",
        "unknown branch {branch!r}; branches: (none)",
    ),
}
