"""argon2 at a test's cost. The product hashes with argon2's recommended settings (about 0.2 s of CPU per hash
and again per check: a sign-in); hundreds of tests add staff and sign in, and that work was a tenth of the
suite's time. tests/conftest.py puts the cheap hasher in place for every test process before any fixture runs
(the session-wide template banks too); a check reads its cost from the stored hash, so a password hashed here
is cheap to check in a CLI subprocess as well. tests/domain/staff/test_password_cost.py keeps the product's
own settings honest."""

from __future__ import annotations

from argon2 import PasswordHasher

from collectui.domain.staff import users

PRODUCTION = users._hasher  # as the product made it, before any test replaced it
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def use_cheap() -> None:
    users._hasher = CHEAP
