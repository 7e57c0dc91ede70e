"""The TUI tests' bank (tests/support/tui_bank.py) is what they assume: a ranked list per branch."""


def test_seed_has_a_ranked_list(bank):
    from collectui.domain.worklist import queries as worklist

    flt = worklist.WorkFilter(branch="城关支行")
    # 30 overdue, minus do-not-call (C0005), dispute (C0009), complaint hold (C0011), promise pending (C0001),
    # no reminder yet (C0013)
    assert worklist.count(bank, flt) == 25
    assert worklist.count(bank, worklist.WorkFilter(branch="城关支行", include_blocked=True)) == 30
    assert worklist.count(bank, worklist.WorkFilter(branch="河西支行")) == 8
