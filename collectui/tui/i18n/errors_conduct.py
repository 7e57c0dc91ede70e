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
    "error.conduct.scripts_problems": ("{path}：{count} 个问题：{first} ……", "{path}: {count} problems: {first} ..."),
    "error.conduct.sc_lines_table": (
        "{where}：应为一个表 {{zh = [...], en = [...]}}",
        "{where}: expected a table {{zh = [...], en = [...]}}",
    ),
    "error.conduct.sc_unknown_language": (
        "{where}.{name}：未知语言（应为 zh 和 en）",
        "{where}.{name}: unknown language (expected zh and en)",
    ),
    "error.conduct.sc_lines_missing": (
        "{where}.{lang}：缺失，或不是文本列表",
        "{where}.{lang}: missing, or not a list of texts",
    ),
    "error.conduct.sc_line_empty": ("为空", "empty"),
    "error.conduct.sc_line_long": ("超过 {max} 个字符", "longer than {max} characters"),
    "error.conduct.sc_control": ("含有控制字符", "holds control characters"),
    "error.conduct.sc_lone_brace": (
        "有单独的 {{ 或 }}（占位符写作 {{bank}}）",
        "a lone {{ or }} (a placeholder is written {{bank}})",
    ),
    "error.conduct.sc_placeholder": (
        "未知占位符 {placeholder}（已知：{known}）",
        "unknown placeholder {placeholder} (known: {known})",
    ),
    "error.conduct.sc_situation_missing": ("{path}：[{sid}]：缺失", "{path}: [{sid}]: missing"),
    "error.conduct.sc_unknown_key": (
        "{head} {name}：未知的键（应为 title、lines、first_contact）",
        "{head} {name}: unknown key (expected title, lines, first_contact)",
    ),
    "error.conduct.sc_title_table": (
        '{head} title：应为 {{zh = "...", en = "..."}}',
        '{head} title: expected {{zh = "...", en = "..."}}',
    ),
    "error.conduct.sc_title_empty": ("{head} title.{lang}：为空", "{head} title.{lang}: empty"),
    "error.conduct.sc_title_control": (
        "{head} title.{lang}：含有控制字符",
        "{head} title.{lang}: holds control characters",
    ),
    "error.conduct.sc_line_count": (
        "{head} lines.{lang}：{count} 行（应为 {min}-{max} 行）",
        "{head} lines.{lang}: {count} lines (expected {min}-{max})",
    ),
    "error.conduct.sc_label_line": ("第", "line"),
    "error.conduct.sc_label_first": ("first_contact 第", "first_contact line"),
    "error.conduct.sc_line_problem": (
        "{where}：{sid} [{lang}] {label} {n} 行：{problem}",
        "{where}: {sid} [{lang}] {label} {n}: {problem}",
    ),
    "error.conduct.sc_version": (
        '{path}：version：缺失（一个文本，例如 "2026.1"）',
        '{path}: version: missing (a text such as "2026.1")',
    ),
    "error.conduct.sc_unknown_situation": (
        "{path}：[{name}]：未知情境（已知：{known}）",
        "{path}: [{name}]: unknown situation (known: {known})",
    ),
}
