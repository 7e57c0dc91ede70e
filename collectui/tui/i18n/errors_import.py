"""Service errors of importing: file-level problems (unreadable, empty, wrong format, missing columns); the rows' own messages are translated by domain/importing/said_rows and the import.* entries.

Each entry is the Chinese and the English of a ``said("error.import.<what>", ...)`` in the domain; the English
rendered with its values equals the domain's own English text (tests/domain/test_error_messages.py)."""

STRINGS = {
    "error.import.bad_bytes_line": (
        "{label}:{line}：有不符合 {encoding} 的字节；请使用 --encoding gb18030 或 --encoding utf-8",
        "{label}:{line}: bytes that are not valid {encoding}; pass --encoding gb18030 or --encoding utf-8",
    ),
    "error.import.bad_bytes_near": (
        "{label}：第 {line} 行附近：有不符合 {encoding} 的字节；请使用 --encoding gb18030 或 --encoding utf-8",
        "{label}: near line {line}: bytes that are not valid {encoding}; pass --encoding gb18030 or --encoding utf-8",
    ),
    "error.import.bad_csv": (
        "{label}:{line}：无法按 CSV 读取（{exc}）",
        "{label}:{line}: cannot be read as CSV ({exc})",
    ),
    "error.import.columns_same": (
        "{file_label}：列“{first}”和“{label}”都表示 {name}；请只保留一列",
        "{file_label}: columns '{first}' and '{label}' both mean {name}; keep one",
    ),
    "error.import.empty": (
        "{label}：空文件（0 字节）",
        "{label}: empty file (0 bytes)",
    ),
    "error.import.encoding_option": (
        "未知编码 {option}：请用 auto、utf-8 或 gb18030",
        "unknown encoding {option}: use auto, utf-8 or gb18030",
    ),
    "error.import.encoding_unknown": (
        "{label}：无法识别文本编码（{looks}）；collectui 读取 UTF-8 和 GB18030：请将文件另存为 UTF-8，或使用 --encoding",
        "{label}: cannot read the text encoding ({looks}); collectui reads UTF-8 and GB18030: save the file as UTF-8, or pass --encoding",
    ),
    "error.import.format": (
        "{label}：不支持的格式 {suffix}；请用 .csv、.tsv 或 .xlsx（.xls 文件请另存为 .xlsx）",
        "{label}: unsupported format {suffix}; use .csv, .tsv or .xlsx (save .xls files as .xlsx)",
    ),
    "error.import.is_folder": (
        "{label}：是文件夹；请给出文件，或不指定类型导入整个文件夹",
        "{label}: is a folder; give a file, or import the folder without a kind",
    ),
    "error.import.is_xlsx": (
        "{label}：这是 Excel 工作簿；请将扩展名改为 .xlsx",
        "{label}: this is an Excel workbook; name it .xlsx",
    ),
    "error.import.no_file": (
        "{label}：没有这个文件",
        "{label}: no such file",
    ),
    "error.import.no_files": (
        "{folder}：没有可导入的文件（应为 .csv、.tsv 或 .xlsx 格式的 {names}）",
        "{folder}: no import files (expected {names} as .csv, .tsv or .xlsx)",
    ),
    "error.import.not_folder": (
        "{folder}：不是文件夹",
        "{folder}: not a folder",
    ),
    "error.import.not_xlsx": (
        "{label}：不是 .xlsx 工作簿（CSV 文本请用 .csv 扩展名）",
        "{label}: not an .xlsx workbook (for CSV text, name the file .csv)",
    ),
    "error.import.rejects_folder": (
        "--rejects {rejects}：导入文件夹时，被拒收的行需要写入一个文件夹",
        "--rejects {rejects}: a folder import needs a folder for its rejects files",
    ),
    "error.import.required_missing": (
        "{file_label}：{kind} 缺少必填列：{parts}",
        "{file_label}: required column missing for {kind}: {parts}",
    ),
    "error.import.sheet_cells": (
        "{label}：工作表 {sheet} 有 {cells} 个单元格，超过 {max_cells}；请拆分、另存为 CSV，或调大 --max-cells",
        "{label}: sheet {sheet} spans {cells} cells, more than {max_cells}; split it, save it as CSV, or raise --max-cells",
    ),
    "error.import.two_files": (
        "{folder}：{kind} 有两个文件：{first} 和 {second}；请只保留一个",
        "{folder}: two files for {kind}: {first} and {second}; keep one",
    ),
    "error.import.unknown_kind": (
        "未知类型 {kind}：请用 {choices} 之一",
        "unknown kind {kind}: use one of {choices}",
    ),
    "error.import.unreadable": (
        "{label}：无法读取（{why}）",
        "{label}: cannot read ({why})",
    ),
    "error.import.workbook_entries": (
        "{label}：工作簿中有 {entries} 个条目；不是 Excel 工作簿",
        "{label}: {entries} entries in the workbook; not an Excel workbook",
    ),
    "error.import.workbook_invalid": (
        "{label}：无法读取工作簿（不是有效的 .xlsx：{exc}）",
        "{label}: cannot read the workbook (not a valid .xlsx: {exc})",
    ),
    "error.import.workbook_too_big": (
        "{label}：工作簿展开后超过 {max_mb} MB（{mb} MB 或更多）；请拆分、另存为 CSV，或调大 --max-xlsx-mb",
        "{label}: the workbook expands to more than {max_mb} MB ({mb} MB or more); split it, save it as CSV, or raise --max-xlsx-mb",
    ),
    "error.import.workbook_unreadable": (
        "{label}：无法读取工作簿（{error}：{exc}）",
        "{label}: cannot read the workbook ({error}: {exc})",
    ),
}
