"""Backups and restores: the service errors of ``collectui/domain/dbcare`` in both languages (each check's
problem below the line stays as the check says it)."""

STRINGS = {
    "error.db.copy_failed": (
        "副本没有通过检查；未在 {dest} 写入任何内容",
        "the copy failed its checks; nothing written at {dest}",
    ),
    "error.db.backup_failed": (
        "{source} 没有通过检查；数据库未被改动",
        "{source} failed its checks; the database was not touched",
    ),
    # db copy (domain/dbcopy.py, storage/copy.py)
    "error.db.copy.source_version": (
        "源数据库 {source} 的结构版本是 {version}，本版 collectui 写入版本 {latest}：请先对源数据库运行 `collectui db migrate`",
        "the source {source} has schema version {version}, this collectui writes {latest}: run `collectui db migrate` "
        "on the source first",
    ),
    "error.db.copy.target_has_tables": (
        "目标 {target} 不是空的（已有 {n} 张 collectui 的表）；请复制到一个新的空数据库",
        "the target {target} is not empty ({n} of collectui's tables); copy into a new, empty database",
    ),
    "error.db.copy.target_exists": (
        "目标 {target} 处已有文件；请复制到一个新的文件路径",
        "the target {target} is not empty (a file is there); copy to a new file path",
    ),
    "error.db.copy.audit": (
        "审计记录在 {target} 上核验不通过；目标中未保留任何内容",
        "the audit chain does not verify on {target}; nothing was kept there",
    ),
    "error.db.copy.counts": (
        "{target} 上的行数与源不符；目标中未保留任何内容",
        "row counts differ on {target}; nothing was kept there",
    ),
}
