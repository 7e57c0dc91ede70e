"""Helpers shared by the tests (no tests here; fixtures live in the conftest.py files).

clock        the fixed day of the tests: TZ, NOW (2026-11-28 10:00 Asia/Shanghai)
tui_bank     the small seeded bank of the TUI tests and snapshots (fixtures bank_template, bank)
tui          Textual helpers: aio, ScreenHost, wait_for, sign_in, work_list
small_bank   Bank: hand-made borrowers, loans and payments for the refresh and work-list tests
calls        the calls tests' branch, staff and borrowers; log(), calls_policy()
report_rows  Seed: rows inserted directly for the feedback, complaint and report tests
dashboard    the supervisor dashboard's rows (fixture dash) and its viewers
sms          borrowers for the SMS tests and a loopback HTTP server playing the SMS platform
importing    files, database fingerprints and users for the import tests
"""
