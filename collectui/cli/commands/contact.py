"""`collectui contact ...`: a borrower's numbers and third-party contacts learned on calls, listed masked."""

from __future__ import annotations

import typer

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.output import Format, emit_rows
from collectui.cli.values import MAX_ID
from collectui.domain.errors import UsageError
from collectui.domain.portfolio import contacts as contacts_svc
from collectui.domain.said import said

RELATIONS = " | ".join(contacts_svc.THIRD_PARTY_RELATIONS)
contact_app = typer.Typer(help="A borrower's other numbers and third-party contacts.", no_args_is_help=True)


@contact_app.command("add")
def contact_add(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower."),
    phone: str = typer.Option(..., "--phone", help="The number: a mobile (+86 allowed) or a landline with area code."),
    name: str | None = typer.Option(
        None, "--name", help="A third party's name; leave it out for another number of the borrower herself."
    ),
    relation: str | None = typer.Option(None, "--relation", help=f"With --name: {RELATIONS}"),
    call: int | None = typer.Option(None, "--call", min=1, max=MAX_ID, help="The call it was learned on."),
) -> None:
    """Add a number learned on a call (marked unverified: not from core banking); audited, masked."""
    if name is None and relation is not None:
        english = "--relation goes with --name (a third party); without --name the number is the borrower's own"
        raise UsageError(said("cli.err.relation_needs_name", english))
    if name is not None and relation is None:
        english = f"a third party needs --relation ({RELATIONS})"
        raise UsageError(said("cli.err.name_needs_relation", english, relations=RELATIONS))
    st = state(ctx)
    c, actor = st.ctx(), st.actor()
    if name is None:
        contact_id = contacts_svc.add_number(c, actor, customer_id, phone, call)
    else:
        contact_id = contacts_svc.add_contact(c, actor, customer_id, name, relation or "", phone, call)
    origin = lang.t("cli.contact.from_call", call=call) if call is not None else lang.t("cli.contact.by_staff")
    out.print(lang.t("cli.contact.added", id=contact_id, customer=customer_id, origin=origin), markup=False)


@contact_app.command("list")
def contact_list(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower."),
    fmt: Format = typer.Option(Format.table, "--format", help="table | json | csv"),
) -> None:
    """The borrower's own number, her other numbers and her contacts, masked; "debtor" is her own number."""
    st = state(ctx)
    views = contacts_svc.list_numbers(st.ctx(), st.actor(), customer_id)
    rows: list[dict[str, object]] = [
        {
            "contact": v.contact_id,
            "relation": v.relation,  # None: the number on the customer row, her own
            "name": v.name,
            "phone": v.phone,
            "invalid": v.phone_invalid,
            "refused": v.refused_calls,
            "unverified": v.unverified,
            "source": v.source,
            "from_call": v.from_call_id,
            "added_by": v.added_by,
            "added_at": v.added_at.astimezone(st.ctx().clock.tz).isoformat(timespec="minutes") if v.added_at else None,
        }
        for v in views
    ]
    if fmt is Format.table:  # one "state" column, so the table fits 80 columns
        for r in rows:
            r["state"] = lang.t("cli.list_sep").join(_states(r)) or "-"
            r["relation"] = _relation_words(r["relation"])
            r["contact"] = lang.t("cli.check.debtor") if r["contact"] == contacts_svc.DEBTOR else r["contact"]
        cols = ["contact", "relation", "name", "phone", "state"]
    else:
        cols = ["contact", "relation", "name", "phone", "invalid", "refused", "unverified", "source", "from_call"]
        cols += ["added_by", "added_at"]
    emit_rows(rows, cols, fmt, title=lang.t("cli.contact.title", customer=customer_id))


def _states(row: dict[str, object]) -> list[str]:
    states = [lang.t(f"cli.contact.state.{word}") for word in ("invalid", "refused") if row[word]]
    if row["unverified"]:
        call = row["from_call"]
        if call is not None:
            states.append(lang.t("cli.contact.unverified_call", call=call))
        else:
            states.append(lang.t("cli.contact.unverified_by", by=row["added_by"]))
    return states


def _relation_words(relation: object) -> str:
    """A third party's relation by name in Chinese (its code in English); the borrower's own number."""
    if not relation:
        return lang.t("cli.contact.own")
    words = lang.t(f"rel.{relation}")
    return str(relation) if lang.lang() == "en" or words == f"rel.{relation}" else words


@contact_app.command("mark")
def contact_mark(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The borrower."),
    contact: str = typer.Option(
        contacts_svc.DEBTOR, "--contact", help="A contact id from `contact list` (default: the borrower's own number)."
    ),
    invalid: bool | None = typer.Option(
        None, "--invalid/--valid", help="Mark the number invalid (the gate refuses it), or valid again."
    ),
    reason: str = typer.Option(..., "--reason", help="Why (no numbers in it)."),
) -> None:
    """Mark a number invalid or valid again (supervisor/admin); audited."""
    if invalid is None:
        raise UsageError(said("cli.err.invalid_or_valid", "say --invalid or --valid"))
    st = state(ctx)
    contacts_svc.mark_number(st.ctx(), st.actor(), customer_id, contact, invalid, reason)
    key = "cli.contact.marked_invalid" if invalid else "cli.contact.marked_valid"
    out.print(lang.t(key, customer=customer_id, contact=contact), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(contact_app, name="contact")
