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
}
