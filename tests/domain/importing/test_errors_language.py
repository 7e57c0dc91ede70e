"""A file-level import problem reads in the person's language; the rows' own messages are
translated by domain/importing/said_rows (tests/domain/importing/test_said_rows.py)."""

from __future__ import annotations

import pytest

from collectui.domain.importing import FileProblem, import_file
from tests.support.said import in_both


@pytest.mark.parametrize(
    "name, content, zh",
    [
        ("c.csv", b"", "c.csv：空文件（0 字节）"),
        ("c.xls", b"whatever", "c.xls：不支持的格式 .xls；请用 .csv、.tsv 或 .xlsx（.xls 文件请另存为 .xlsx）"),
        ("c.csv", b"PK\x03\x04rest", "c.csv：这是 Excel 工作簿；请将扩展名改为 .xlsx"),
        (
            "c.csv",
            b"customer_id,name,phone,branch\nC1,x,13812345678,b\n",
            "c.csv：customers 缺少必填列：id_number",
        ),
    ],
)
def test_a_file_problem_reads_in_chinese(ctx, tmp_path, name, content, zh):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileProblem) as err:
        import_file(ctx, "customers", path)
    assert in_both(err.value).startswith(f"{tmp_path}/{zh}")


def test_an_unknown_kind_and_a_missing_file_read_in_chinese(ctx, tmp_path):
    with pytest.raises(FileProblem) as kind:
        import_file(ctx, "borrowers", tmp_path / "x.csv")
    assert in_both(kind.value).startswith("未知类型 'borrowers'：请用 customers, ")
    with pytest.raises(FileProblem) as missing:
        import_file(ctx, "customers", tmp_path / "x.csv")
    assert in_both(missing.value) == f"{tmp_path}/x.csv：没有这个文件"
