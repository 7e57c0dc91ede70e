"""The five core-banking kinds: customers, contacts, loans, schedule, payments."""

from __future__ import annotations

from typing import Any

from collectui.domain.importing import values as v
from collectui.domain.importing.columns import Column, KindSpec, Ref, Target, register_kind
from collectui.money import fmt_fen
from collectui.storage.raw import RawConnection, dialect_of


def _show_ppm(ppm: int | None) -> str:
    return "" if ppm is None else f"{ppm / 10_000:g}%"


CUSTOMER_ID = Column("customer_id", v.parse_key, True, ("客户号", "客户编号", "客户代码"))
LOAN_ID = Column("loan_id", v.parse_key, True, ("借据号", "贷款账号", "借据编号"))
NAME = Column(
    "name", lambda x: v.parse_text(x, 60), True, ("姓名", "客户姓名", "客户名称", "联系人姓名"), sensitive="name"
)
PHONE = Column("phone", v.parse_phone, True, ("手机号", "联系电话", "手机号码", "联系人电话"), sensitive="phone")


# A number marked invalid stays so while the export brings the same number (compared NULL-safe).
_PHONE_INVALID = "CASE WHEN t.phone = s.phone OR (t.phone IS NULL AND s.phone IS NULL) THEN t.phone_invalid ELSE 0 END"


def _create_branches(conn: RawConnection, stg: str) -> int:
    """The branches the valid rows name that are not there yet; returns how many were created."""
    sql = dialect_of(conn).insert_ignore("branch", f"(name) SELECT DISTINCT branch FROM {stg} WHERE err = 0")
    return conn.execute(sql).rowcount


CUSTOMERS = KindSpec(
    name="customers",
    table="customer",
    order=10,
    columns=[
        CUSTOMER_ID,
        NAME,
        Column("id_number", v.parse_id_number, True, ("身份证号", "证件号码", "身份证号码"), sensitive="id_number"),
        PHONE,
        Column("address", lambda x: v.parse_text(x, 200), False, ("地址", "住址", "联系地址"), sensitive="address"),
        Column("branch", lambda x: v.parse_text(x, 60), True, ("网点", "所属机构", "所属网点", "机构")),
        Column("do_not_call", v.parse_flag, False, ("勿扰",), sql_type="INTEGER", default=0),
        Column("vulnerable", v.parse_flag, False, ("特殊关怀",), sql_type="INTEGER", default=0),
        Column("consent_hours", v.parse_consent_hours, False, ("约定时段", "约定联系时段", "同意联系时段")),
    ],
    key=("customer_id",),
    targets=[
        Target("name", "s.name", personal=True),
        Target("id_number", "s.id_number", personal=True),
        Target("phone", "s.phone", personal=True),
        Target("address", "s.address", personal=True),
        Target("branch_id", "(SELECT id FROM branch WHERE name = s.branch)", needs=("branch",)),
        # An export's 0 never clears a do-not-call recorded in collectui (a borrower who asked not to be
        # called stays so until a supervisor clears it in the app); an export's 1 sets it.
        Target("do_not_call", "s.do_not_call", update="CASE WHEN s.do_not_call = 1 THEN 1 ELSE t.do_not_call END"),
        Target("vulnerable", "s.vulnerable"),
        # Agreed call hours: a value replaces them; an empty cell keeps what a supervisor set in collectui
        # (`collectui hours`), as an export's 0 keeps a do-not-call. Clearing them is the supervisor's.
        Target(
            "consent_hours",
            "s.consent_hours",
            update="COALESCE(s.consent_hours, t.consent_hours)",
            needs=("consent_hours",),
        ),
    ],
    insert_extra={"created_at": ":now", "updated_at": ":now"},
    update_extra={
        "updated_at": ":now",
        "phone_invalid": _PHONE_INVALID,
    },
    before_write=_create_branches,
    customer_sql="s.customer_id",
    file_names=("客户",),
)

CONTACTS = KindSpec(
    name="contacts",
    table="contact",
    order=20,
    columns=[
        Column("contact_id", v.parse_key, True, ("联系人编号", "联系人号")),
        CUSTOMER_ID,
        NAME,
        Column("relation", v.parse_relation, True, ("关系", "与借款人关系")),
        PHONE,
    ],
    key=("contact_id",),
    targets=[
        Target("customer_id", "s.customer_id"),
        Target("name", "s.name", personal=True),
        Target("relation", "s.relation"),
        Target("phone", "s.phone", personal=True),
    ],
    refs=[
        Ref(
            "customer_id",
            "EXISTS (SELECT 1 FROM customer WHERE customer_id = s.customer_id)",
            "a customer_id present in the database or in this import",
        )
    ],
    update_extra={"phone_invalid": _PHONE_INVALID},
    customer_sql="s.customer_id",
    file_names=("联系人",),
)


def _loan_dates(row: dict[str, Any]) -> list[tuple[str, str]]:
    if row.get("disbursed_on") and row.get("maturity_date") and row["maturity_date"] < row["disbursed_on"]:
        return [("maturity_date", "a maturity date on or after the disbursement date")]
    return []


_COLLECTOR = (
    "COALESCE((SELECT a.collector_id FROM assignment a WHERE a.customer_id = s.customer_id), "
    "(SELECT id FROM staff_user WHERE username = s.collector))"
)


def _kept_collectors(conn: RawConnection, stg: str) -> int:
    """Loans whose file names another collector than the one their borrower was assigned by hand."""
    d = dialect_of(conn)
    named = "(SELECT id FROM staff_user WHERE username = s.collector)"
    sql = (
        f"SELECT COUNT(*) FROM {stg} s JOIN assignment a ON a.customer_id = s.customer_id "
        f"WHERE s.err = 0 AND s.collector IS NOT NULL AND {d.distinct('a.collector_id', named)}"
    )
    return int(conn.execute(sql).fetchone()[0])


LOANS = KindSpec(
    name="loans",
    table="loan",
    order=30,
    columns=[
        LOAN_ID,
        CUSTOMER_ID,
        Column("product", lambda x: v.parse_text(x, 60), True, ("产品名称", "贷款品种", "产品")),
        Column(
            "principal",
            v.parse_money_positive,
            True,
            ("贷款金额", "发放金额", "本金"),
            sql_type="INTEGER",
            show=fmt_fen,
        ),
        Column("disbursed_on", v.parse_date_iso, True, ("发放日期", "放款日期")),
        Column("maturity_date", v.parse_date_iso, True, ("到期日期", "到期日")),
        Column("annual_rate", v.parse_rate_ppm, False, ("年利率", "执行利率"), sql_type="INTEGER", show=_show_ppm),
        Column("status", v.parse_status, False, ("状态", "贷款状态"), default="active"),
        Column("collector", v.parse_key, False, ("催收员", "催收人员")),
    ],
    key=("loan_id",),
    targets=[
        Target("customer_id", "s.customer_id"),
        Target("product", "s.product"),
        Target("principal_fen", "s.principal", needs=("principal",), show=fmt_fen),
        Target("disbursed_on", "s.disbursed_on"),
        Target("maturity_date", "s.maturity_date"),
        Target("rate_ppm", "s.annual_rate", needs=("annual_rate",), show=_show_ppm),
        Target("status", "s.status"),
        # A borrower assigned by hand in collectui (`collectui assign`) keeps that collector on every loan,
        # new ones too; the file's collector applies to the others. An absent column leaves existing loans.
        Target("collector_id", _COLLECTOR, update=_COLLECTOR, needs=("collector",)),
    ],
    refs=[
        Ref(
            "customer_id",
            "EXISTS (SELECT 1 FROM customer WHERE customer_id = s.customer_id)",
            "a customer_id present in the database or in this import",
        ),
        Ref(
            "collector",
            "EXISTS (SELECT 1 FROM staff_user WHERE username = s.collector)",
            "the username of a staff account (create it with `collectui users add`)",
        ),
    ],
    row_check=_loan_dates,
    customer_sql="s.customer_id",
    kept=_kept_collectors,
    file_names=("贷款", "借据"),
)

_LOAN_REF = Ref(
    "loan_id",
    "EXISTS (SELECT 1 FROM loan WHERE loan_id = s.loan_id)",
    "a loan_id present in the database or in this import",
)
_LOAN_CUSTOMER = "(SELECT customer_id FROM loan WHERE loan_id = s.loan_id)"

SCHEDULE = KindSpec(
    name="schedule",
    table="instalment",
    order=40,
    columns=[
        LOAN_ID,
        Column("seq", v.parse_seq, True, ("期次", "期数", "期号"), sql_type="INTEGER"),
        Column("due_date", v.parse_date_iso, True, ("应还日期", "应还款日期")),
        Column("principal_due", v.parse_money_fen, True, ("应还本金",), sql_type="INTEGER", show=fmt_fen),
        Column("interest_due", v.parse_money_fen, True, ("应还利息",), sql_type="INTEGER", show=fmt_fen),
    ],
    key=("loan_id", "seq"),
    targets=[
        Target("due_date", "s.due_date"),
        Target("principal_due_fen", "s.principal_due", needs=("principal_due",), show=fmt_fen),
        Target("interest_due_fen", "s.interest_due", needs=("interest_due",), show=fmt_fen),
    ],
    refs=[_LOAN_REF],
    customer_sql=_LOAN_CUSTOMER,
    file_names=("schedules", "instalments", "还款计划"),
)

PAYMENTS = KindSpec(
    name="payments",
    table="payment",
    order=50,
    columns=[
        Column("payment_id", v.parse_key, True, ("流水号", "交易流水号", "还款流水号")),
        LOAN_ID,
        Column("paid_on", v.parse_date_iso, True, ("还款日期", "交易日期")),
        Column("amount", v.parse_money_positive, True, ("还款金额", "交易金额"), sql_type="INTEGER", show=fmt_fen),
        Column("channel", lambda x: v.parse_text(x, 40), False, ("渠道", "还款渠道")),
    ],
    key=("payment_id",),
    targets=[
        Target("loan_id", "s.loan_id", immutable=True),
        Target("paid_on", "s.paid_on", immutable=True),
        Target("amount_fen", "s.amount", needs=("amount",), immutable=True, show=fmt_fen),
        Target("channel", "s.channel"),
    ],
    refs=[_LOAN_REF],
    customer_sql=_LOAN_CUSTOMER,
    file_names=("还款",),
)

for _spec in (CUSTOMERS, CONTACTS, LOANS, SCHEDULE, PAYMENTS):
    register_kind(_spec, replace=True)
