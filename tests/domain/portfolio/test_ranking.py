"""The ranking's required properties (hypothesis) and the explanation text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from collectui.domain.policy import Policy, policy_from_dict
from collectui.domain.portfolio.ranking import RankInput, order_key, score, sort_key, weights_from_policy

W = weights_from_policy(Policy())

dpd = st.integers(min_value=1, max_value=2000)
fen = st.integers(min_value=1, max_value=10**12)
broken = st.integers(min_value=0, max_value=10)
contact = st.one_of(st.none(), st.integers(min_value=0, max_value=400))
cid = st.text(alphabet="C0123456789", min_size=1, max_size=12)
weights = st.fixed_dictionaries(
    {
        "dpd_points_per_day": st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 3)),
        "amount_points_per_tenfold": st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 3)),
        "broken_promise_points": st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 3)),
        "no_contact_points_per_day": st.floats(0, 5, allow_nan=False).map(lambda v: round(v, 3)),
        "dpd_cap_days": st.integers(1, 1000),
    }
).map(lambda d: weights_from_policy(policy_from_dict({"ranking": d})))


def key(inp: RankInput, customer_id: str, w=W):
    s = score(inp, w)
    return order_key(s.hundredths, inp.max_dpd, inp.overdue_fen, inp.broken_promises, customer_id)


def ranks_at_least_as_high(a, b):
    """a is listed before b, or they are the same borrower."""
    return a <= b


@settings(max_examples=300)
@given(dpd, dpd, fen, broken, contact, cid, weights)
def test_more_dpd_never_ranks_lower(d1, d2, amount, n_broken, days, customer_id, w):
    lo, hi = sorted((d1, d2))
    a = key(RankInput(hi, amount, n_broken, days), customer_id, w)
    b = key(RankInput(lo, amount, n_broken, days), customer_id, w)
    assert ranks_at_least_as_high(a, b)
    if hi > lo:
        assert a < b  # strictly: equal scores fall back on max DPD


@settings(max_examples=300)
@given(dpd, fen, fen, broken, contact, cid, weights)
def test_larger_overdue_never_ranks_lower(d, f1, f2, n_broken, days, customer_id, w):
    lo, hi = sorted((f1, f2))
    a = key(RankInput(d, hi, n_broken, days), customer_id, w)
    b = key(RankInput(d, lo, n_broken, days), customer_id, w)
    assert a <= b and (hi == lo or a < b)


@settings(max_examples=300)
@given(dpd, fen, contact, cid, weights)
def test_broken_promise_ranks_higher_than_none(d, amount, days, customer_id, w):
    assert key(RankInput(d, amount, 1, days), customer_id, w) < key(RankInput(d, amount, 0, days), customer_id, w)
    # and with the default weights the score itself says so
    assert score(RankInput(d, amount, 1, days), W).hundredths > score(RankInput(d, amount, 0, days), W).hundredths


@given(dpd, fen, broken, contact, cid, cid)
def test_ties_are_broken_by_customer_id(d, amount, n_broken, days, c1, c2):
    inp = RankInput(d, amount, n_broken, days)
    a, b = key(inp, c1), key(inp, c2)
    assert (a < b) == (c1 < c2)


@settings(max_examples=300)
@given(st.integers(0, 10**6), dpd, fen, broken, cid, st.integers(0, 10**6), dpd, fen, broken, cid)
def test_stored_sort_key_orders_like_order_key(s1, d1, f1, b1, c1, s2, d2, f2, b2, c2):
    k1, k2 = order_key(s1, d1, f1, b1, c1), order_key(s2, d2, f2, b2, c2)
    t1, t2 = sort_key(s1, d1, f1, b1, c1), sort_key(s2, d2, f2, b2, c2)
    assert (k1 < k2) == (t1 < t2) and (k1 == k2) == (t1 == t2)


def test_score_explains_itself_with_default_weights():
    s = score(RankInput(max_dpd=45, overdue_fen=999_900, broken_promises=2, days_since_contact=12), W)
    # 45 + 20*log10(1 + 9999) + 2*30 + 0.5*12 = 45 + 80 + 60 + 6
    assert s.hundredths == 19100
    assert [r.text for r in s.reasons] == [
        "DPD 45: +45.00",
        "overdue ¥9,999.00: +80.00",
        "2 broken promises: +60.00",
        "12 days since last reached: +6.00",
    ]
    s = score(RankInput(max_dpd=400, overdue_fen=100, broken_promises=5), W)
    texts = [r.text for r in s.reasons]
    assert texts[0] == "DPD 400 (capped at 360): +360.00"
    assert "5 broken promises: +90.00" in texts  # at most 3 counted
    assert texts[-1] == "never reached: +15.00"


@given(
    st.decimals(min_value=0, max_value=1000, places=6, allow_nan=False, allow_infinity=False), st.integers(0, 100_000)
)
def test_integer_linear_parts_equal_decimal_rounding(weight, n):
    from decimal import ROUND_HALF_UP, Decimal

    from collectui.domain.portfolio.ranking import _lin

    exact = (weight * n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100
    assert _lin(weight, n) == int(exact)
    assert _lin(weight + Decimal("0.0000001"), n) == int(
        ((weight + Decimal("0.0000001")) * n).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100
    )
