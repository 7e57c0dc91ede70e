"""Staff: accounts, roles and passwords (``users``); sign-in, lock and branch scope (``sessions``)."""
