"""The kind a file's name says: English names anywhere between non-letters, Chinese names anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectui.domain.importing import import_folder, kind_for_file
from tests.support.importing import CUSTOMERS_HEADER, one_customer_line, write


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("customers.csv", "customers"),
        ("Loans_20261128.xlsx", "loans"),
        ("schedule-nov.tsv", "schedule"),
        ("instalments.csv", "schedule"),
        ("客户信息_customers.csv", "customers"),  # the kind after a Chinese prefix
        ("export_2026_payments_final.csv", "payments"),
        ("20261128 contacts.xlsx", "contacts"),
        ("客户.csv", "customers"),
        ("客户信息.xlsx", "customers"),
        ("贷款.csv", "loans"),
        ("贷款台账_20261128.csv", "loans"),
        ("还款计划.tsv", "schedule"),  # not payments, though 还款计划 contains 还款
        ("还款.csv", "payments"),
        ("还款流水.csv", "payments"),
        ("联系人.csv", "contacts"),
        ("客户贷款.csv", "loans"),  # the head noun comes last in a Chinese name
        ("贷款还款计划.xlsx", "schedule"),
        ("贷款还款明细.csv", "payments"),
        ("客户联系人.csv", "contacts"),
        ("贷款客户.csv", "customers"),
        ("客户反馈.csv", "feedback"),
        ("customer_feedback.csv", "feedback"),
    ],
)
def test_kind_from_the_name(name, kind):
    spec = kind_for_file(Path(name))
    assert spec is not None and spec.name == kind


@pytest.mark.parametrize(
    "name", ["bank.csv", "myloansx.csv", "customersdata.csv", "客户信息.rejects.csv", "loans.rejects.csv"]
)
def test_no_kind_in_the_name(name):
    assert kind_for_file(Path(name)) is None


def test_a_folder_of_chinese_names_imports_in_order(ctx, tmp_path):
    write(tmp_path / "客户信息_customers.csv", CUSTOMERS_HEADER + one_customer_line())
    write(
        tmp_path / "贷款.csv",
        "loan_id,customer_id,product,principal,disbursed_on,maturity_date\nL1,C1,农户贷,10000,2026-01-05,2027-01-05\n",
    )
    write(tmp_path / "还款计划.csv", "loan_id,seq,due_date,principal_due,interest_due\nL1,1,2026-06-05,5000,100\n")
    write(tmp_path / "还款.csv", "payment_id,loan_id,paid_on,amount\nP1,L1,2026-06-05,5100\n")
    write(tmp_path / "说明.txt", "not an export")
    result = import_folder(ctx, tmp_path)
    assert result.exit_code == 0, result.errors
    assert [(k.kind, Path(k.file).name, k.inserted) for k in result.kinds] == [
        ("customers", "客户信息_customers.csv", 1),
        ("loans", "贷款.csv", 1),
        ("schedule", "还款计划.csv", 1),
        ("payments", "还款.csv", 1),
    ]
