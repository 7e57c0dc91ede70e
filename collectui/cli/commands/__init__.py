"""The CLI's top-level commands, one module per command, named after it (``import_`` for ``import``)."""
