"""Audit refusals read in the person's language: a malformed anchor, an anchor of an empty trail."""

from __future__ import annotations

import pytest

from collectui.domain.audit.verify import anchor, parse_anchor
from collectui.domain.errors import InvalidInput
from tests.support.said import in_both


def test_a_malformed_anchor_is_refused_in_chinese():
    with pytest.raises(InvalidInput) as caught:
        parse_anchor("12-abc")
    assert str(caught.value) == "anchor '12-abc': expected SEQ:DIGEST (as `collectui audit anchor` prints)"
    assert in_both(caught.value) == "锚点 12-abc 格式不对：应为 SEQ:DIGEST（即 `collectui audit anchor` 的输出）"


def test_an_empty_trail_has_no_anchor_in_chinese(ctx):
    with ctx.db.raw_read() as raw, pytest.raises(InvalidInput) as caught:
        anchor(raw)
    assert in_both(caught.value) == "审计记录为空：还没有可锚定的事件"
