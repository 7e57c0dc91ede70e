"""What each role may do, and the one check every privileged service makes: ``authorize``.

The matrix is a village bank's division of work (documented in docs/admin/access.md):

- collectors work the queue of their own branch: read it and the profile, run the gate, log calls, record
  feedback, open a complaint the borrower makes on the phone;
- trainees practise only (practice calls in a sandbox, the quiz) until certified; they read the policy;
- trainers do what a collector does on every branch (they teach on the demo and practice data), read every
  trainee's results and record certifications for others (``training.certify``, never their own);
- supervisors answer for a branch: everything a collector does, plus unmasking with a reason, deciding
  complaints and clearing their holds, late call entries, reminder SMS, reports (their branch's training
  results too), the audit trail and a read-only database check;
- admins run the installation: users, API tokens, the policy, imports, backups and restores, and every
  other permission, on every branch.

A branch-bound actor (a collector or supervisor, or a token given a branch) acts on its own branch only.
"""

from __future__ import annotations

from collectui.domain import audit
from collectui.domain.context import Ctx
from collectui.domain.errors import PermissionDenied
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor

PERMISSIONS: tuple[str, ...] = (
    "queue.read",
    "profile.read",
    "unmask",
    "check",
    "call.log",
    "call.late_entry",
    "feedback.add",
    "complaint.open",
    "contact.add",
    "plan.propose",
    "complaint.decide",
    "complaint.clear_hold",
    "plan.decide",
    "dispute.resolve",
    "assign",
    "customer.hours",
    "number.mark",
    "sms.plan",
    "sms.send",
    "sms.receipts",
    "import",
    "report.read",
    "users.manage",
    "token.manage",
    "policy.apply",
    "policy.read",
    "audit.verify",
    "audit.read",
    "db.backup",
    "db.check",
    "db.restore",
    "db.copy",
    "training.practice",
    "training.report",
    "training.certify",
)

_COLLECTOR = frozenset(
    {
        "queue.read",
        "profile.read",
        "check",
        "call.log",
        "feedback.add",
        "complaint.open",
        "contact.add",
        "plan.propose",
        "policy.read",
        "training.practice",
    }
)
_SUPERVISOR = _COLLECTOR | {
    "unmask",
    "call.late_entry",
    "complaint.decide",
    "complaint.clear_hold",
    "plan.decide",
    "dispute.resolve",
    "assign",
    "customer.hours",
    "number.mark",
    "sms.plan",
    "sms.send",
    "sms.receipts",
    "report.read",
    "audit.verify",
    "audit.read",
    "db.check",
    "training.report",
}
# A trainee only practises (sandbox calls and the quiz) until certified: no queue, no real calls.
_TRAINEE = frozenset({"training.practice", "policy.read"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "collector": _COLLECTOR,
    "trainer": _COLLECTOR | {"training.report", "training.certify"},
    "trainee": _TRAINEE,
    "supervisor": frozenset(_SUPERVISOR),
    "admin": frozenset(PERMISSIONS),
}

# Roles bound to the branch on their account; the others act on every branch.
BRANCH_BOUND_ROLES = ("collector", "supervisor")


def scope_covers(scope: str, permission: str) -> bool:
    """A token scope names a permission or a family of them: ``call`` covers ``call.log`` and ``call.late_entry``."""
    return scope == permission or permission.startswith(scope + ".")


def check_scopes(scopes: list[str], role: str | None = None) -> list[Said]:
    """The problems with a token's scope list, empty when every scope names a permission (or a family) and,
    given the token's ``role``, covers at least one permission of that role: a scope beyond the role would
    grant nothing, so it is refused rather than kept as a false promise."""
    problems = [
        said("error.staff.unknown_scope", f"unknown scope {s!r}", scope=s)
        for s in scopes
        if not any(scope_covers(s, p) for p in PERMISSIONS) or not s.strip()
    ]
    if role is not None and not problems:
        allowed = ROLE_PERMISSIONS.get(role, frozenset())
        problems = [
            said("error.staff.scope_beyond", f"scope {s} is beyond the role {role}", scope=s, role=_role(role))
            for s in scopes
            if not any(scope_covers(s, p) for p in allowed)
        ]
    return problems


def may(actor: Actor, permission: str) -> bool:
    """Whether the actor's role, and its token scopes if any, allow ``permission`` (branches aside)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    if permission not in ROLE_PERMISSIONS.get(actor.role, frozenset()):
        return False
    return actor.scopes is None or any(scope_covers(s, permission) for s in actor.scopes)


def bound_branch(actor: Actor) -> tuple[bool, str | None]:
    """(bound, branch): whether the actor is bound to one branch, and which (None: bound to none at all)."""
    if actor.via == "token" and actor.branch is not None:
        return True, actor.branch
    if actor.role in BRANCH_BOUND_ROLES:
        return True, actor.branch
    return False, None


def branch_allowed(actor: Actor, branch: str | None) -> bool:
    """Whether the actor may act on ``branch`` (None: the action is not about one branch)."""
    if branch is None:
        return True
    bound, own = bound_branch(actor)
    return not bound or own == branch


def authorize(ctx: Ctx, actor: Actor, permission: str, *, branch: str | None = None) -> None:
    """Raise PermissionDenied (after auditing ``access.denied``) unless the actor may do this on ``branch``.

    Call it before opening the service's write transaction: the refusal is written in a transaction of its
    own, so that it is committed although the caller then fails.
    """
    if not may(actor, permission):
        why = "scope" if permission in ROLE_PERMISSIONS.get(actor.role, frozenset()) else "role"
    elif not branch_allowed(actor, branch):
        why = "branch"
    else:
        return
    details: dict[str, object] = {
        "permission": permission,
        "why": why,
        "role": actor.role,
        "via": actor.via,
        "policy": ctx.policy_version,  # the policy in force when refused, like the call and SMS events
    }
    if branch is not None:
        details["branch"] = branch
    with ctx.db.write() as s:
        audit.record(s, ctx.clock, actor.name, "access.denied", "permission", permission, details)
    action, who = permission_said(permission), actor.name
    if why == "branch" and actor.branch is None:
        raise PermissionDenied(
            said(
                "error.staff.denied_no_branch",
                f"{permission}: {who} acts for branch (none) only",
                action=action,
                user=who,
            )
        )
    if why == "branch":
        raise PermissionDenied(
            said(
                "error.staff.denied_branch",
                f"{permission}: {who} acts for branch {actor.branch} only",
                action=action,
                user=who,
                branch=actor.branch,
            )
        )
    if why == "scope":
        raise PermissionDenied(
            said("error.staff.denied_scope", f"{permission}: not in the scope of {who}", action=action, user=who)
        )
    raise PermissionDenied(
        said(
            "error.staff.denied_role",
            f"{permission}: a {actor.role} may not do this",
            action=action,
            role=_role(actor.role),
        )
    )


def permission_said(permission: str) -> Said:
    """A permission as a person reads it: its name in English (as the CLI and docs spell it), a phrase in
    Chinese (``perm.<name>`` in the faces' catalogue)."""
    return said(f"perm.{permission}", permission)


def _role(role: str) -> Said:
    return said(f"role.{role}", role)


def branch_of_customer(ctx: Ctx, customer_id: str) -> str | None:
    """The name of the branch a borrower belongs to (None: no such borrower; the service says so itself)."""
    with ctx.db.raw_read() as raw:  # plain SQL: the call path (check, call log) never loads the ORM
        row = raw.execute(
            "SELECT b.name FROM customer c JOIN branch b ON b.id = c.branch_id WHERE c.customer_id = ?",
            (customer_id,),
        ).fetchone()
    return str(row[0]) if row else None


def authorize_customer(ctx: Ctx, actor: Actor, permission: str, customer_id: str) -> None:
    """``authorize`` on the borrower's branch: the usual check of every service about one borrower."""
    bound, _own = bound_branch(actor)
    branch = branch_of_customer(ctx, customer_id) if bound else None
    authorize(ctx, actor, permission, branch=branch)


def authorize_staff(ctx: Ctx, actor: Actor, permission: str, username: str) -> None:
    """``authorize`` on the branch of a staff account (a report ``--collector``): a branch-bound actor asking
    about another branch's collector, or an account of no branch, is refused like another branch (audited).
    An unknown username passes here: the service says "no user" itself."""
    bound, _own = bound_branch(actor)
    if not bound:
        authorize(ctx, actor, permission)
        return
    with ctx.db.raw_read() as raw:
        row = raw.execute(
            "SELECT b.name FROM staff_user u LEFT JOIN branch b ON b.id = u.branch_id WHERE u.username = ?",
            (username,),
        ).fetchone()
    authorize(ctx, actor, permission, branch=None if row is None else str(row[0] or "(none)"))


# A branch name nothing has: what a branch-bound actor without a branch may read. A control character,
# which stored text never holds (domain.textsafe); not NUL, which PostgreSQL refuses in a text parameter.
NO_BRANCH = "\x01"


def reading_scope(
    ctx: Ctx, actor: Actor, permission: str, branch: str | None, customer_id: str | None = None
) -> str | None:
    """The branch filter a read must use: ``branch`` as asked (another branch refused, audited), and for a
    branch-bound actor who asked for none, their own branch.

    ``customer_id``: the listing is about one borrower (``--customer``). Naming another branch's borrower is
    asking for that branch: refused and audited, not answered with an empty list (which would read as "she
    has none"). An unknown id is no branch's: the filter answers it with nothing.
    """
    authorize(ctx, actor, permission, branch=branch)
    bound, own = bound_branch(actor)
    if not bound:
        return branch
    if customer_id is not None:
        theirs = branch_of_customer(ctx, customer_id)
        if theirs is not None:
            authorize(ctx, actor, permission, branch=theirs)
    return own if own is not None else NO_BRANCH
