"""The demo's refusals read in the person's language."""

from __future__ import annotations

import pytest

from collectui.demo.file import NotDemoDatabase, inspect_target
from collectui.demo.scenarios import load_scenarios
from collectui.domain.errors import InvalidInput
from tests.support.said import in_both


def test_a_missing_scenarios_file_reads_in_chinese(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load_scenarios(tmp_path / "none.toml")
    assert in_both(err.value) == f"{tmp_path / 'none.toml'}：找不到场景文件"


def test_a_scenario_missing_its_fields_reads_in_chinese(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[[scenario]]\nkey = "x"\nbranch = "nowhere"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_scenarios(path)
    assert in_both(err.value) == (
        f"{path}：场景 1：缺少 customer_id, title, practise, story_zh, story_en, age, product, dpd"
    )


@pytest.mark.sqlite_only  # the demo's target is a SQLite file by design: a folder or another file is refused
def test_the_demo_never_touches_a_folder_or_real_data(tmp_path):
    with pytest.raises(NotDemoDatabase) as folder:
        inspect_target(tmp_path, force=True)
    assert in_both(folder.value) == f"{tmp_path} 不是文件；collectui demo 不会碰它"
    real = tmp_path / "bank.db"
    real.write_bytes(b"not a demo database")
    with pytest.raises(NotDemoDatabase) as other:
        inspect_target(real, force=True)
    assert in_both(other.value).startswith(f"{real} 不是演示数据库（没有演示标记）")
