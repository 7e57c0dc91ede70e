"""Import rules on the service: formats, errors, atomicity, idempotence, audit, refresh."""

from __future__ import annotations

import json
import shutil

import pytest

from collectui.domain.audit import verify
from collectui.domain.importing import FileProblem, ImportOptions, import_file, import_folder
from tests.support.importing import (
    CUSTOMERS_HEADER,
    ID1,
    ID2,
    SEEDS,
    add_collectors,
    business_rows,
    fingerprint,
    one_customer_line,
    write,
)

LOANS_HEADER = "loan_id,customer_id,product,principal,disbursed_on,maturity_date,annual_rate,status,collector\n"
SCHEDULE_HEADER = "loan_id,seq,due_date,principal_due,interest_due\n"
PAYMENTS_HEADER = "payment_id,loan_id,paid_on,amount,channel\n"


def q(db, sql, *args):
    with db.raw_read() as conn:  # the database's own connection: the same test runs on PostgreSQL
        return [tuple(r) for r in conn.execute(sql, args).fetchall()]


def base_bank(ctx, tmp_path):
    """One customer, one loan, two instalments (the first long overdue), nothing paid."""
    write(tmp_path / "customers.csv", CUSTOMERS_HEADER + one_customer_line())
    write(tmp_path / "loans.csv", LOANS_HEADER + "L1,C1,农户贷,10000,2026-01-05,2027-01-05,4.35%,active,\n")
    write(tmp_path / "schedule.csv", SCHEDULE_HEADER + "L1,1,2026-06-05,5000,100\nL1,2,2027-01-05,5000,100\n")
    result = import_folder(ctx, tmp_path)
    assert result.exit_code == 0, result.errors
    return result


def assert_refused(ctx, kind, path, *fragments, options=None):
    """The import reports the errors (exit 1) and the database is exactly as before."""
    before = fingerprint(ctx.db)
    result = import_file(ctx, kind, path, options)
    assert result.exit_code == 1
    assert not result.committed
    text = "\n".join(result.errors)
    for fragment in fragments:
        assert fragment in text, text
    assert fingerprint(ctx.db) == before
    return result


# ---- the sample sets ------------------------------------------------------------------------------------


def test_the_fingerprint_sees_a_change_in_any_table(ctx):
    # The "nothing was written" tests compare fingerprints: one that missed a change would pass them all.
    before, rows = fingerprint(ctx.db), business_rows(ctx.db)
    with ctx.db.raw_write() as raw:
        raw.execute("INSERT INTO branch(name) VALUES ('新支行')")
    assert fingerprint(ctx.db) != before and business_rows(ctx.db) != rows


@pytest.mark.parametrize("folder", ["utf8-en", "gb18030-zh", "xlsx"])
def test_each_seed_set_imports_cleanly(ctx, folder):
    add_collectors(ctx)
    result = import_folder(ctx, SEEDS / folder)
    assert result.exit_code == 0, result.errors
    assert [k.kind for k in result.kinds] == ["customers", "contacts", "loans", "schedule", "payments"]
    assert all(k.inserted == k.read > 0 for k in result.kinds)
    assert q(ctx.db, "SELECT COUNT(*) FROM work_item")[0][0] > 0  # some borrowers are overdue
    with ctx.db.read() as s:
        assert verify(s).ok


def test_the_three_seed_sets_give_the_same_database(tmp_path, ctx, clock):
    from collectui.domain.context import Ctx
    from collectui.domain.policy import Policy
    from collectui.storage.engine import Database

    dumps = []
    for folder in ("utf8-en", "gb18030-zh", "xlsx"):
        db = Database(tmp_path / f"{folder}.db")
        db.create_schema()
        c = Ctx(db, clock, Policy())
        add_collectors(c)
        assert import_folder(c, SEEDS / folder).exit_code == 0
        dumps.append(business_rows(db))
        db.dispose()
    assert dumps[0] == dumps[1] == dumps[2]


def test_reimport_changes_nothing_and_other_sets_are_unchanged(ctx):
    add_collectors(ctx)
    import_folder(ctx, SEEDS / "utf8-en")
    rows = business_rows(ctx.db)
    events = q(ctx.db, "SELECT COUNT(*) FROM audit_event WHERE action LIKE 'import.%.update'")[0][0]
    for folder in ("utf8-en", "gb18030-zh", "xlsx"):
        result = import_folder(ctx, SEEDS / folder)
        assert all(k.unchanged == k.read and not (k.inserted or k.updated) for k in result.kinds), folder
    assert business_rows(ctx.db) == rows
    assert q(ctx.db, "SELECT COUNT(*) FROM audit_event WHERE action LIKE 'import.%.update'")[0][0] == events


# ---- columns, aliases, formats --------------------------------------------------------------------------


def test_chinese_aliases_free_order_and_unknown_columns(ctx, tmp_path):
    text = "备注,所属机构,手机号,证件号码,姓名,客户号\n无,城关支行,+86 138 1234 5678,11010119900307002x,张三,C1\n"
    result = import_file(ctx, "customers", write(tmp_path / "c.csv", text, "gb18030"))
    assert result.exit_code == 0
    assert result.kinds[0].encoding == "gb18030"
    assert any("备注" in w and "ignored" in w for w in result.kinds[0].warnings)
    assert q(ctx.db, "SELECT customer_id, id_number, phone FROM customer") == [("C1", ID1, "13812345678")]


def test_alias_holds_in_every_kind(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    text = '交易流水号,借据号,还款日期,还款金额\nP1,L1,2026年6月5日,"￥5,100.00"\n'
    assert import_file(ctx, "payments", write(tmp_path / "p.csv", text)).exit_code == 0
    assert q(ctx.db, "SELECT payment_id, loan_id, paid_on, amount_fen FROM payment") == [
        ("P1", "L1", "2026-06-05", 510000)
    ]


def test_bom_tab_separated_and_quoted_newlines(ctx, tmp_path):
    text = (
        "\ufeffcustomer_id\tname\tid_number\tphone\taddress\tbranch\n"
        "C1\t张三\t" + ID1 + '\t13812345678\t"文三路1号\n2幢, 3单元"\t城关支行\n'
        "C2\t李四\t" + ID2 + "\t13812345679\t人民路\t新街支行\n"
    )
    assert import_file(ctx, "customers", write(tmp_path / "c.tsv", text)).exit_code == 0
    assert q(ctx.db, "SELECT address FROM customer WHERE customer_id='C1'") == [("文三路1号\n2幢, 3单元",)]


def test_line_numbers_are_physical_lines_after_a_multiline_record(ctx, tmp_path):
    text = CUSTOMERS_HEADER + f'C1,张三,{ID1},13812345678,"a\nb\nc",城关支行,0,0\n' + one_customer_line("C2", "bad-id")
    result = assert_refused(ctx, "customers", write(tmp_path / "c.csv", text), "c.csv:5: column id_number")
    assert result.errors_total == 1


def test_header_only_imports_nothing_and_exits_0(ctx, tmp_path):
    result = import_file(ctx, "customers", write(tmp_path / "c.csv", CUSTOMERS_HEADER))
    assert result.exit_code == 0 and result.kinds[0].read == 0


@pytest.mark.parametrize(
    "name,content,fragment",
    [
        ("c.csv", b"", "empty file"),
        (
            "c.csv",
            b"customer_id,name,phone,branch\nC1,x,13812345678,b\n",
            "required column missing for customers: id_number",
        ),
        ("c.xls", b"whatever", "unsupported format"),
        ("c.xlsx", b"not a zip", "not an .xlsx"),
        ("c.csv", b"PK\x03\x04rest", "Excel workbook"),
        ("c.csv", b"customer_id,\xff\xfe\x00name\n", "cannot read the text encoding"),
    ],
)
def test_file_level_problems_exit_2_and_change_nothing(ctx, tmp_path, name, content, fragment):
    before = fingerprint(ctx.db)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileProblem) as info:
        import_file(ctx, "customers", path)
    assert fragment in str(info.value)
    assert info.value.exit_code == 2
    assert fingerprint(ctx.db) == before


def test_unknown_kind_and_missing_file(ctx, tmp_path):
    with pytest.raises(FileProblem, match="unknown kind"):
        import_file(ctx, "borrowers", tmp_path / "x.csv")
    with pytest.raises(FileProblem, match="no such file"):
        import_file(ctx, "customers", tmp_path / "x.csv")


def test_wrong_explicit_encoding_is_a_file_problem(ctx, tmp_path):
    path = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line(), "gb18030")
    before = fingerprint(ctx.db)
    with pytest.raises(FileProblem, match="not valid"):
        import_file(ctx, "customers", path, ImportOptions(encoding="utf-8"))
    assert fingerprint(ctx.db) == before
    assert import_file(ctx, "customers", path, ImportOptions(encoding="gb18030")).exit_code == 0


# ---- bad rows: message, masking, nothing written --------------------------------------------------------


@pytest.mark.parametrize(
    "line,fragment",
    [
        (
            one_customer_line(idn="110101199003070039"),
            "column id_number: value '1*************0039' — expected an 18-character",
        ),
        (one_customer_line(phone="12812345678"), "column phone: value '1281*****78' — expected a mobile"),
        (one_customer_line(branch=""), "column branch: empty — expected a value (required)"),
        ("C1,张三," + ID1 + ",13812345678,,城关支行,maybe,0\n", "column do_not_call: value 'maybe' — expected 1/0"),
    ],
)
def test_bad_customer_rows(ctx, tmp_path, line, fragment):
    path = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line("C0", ID2) + line)
    result = assert_refused(ctx, "customers", path, "c.csv:3: " + fragment)
    assert "110101199003070039" not in "\n".join(result.errors)
    assert "12812345678" not in "\n".join(result.errors)


@pytest.mark.parametrize(
    "row,fragment",
    [
        (
            "L2,C1,p,10000,2026-02-30,2027-01-05,,active,",
            "column disbursed_on: value '2026-02-30' — expected a real calendar date",
        ),
        ("L2,C1,p,-5,2026-01-05,2027-01-05,,active,", "column principal: value '-5' — expected an amount"),
        ("L2,C1,p,12.345,2026-01-05,2027-01-05,,active,", "at most 2 decimals"),
        ("L2,C1,p,abc,2026-01-05,2027-01-05,,active,", "column principal: value 'abc'"),
        (
            "L2,C1,p,100,2026-01-05,2027-01-05,4.35,active,",
            "column annual_rate: value '4.35' — expected an annual rate",
        ),
        ("L2,C1,p,100,2026-01-05,2027-01-05,,paused,", "column status: value 'paused' — expected a loan status"),
        (
            "L2,C1,p,100,2026-01-05,2025-01-05,,active,",
            "column maturity_date: value '2025-01-05' — expected a maturity date on or after",
        ),
        (
            "L2,C9,p,100,2026-01-05,2027-01-05,,active,",
            "column customer_id: value 'C9' — expected a customer_id present",
        ),
        (
            "L2,C1,p,100,2026-01-05,2027-01-05,,active,nobody",
            "column collector: value 'nobody' — expected the username",
        ),
        (
            "L1,C1,p,100,2026-01-05,2027-01-05,,active,\nL1,C1,p,200,2026-01-05,2027-01-05,,active,",
            "c.csv:3: column loan_id: value 'L1' — expected a key used once in the file (already on line 2)",
        ),
    ],
)
def test_bad_loan_rows_change_nothing(ctx, tmp_path, row, fragment):
    base_bank(ctx, tmp_path)
    assert_refused(ctx, "loans", write(tmp_path / "c.csv", LOANS_HEADER + row + "\n"), fragment)


def test_errors_are_capped_with_a_total(ctx, tmp_path):
    rows = "".join(f"L1,{i},2026-02-30,1,1\n" for i in range(1, 80))
    base_bank(ctx, tmp_path)
    result = assert_refused(ctx, "schedule", write(tmp_path / "s.csv", SCHEDULE_HEADER + rows))
    assert result.errors_total == 79 and len(result.errors) == 50


def test_schedule_references_and_duplicates(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    assert_refused(
        ctx,
        "schedule",
        write(tmp_path / "s.csv", SCHEDULE_HEADER + "L9,1,2026-06-05,1,1\n"),
        "column loan_id: value 'L9' — expected a loan_id present in the database or in this import",
    )
    assert_refused(
        ctx,
        "schedule",
        write(tmp_path / "s.csv", SCHEDULE_HEADER + "L1,3,2026-06-05,1,1\nL1,3,2026-07-05,1,1\n"),
        "s.csv:3: column loan_id, seq: value 'L1', '3' — expected a key used once",
    )


def test_references_resolve_within_the_same_folder_import(ctx, tmp_path):
    add_collectors(ctx)
    write(tmp_path / "payments.csv", PAYMENTS_HEADER + "P1,L1,2026-06-05,5100,柜面\n")
    write(tmp_path / "loans.csv", LOANS_HEADER + "L1,C1,农户贷,10000,2026-01-05,2027-01-05,0.0435,正常,wang.fang\n")
    write(tmp_path / "customers.csv", CUSTOMERS_HEADER + one_customer_line(branch="全新支行"))
    result = import_folder(ctx, tmp_path)
    assert result.exit_code == 0, result.errors
    assert [k.kind for k in result.kinds] == ["customers", "loans", "payments"]
    assert result.kinds[0].branches_created == 1
    assert q(ctx.db, "SELECT b.name FROM customer c JOIN branch b ON b.id = c.branch_id") == [("全新支行",)]
    assert q(ctx.db, "SELECT u.username, l.rate_ppm FROM loan l JOIN staff_user u ON u.id = l.collector_id") == [
        ("wang.fang", 43500)
    ]


def test_folder_with_two_files_of_one_kind_is_a_file_problem(ctx, tmp_path):
    write(tmp_path / "customers.csv", CUSTOMERS_HEADER)
    write(tmp_path / "customers_20261128.tsv", CUSTOMERS_HEADER)
    with pytest.raises(FileProblem, match="two files for customers"):
        import_folder(ctx, tmp_path)


def test_a_bad_file_in_a_folder_rolls_back_the_good_ones(ctx, tmp_path):
    write(tmp_path / "customers.csv", CUSTOMERS_HEADER + one_customer_line())
    write(tmp_path / "loans.csv", LOANS_HEADER + "L1,C1,p,10000,2026-01-05,2027-01-05,,closed?,\n")
    before = fingerprint(ctx.db)
    result = import_folder(ctx, tmp_path)
    assert result.exit_code == 1 and result.kinds[0].inserted == 1  # counted, then rolled back
    assert fingerprint(ctx.db) == before


# ---- updates, audit, payments ---------------------------------------------------------------------------


def test_changed_row_is_updated_and_audited_without_personal_values(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    text = CUSTOMERS_HEADER + f"C1,张三,{ID1},13912345678,浙江省杭州市西湖区文三路1号,城关支行,0,1\n"
    result = import_file(ctx, "customers", write(tmp_path / "c2.csv", text))
    assert (result.kinds[0].updated, result.kinds[0].unchanged) == (1, 0)
    assert q(ctx.db, "SELECT phone, vulnerable FROM customer") == [("13912345678", 1)]
    (details,) = q(
        ctx.db, "SELECT details FROM audit_event WHERE action = 'import.customers.update' AND target_id = 'C1'"
    )[0]
    data = json.loads(details)
    assert sorted(data["changed"]) == ["phone", "vulnerable"]
    assert data["values"] == {"vulnerable": ["0", "1"]}
    # Neither number, nor any 7-digit run of either (the details carry the file's path, whose temp directory
    # name may hold "138" by chance: a 3-digit check failed now and then).
    for number in ("13812345678", "13912345678"):
        assert not any(number[i : i + 7] in details for i in range(len(number) - 6)), number
    with ctx.db.read() as s:
        assert verify(s).ok


def test_import_event_per_kind(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    actions = [r[0] for r in q(ctx.db, "SELECT action FROM audit_event WHERE action LIKE 'import.%' ORDER BY id")]
    assert actions == ["import.customers", "import.loans", "import.schedule"]


def test_export_zero_never_clears_do_not_call(ctx, tmp_path):
    write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line().replace(",0,0", ",1,0"))
    import_file(ctx, "customers", tmp_path / "c.csv")
    result = import_file(ctx, "customers", write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line()))
    assert result.kinds[0].unchanged == 1
    assert q(ctx.db, "SELECT do_not_call FROM customer") == [(1,)]


def test_payment_is_a_fact(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    path = write(tmp_path / "p.csv", PAYMENTS_HEADER + "P1,L1,2026-06-05,5100,柜面\n")
    assert import_file(ctx, "payments", path).kinds[0].inserted == 1
    assert import_file(ctx, "payments", path).kinds[0].unchanged == 1
    assert_refused(
        ctx,
        "payments",
        write(tmp_path / "p.csv", PAYMENTS_HEADER + "P1,L1,2026-06-05,5200,柜面\n"),
        "column amount: value '5200.00' — expected 5100.00, as already recorded",
    )
    assert_refused(
        ctx,
        "payments",
        write(tmp_path / "p.csv", PAYMENTS_HEADER + "P1,L1,2026-06-06,5100,柜面\n"),
        "column paid_on: value '2026-06-06' — expected 2026-06-05",
    )
    result = import_file(ctx, "payments", write(tmp_path / "p.csv", PAYMENTS_HEADER + "P1,L1,2026-06-05,5100,代扣\n"))
    assert result.kinds[0].updated == 1


# ---- options ----------------------------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(ctx, tmp_path):
    before = fingerprint(ctx.db)
    path = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())
    result = import_file(ctx, "customers", path, ImportOptions(dry_run=True))
    assert result.exit_code == 0 and result.kinds[0].inserted == 1 and not result.committed
    assert fingerprint(ctx.db) == before


def test_skip_invalid_writes_valid_rows_and_a_rejects_file(ctx, tmp_path):
    text = (
        CUSTOMERS_HEADER
        + one_customer_line("C1")
        + one_customer_line("C2", "110101199003070039")
        + one_customer_line("C1", ID2)
    )
    path = write(tmp_path / "c.csv", text)
    result = import_file(ctx, "customers", path, ImportOptions(skip_invalid=True))
    assert result.exit_code == 1 and result.committed
    k = result.kinds[0]
    assert (k.read, k.inserted, k.rejected) == (3, 1, 2)
    rejects = (tmp_path / "c.rejects.csv").read_text("utf-8-sig").splitlines()
    assert rejects[0] == CUSTOMERS_HEADER.strip() + ",_line,_errors"
    assert rejects[1].startswith("C2,张三,110101199003070039,") and ",3,column id_number" in rejects[1]
    assert ",4,column customer_id: value 'C1' — expected a key used once in the file (already on line 2)" in rejects[2]
    assert q(ctx.db, "SELECT customer_id FROM customer") == [("C1",)]
    again = import_file(ctx, "customers", tmp_path / "c.rejects.csv")  # the extra columns are ignored
    assert any("_errors" in w for w in again.kinds[0].warnings)


def test_skip_invalid_rejects_path_option(ctx, tmp_path):
    path = write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line("C2", "bad"))
    target = tmp_path / "out" / "r.csv"
    result = import_file(ctx, "customers", path, ImportOptions(skip_invalid=True, rejects=target))
    assert result.kinds[0].rejects_file == str(target) and target.exists()


# ---- xlsx -------------------------------------------------------------------------------------------------


def test_xlsx_messages_name_sheet_and_row_and_id_number_cells(ctx, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    ws.append(["客户号", "姓名", "身份证号", "手机号", "网点"])
    ws.append(["C1", "张三", ID1, 13812345678, "城关支行"])
    ws.append(["C2", "李四", 110101199003070038, 13812345679, "城关支行"])
    wb.save(tmp_path / "c.xlsx")
    result = assert_refused(
        ctx,
        "customers",
        tmp_path / "c.xlsx",
        "c.xlsx (sheet 客户, row 3): column 身份证号: value",
        "format the column as text",
    )
    assert result.errors_total == 1
    ws.delete_rows(3)
    wb.save(tmp_path / "c.xlsx")
    assert import_file(ctx, "customers", tmp_path / "c.xlsx").exit_code == 0
    assert q(ctx.db, "SELECT phone FROM customer") == [("13812345678",)]


# ---- refresh ----------------------------------------------------------------------------------------------


def test_overdue_figures_follow_the_import(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    assert q(ctx.db, "SELECT customer_id, max_dpd FROM work_item") == [("C1", 176)]  # due 2026-06-05
    write(tmp_path / "p.csv", PAYMENTS_HEADER + "P1,L1,2026-11-20,5100,柜面\n")
    result = import_file(ctx, "payments", tmp_path / "p.csv")
    assert result.refreshed != "none"
    assert q(ctx.db, "SELECT COUNT(*) FROM work_item")[0][0] == 0
    assert q(ctx.db, "SELECT dpd, overdue_fen FROM loan_state WHERE loan_id = 'L1'") == [(0, 0)]


def test_seed_copy_with_rejects_default_beside_input(ctx, tmp_path):
    folder = tmp_path / "set"
    shutil.copytree(SEEDS / "utf8-en", folder)
    # Without the collector accounts the loans naming them are rejected; the rest goes in with --skip-invalid.
    result = import_folder(ctx, folder, ImportOptions(skip_invalid=True))
    loans = next(k for k in result.kinds if k.kind == "loans")
    assert loans.rejected > 0 and (folder / "loans.rejects.csv").exists()
    assert result.exit_code == 1 and result.committed


# ---- pluggable kinds --------------------------------------------------------------------------------------


def test_another_module_can_register_a_kind(ctx, tmp_path):
    from collectui.domain.importing import Column, KindSpec, Ref, Target, register_kind, unregister_kind
    from collectui.domain.importing import values as v

    spec = KindSpec(
        name="optouts",
        table="sms_opt_out",
        order=60,
        columns=[
            Column("phone", v.parse_phone, True, ("退订号码",), sensitive="phone"),
            Column("customer_id", v.parse_key, False),
            Column("source", lambda x: v.parse_text(x, 20), True, ("来源",)),
        ],
        key=("phone",),
        targets=[Target("source", "s.source")],
        refs=[Ref("customer_id", "EXISTS (SELECT 1 FROM customer WHERE customer_id = s.customer_id)", "a customer")],
        insert_extra={"at": ":now"},
    )
    register_kind(spec)
    try:
        with pytest.raises(ValueError, match="already means"):
            register_kind(
                KindSpec(
                    name="x", table="t", key=("a",), targets=[], columns=[Column("a", v.parse_key, True, ("退订号码",))]
                )
            )
        result = import_file(ctx, "optouts", write(tmp_path / "o.csv", "退订号码,来源\n+86 138 1234 5678,短信\n"))
        assert result.exit_code == 0 and result.kinds[0].inserted == 1
        assert q(ctx.db, "SELECT phone, source FROM sms_opt_out") == [("13812345678", "短信")]
        assert_refused(
            ctx,
            "optouts",
            write(tmp_path / "o.csv", "phone,source,customer_id\n13812345678,x,C9\n"),
            "column customer_id: value 'C9' — expected a customer",
        )
    finally:
        unregister_kind("optouts")
    assert "退订号码" not in __import__("collectui.domain.importing", fromlist=["ALIASES"]).ALIASES


def test_contacts_relation_and_reference(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    header = "联系人编号,客户号,姓名,关系,联系电话\n"
    ok = import_file(ctx, "contacts", write(tmp_path / "k.csv", header + "K1,C1,李四,配偶,139-1234-5678\n", "gb18030"))
    assert ok.exit_code == 0
    assert q(ctx.db, "SELECT relation, phone FROM contact") == [("spouse", "13912345678")]
    assert_refused(
        ctx,
        "contacts",
        write(tmp_path / "k.csv", header + "K2,C9,李四,配偶,13912345678\nK3,C1,王五,朋友,13912345678\n"),
        "column 客户号: value 'C9' — expected a customer_id present",
        "column 关系: value '朋友' — expected a relation",
    )


def test_rows_pointing_at_a_rejected_row_are_rejected_too(ctx, tmp_path):
    write(tmp_path / "customers.csv", CUSTOMERS_HEADER + one_customer_line())
    write(
        tmp_path / "loans.csv",
        LOANS_HEADER + "L1,C1,p,10000,2026-01-05,2027-01-05,,active,\nL2,C1,p,-1,2026-01-05,2027-01-05,,active,\n",
    )
    write(tmp_path / "schedule.csv", SCHEDULE_HEADER + "L1,1,2026-06-05,5000,100\nL2,1,2026-06-05,5000,100\n")
    result = import_folder(ctx, tmp_path, ImportOptions(skip_invalid=True))
    assert [(k.kind, k.inserted, k.rejected) for k in result.kinds] == [
        ("customers", 1, 0),
        ("loans", 1, 1),
        ("schedule", 1, 1),
    ]
    assert any("schedule.csv:3: column loan_id: value 'L2'" in e for e in result.errors)
    assert q(ctx.db, "SELECT loan_id FROM instalment") == [("L1",)]


def test_gb18030_detected_when_chinese_text_only_comes_late(ctx, tmp_path):
    base_bank(ctx, tmp_path)
    rows = "".join(f"P{i},L1,2026-06-05,1.00,atm\n" for i in range(3000)) + "P9999,L1,2026-06-05,1.00,手机银行\n"
    result = import_file(ctx, "payments", write(tmp_path / "p.csv", PAYMENTS_HEADER + rows, "gb18030"))
    assert result.exit_code == 0 and result.kinds[0].encoding == "gb18030"
    assert q(ctx.db, "SELECT channel FROM payment WHERE payment_id = 'P9999'") == [("手机银行",)]


def test_blank_and_comma_only_lines_are_skipped(ctx, tmp_path):
    text = CUSTOMERS_HEADER + "\n,,,,,,,\n" + one_customer_line() + " ,, ,\n\n"
    result = import_file(ctx, "customers", write(tmp_path / "c.csv", text))
    assert result.exit_code == 0 and result.kinds[0].read == 1
