"""Helpers every screen uses: translated key descriptions, ."""

from __future__ import annotations

import dataclasses

from textual.app import App
from textual.binding import BindingsMap
from textual.dom import DOMNode


def localise_bindings(node: DOMNode, app: App) -> None:
    """Class BINDINGS hold catalog keys as descriptions; replace them with the user's language."""
    t = getattr(app, "t", None)
    if t is None:
        return
    keys = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        keys[key] = [dataclasses.replace(b, description=t(b.description)) if b.description else b for b in bindings]
    node._bindings = BindingsMap.from_keys(keys)
