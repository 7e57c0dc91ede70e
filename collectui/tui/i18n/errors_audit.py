"""The audit trail and its key: the service errors of ``collectui/domain/audit`` in both languages."""

STRINGS = {
    "error.audit.anchor": (
        "锚点 {anchor} 格式不对：应为 SEQ:DIGEST（即 `collectui audit anchor` 的输出）",
        "anchor {anchor!r}: expected SEQ:DIGEST (as `collectui audit anchor` prints)",
    ),
    "error.audit.empty": ("审计记录为空：还没有可锚定的事件", "the audit trail is empty: nothing to anchor yet"),
    "error.audit.no_key_unwritten": (
        "本数据库没有审计密钥：请设置 {env}，或恢复密钥文件 {path}（见 docs/admin/audit.md）；未写入任何内容",
        "no audit key for this database: set {env} or restore the key file {path} (docs/admin/audit.md); "
        "nothing was written",
    ),
    "error.audit.foreign_key": (
        "审计密钥（{env} 或密钥文件）不属于本数据库：其校验值为 {check}，数据库记录的是 {stored}；未写入任何内容",
        "the audit key ({env} or the key file) is not this database's: its check is {check}, the database's "
        "{stored}; nothing was written",
    ),
    "error.audit.clock_back": (
        "系统时钟为 {now}，早于最后一条审计事件（{head}）：生产数据库的审计时间不能倒退；请校正系统时钟（未写入任何内容）",
        "the clock says {now}, earlier than the last audit event ({head}): audit time never goes back on a "
        "production database; correct the system clock (nothing was written)",
    ),
    "error.audit.key_not_hex": ("{where}：审计密钥必须是十六进制数字", "{where}: the audit key must be hex digits"),
    "error.audit.key_short": (
        "{where}：审计密钥太短（至少 32 位十六进制数字）",
        "{where}: the audit key is too short (at least 32 hex digits)",
    ),
}
