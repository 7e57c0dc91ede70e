"""The tests hash passwords cheaply (tests/support/hashing.py); the product must not: its hasher keeps argon2id
at the library's recommended cost, and a hash it makes says so."""

from __future__ import annotations

from argon2 import PasswordHasher, Type

from collectui.domain.staff import users
from tests.support import hashing


def test_the_product_hashes_at_argon2s_recommended_cost():
    product, recommended = hashing.PRODUCTION, PasswordHasher()
    assert product.type is Type.ID
    assert (product.time_cost, product.memory_cost, product.parallelism) == (
        recommended.time_cost,
        recommended.memory_cost,
        recommended.parallelism,
    )
    assert recommended.time_cost >= 3 and recommended.memory_cost >= 64 * 1024
    stored = product.hash("a long enough password")
    assert stored.startswith(f"$argon2id$v=19$m={recommended.memory_cost},t={recommended.time_cost},")
    assert product.verify(stored, "a long enough password")


def test_the_tests_run_on_the_cheap_hasher():
    """The suite's own speed rests on it (a test that replaced it gets it back from the cheap_hasher fixture)."""
    assert users._hasher is hashing.CHEAP
    assert users.hash_password("a long enough password").startswith("$argon2id$v=19$m=8,t=1,p=1$")
