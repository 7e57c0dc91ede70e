"""Service errors of conduct: reading the call scripts file (domain/conduct/scripts).

Each entry is the Chinese and the English of a ``said("error.conduct.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.conduct.scripts_binary": (
        "{path}：是二进制文件，不是 TOML 话术文件",
        "{path}: a binary file, not a TOML scripts file",
    ),
    "error.conduct.scripts_folder": (
        "{path}：是文件夹，不是话术文件",
        "{path}: a folder, not a scripts file",
    ),
    "error.conduct.scripts_missing": (
        "{path}：没有这个文件",
        "{path}: no such file",
    ),
    "error.conduct.scripts_nested": (
        "{path}：嵌套太深，不像话术文件",
        "{path}: nested too deeply to be a scripts file",
    ),
    "error.conduct.scripts_not_utf8": (
        "{path}：不是 UTF-8 文本（偏移 {offset} 处的字节）；请另存为 UTF-8",
        "{path}: not UTF-8 text (byte at offset {offset}); save it as UTF-8",
    ),
    "error.conduct.scripts_toml": (
        "{path}：不是有效的 TOML：{exc}",
        "{path}: not valid TOML: {exc}",
    ),
    "error.conduct.scripts_too_big": (
        "{path}：大于 {kb} KB，不是话术文件",
        "{path}: larger than {kb} KB, not a scripts file",
    ),
    "error.conduct.scripts_unreadable": (
        "{path}：无法读取：{why}",
        "{path}: cannot read: {why}",
    ),
}
