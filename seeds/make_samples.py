"""Write the sample bank export in three forms that must import to the same database.

- seeds/utf8-en/     UTF-8, English headers, ISO dates, plain amounts (customers.csv with quoted commas/newline)
- seeds/gb18030-zh/  GB18030, Chinese headers, dates and amounts written the other ways, schedule as TSV
- seeds/xlsx/        .xlsx workbooks: real date cells, phones as number cells, ID numbers as text

The bank: 3 branches, 24 borrowers (valid GB 11643 ID numbers), 30 loans of 12 monthly instalments,
payments up to 2026-11-28 with some borrowers behind (1 to 200+ days past due). Loans name the collectors
``wang.fang`` and ``li.qiang``: create those accounts before importing (README, "Importing").

    python seeds/make_samples.py        # rewrites the three folders (deterministic)
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
AS_OF = date(2026, 11, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"]
BRANCHES = ["城关支行", "新街支行", "江口支行"]
STREETS = ["文三路", "解放路", "人民路", "建设路", "沿江路"]
PRODUCTS = ["农户小额信用贷款", "个体工商户经营贷", "助农消费贷"]
COLLECTORS = ["wang.fang", "li.qiang", ""]
RELATIONS = [("guarantor", "担保人"), ("spouse", "配偶"), ("relative", "亲属"), ("emergency", "紧急联系人")]


def id_number(rng: random.Random) -> str:
    region = rng.choice(["330106", "330122", "330183", "110101", "440304"])
    born = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + ID_CHECK[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, min(d.day, 28))


def build() -> dict[str, list[dict]]:
    rng = random.Random(20261128)
    customers, contacts, loans, schedule, payments = [], [], [], [], []
    ids = []
    while len(ids) < 24:
        value = id_number(rng)
        if len(ids) < 3 and not value.endswith("X"):
            continue  # make sure some check characters are X
        ids.append(value)
    for i in range(24):
        landline = i % 7 == 3
        phone = (
            f"0571{rng.randint(80000000, 89999999)}"
            if landline
            else f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"
        )
        address = f"浙江省杭州市西湖区{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        if i == 1:
            address += ", 3单元"  # a comma inside a field
        if i == 2:
            address += "\n2幢"  # a newline inside a field
        customers.append(
            {
                "customer_id": f"C{i + 1:04d}",
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "id_number": ids[i],
                "phone": phone,
                "address": address,
                "branch": BRANCHES[i % 3],
                "do_not_call": 1 if i == 5 else 0,
                "vulnerable": 1 if i == 7 else 0,
            }
        )
        if i % 3 == 0:
            rel = RELATIONS[i % 4]
            contacts.append(
                {
                    "contact_id": f"K{i + 1:04d}",
                    "customer_id": f"C{i + 1:04d}",
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "relation": rel,
                    "phone": f"13{rng.randint(0, 999999999):09d}",
                }
            )
    pay_no = 0
    for n in range(30):
        cust = customers[n % 24]["customer_id"]
        loan_id = f"L{2025000 + n + 1}"
        principal = rng.choice([10_000, 20_000, 50_000, 80_000, 120_000]) * 100 + rng.choice([0, 0, 50])
        rate_ppm = rng.choice([43_500, 52_000, 61_500])
        disbursed = date(2025, 10 + n % 3, rng.randint(1, 28)) if n % 2 else date(2026, 1 + n % 5, rng.randint(1, 28))
        status = "closed" if n == 29 else "active"
        loans.append(
            {
                "loan_id": loan_id,
                "customer_id": cust,
                "product": PRODUCTS[n % 3],
                "principal": principal,
                "disbursed_on": disbursed,
                "maturity_date": add_months(disbursed, 12),
                "rate_ppm": rate_ppm,
                "status": status,
                "collector": COLLECTORS[n % 3],
            }
        )
        base, rest = divmod(principal, 12)
        remaining = principal
        due_list = []
        for seq in range(1, 13):
            p = base + (rest if seq == 12 else 0)
            interest = remaining * rate_ppm // 12 // 1_000_000
            remaining -= p
            due = add_months(disbursed, seq)
            schedule.append(
                {"loan_id": loan_id, "seq": seq, "due_date": due, "principal_due": p, "interest_due": interest}
            )
            due_list.append((due, p + interest))
        # Behaviour: 0 pays everything due, 1 stops after k instalments, 2 pays part of one, 3 never paid.
        behaviour = [0, 1, 0, 2, 1, 0, 3, 1][n % 8] if n != 29 else 0
        past_due = sum(1 for due, _ in due_list if due <= AS_OF)
        stop = max(0, past_due - rng.choice([1, 1, 2, 3, 5, 8]))  # missed the last 1-8 instalments
        for k, (due, amount) in enumerate(due_list):
            if due > AS_OF or behaviour == 3 or (behaviour == 1 and k >= stop):
                break
            if behaviour == 2 and k == stop:
                amount //= 2
            pay_no += 1
            payments.append(
                {
                    "payment_id": f"P{pay_no:06d}",
                    "loan_id": loan_id,
                    "paid_on": due,
                    "amount": amount,
                    "channel": ["柜面", "手机银行", "代扣"][pay_no % 3],
                }
            )
            if behaviour == 2 and k == stop:
                break
    return {"customers": customers, "contacts": contacts, "loans": loans, "schedule": schedule, "payments": payments}


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def grouped(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


EN = {
    "customers": ["customer_id", "name", "id_number", "phone", "address", "branch", "do_not_call", "vulnerable"],
    "contacts": ["contact_id", "customer_id", "name", "relation", "phone"],
    "loans": [
        "loan_id",
        "customer_id",
        "product",
        "principal",
        "disbursed_on",
        "maturity_date",
        "annual_rate",
        "status",
        "collector",
    ],
    "schedule": ["loan_id", "seq", "due_date", "principal_due", "interest_due"],
    "payments": ["payment_id", "loan_id", "paid_on", "amount", "channel"],
}
ZH = {
    "customers": ["客户号", "姓名", "身份证号", "手机号", "地址", "所属机构", "勿扰", "特殊关怀"],
    "contacts": ["联系人编号", "客户号", "姓名", "关系", "联系电话"],
    "loans": ["借据号", "客户号", "产品名称", "贷款金额", "发放日期", "到期日期", "年利率", "状态", "催收员"],
    "schedule": ["借据号", "期次", "应还日期", "应还本金", "应还利息"],
    "payments": ["交易流水号", "借据号", "还款日期", "还款金额", "渠道"],
}
STATUS_ZH = {"active": "正常", "closed": "结清", "written_off": "核销"}


def en_row(kind: str, r: dict) -> list:
    if kind == "customers":
        return [
            r["customer_id"],
            r["name"],
            r["id_number"],
            r["phone"],
            r["address"],
            r["branch"],
            r["do_not_call"],
            r["vulnerable"],
        ]
    if kind == "contacts":
        return [r["contact_id"], r["customer_id"], r["name"], r["relation"][0], r["phone"]]
    if kind == "loans":
        return [
            r["loan_id"],
            r["customer_id"],
            r["product"],
            yuan(r["principal"]),
            r["disbursed_on"].isoformat(),
            r["maturity_date"].isoformat(),
            f"0.{r['rate_ppm']:06d}".rstrip("0"),
            r["status"],
            r["collector"],
        ]
    if kind == "schedule":
        return [r["loan_id"], r["seq"], r["due_date"].isoformat(), yuan(r["principal_due"]), yuan(r["interest_due"])]
    return [r["payment_id"], r["loan_id"], r["paid_on"].isoformat(), yuan(r["amount"]), r["channel"]]


def zh_date(d: date, i: int) -> str:
    return [f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日", f"{d:%Y%m%d}", f"{d:%Y-%m-%d}"][i % 4]


def zh_money(fen: int, i: int) -> str:
    return [f"¥{grouped(fen)}", f"{yuan(fen)}元", grouped(fen), f"￥{yuan(fen)}"][i % 4]


def zh_phone(phone: str, i: int) -> str:
    if phone.startswith("0"):
        return f"{phone[:4]}-{phone[4:]}"
    full = phone.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    return [f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", full, phone][i % 4]


def zh_row(kind: str, r: dict, i: int) -> list:
    flag = {0: "否", 1: "是"}
    if kind == "customers":
        idn = r["id_number"].lower() if i == 0 else r["id_number"]
        return [
            r["customer_id"],
            r["name"],
            idn,
            zh_phone(r["phone"], i),
            r["address"],
            r["branch"],
            flag[r["do_not_call"]],
            flag[r["vulnerable"]],
        ]
    if kind == "contacts":
        return [r["contact_id"], r["customer_id"], r["name"], r["relation"][1], zh_phone(r["phone"], i)]
    if kind == "loans":
        pct = f"{r['rate_ppm'] / 10_000:.4f}".rstrip("0").rstrip(".") + "%"
        return [
            r["loan_id"],
            r["customer_id"],
            r["product"],
            zh_money(r["principal"], i),
            zh_date(r["disbursed_on"], i),
            zh_date(r["maturity_date"], i + 1),
            pct,
            STATUS_ZH[r["status"]],
            r["collector"],
        ]
    if kind == "schedule":
        seq = str(r["seq"]).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}) if i % 9 == 0 else r["seq"]
        return [
            r["loan_id"],
            seq,
            zh_date(r["due_date"], i),
            zh_money(r["principal_due"], i),
            zh_money(r["interest_due"], i + 1),
        ]
    return [r["payment_id"], r["loan_id"], zh_date(r["paid_on"], i), zh_money(r["amount"], i), r["channel"]]


def xlsx_row(kind: str, r: dict) -> list:
    if kind == "customers":
        return [
            r["customer_id"],
            r["name"],
            r["id_number"],
            int(r["phone"]) if r["phone"][0] == "1" else r["phone"],
            r["address"],
            r["branch"],
            bool(r["do_not_call"]),
            r["vulnerable"],
        ]
    if kind == "contacts":
        return [r["contact_id"], r["customer_id"], r["name"], r["relation"][0], int(r["phone"])]
    if kind == "loans":
        return [
            r["loan_id"],
            r["customer_id"],
            r["product"],
            r["principal"] / 100 if r["principal"] % 100 else r["principal"] // 100,
            r["disbursed_on"],
            r["maturity_date"],
            r["rate_ppm"] / 1_000_000,
            r["status"],
            r["collector"] or None,
        ]
    if kind == "schedule":
        return [r["loan_id"], r["seq"], r["due_date"], r["principal_due"] / 100, r["interest_due"] / 100]
    return [r["payment_id"], r["loan_id"], r["paid_on"], r["amount"] / 100, r["channel"]]


def write_all(root: Path = ROOT) -> dict[str, list[dict]]:
    data = build()
    en_dir, zh_dir, xl_dir = root / "utf8-en", root / "gb18030-zh", root / "xlsx"
    for d in (en_dir, zh_dir, xl_dir):
        d.mkdir(parents=True, exist_ok=True)
    for kind, rows in data.items():
        with open(en_dir / f"{kind}.csv", "w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(EN[kind])
            out.writerows(en_row(kind, r) for r in rows)
        tsv = kind == "schedule"
        with open(zh_dir / f"{kind}.{'tsv' if tsv else 'csv'}", "w", encoding="gb18030", newline="") as fh:
            out = csv.writer(fh, delimiter="\t" if tsv else ",", lineterminator="\r\n")
            out.writerow(ZH[kind])
            out.writerows(zh_row(kind, r, i) for i, r in enumerate(rows))
        write_xlsx(xl_dir / f"{kind}.xlsx", kind, EN[kind], [xlsx_row(kind, r) for r in rows])
    return data


def write_xlsx(path: Path, kind: str, header: list[str], rows: list[list]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = kind
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    wb.save(path)


if __name__ == "__main__":
    written = write_all()
    print("wrote", ", ".join(f"{len(v)} {k}" for k, v in written.items()), "in", ROOT)
