"""Work-list refusals read in the person's language: an unknown bucket, an unknown borrower's profile."""

from __future__ import annotations

import pytest

from collectui.domain.errors import NotFound, UsageError
from collectui.domain.worklist.profile import customer_profile
from collectui.domain.worklist.queries import normalise_bucket
from tests.support.cli import SYSTEM
from tests.support.said import in_both


def test_an_unknown_bucket_lists_the_buckets_in_chinese():
    with pytest.raises(UsageError) as caught:
        normalise_bucket("M9")
    assert in_both(caught.value).startswith("未知的账龄 M9；可选：")


def test_an_unknown_borrowers_profile_is_refused_in_chinese(ctx):
    with pytest.raises(NotFound) as caught:
        customer_profile(ctx, SYSTEM, "C9999")
    assert in_both(caught.value) == "没有客户 C9999"
