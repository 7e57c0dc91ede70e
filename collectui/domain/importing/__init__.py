"""Importing core-banking exports (customers, contacts, loans, schedule, payments) and pluggable kinds.

Public API:
- ``import_file(ctx, kind, path, options, progress)`` / ``import_folder(ctx, folder, options, progress)``
  -> ``ImportResult`` (exit code 0/1); file-level problems raise ``FileProblem`` (exit 2).
- ``register_kind(KindSpec(...))`` adds a kind from another module (see ``columns.py`` and ``kinds.py``).
"""

from collectui.domain.importing.columns import (
    ALIASES,
    KINDS,
    Column,
    FileProblem,
    KindSpec,
    Ref,
    Target,
    aliases_of,
    kinds_in_order,
    register_kind,
    unregister_kind,
)
from collectui.domain.importing.service import (
    ImportOptions,
    ImportResult,
    KindResult,
    import_file,
    import_folder,
    kind_for_file,
    plan_folder,
)

__all__ = [
    "ALIASES",
    "KINDS",
    "Column",
    "FileProblem",
    "ImportOptions",
    "ImportResult",
    "KindResult",
    "KindSpec",
    "Ref",
    "Target",
    "aliases_of",
    "import_file",
    "import_folder",
    "kind_for_file",
    "kinds_in_order",
    "plan_folder",
    "register_kind",
    "unregister_kind",
]
