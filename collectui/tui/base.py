"""Helpers every screen uses: translated key descriptions, optional screens of other features."""

from __future__ import annotations

import dataclasses
import importlib

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
        keys[key] = [dataclasses.replace(b, description=t(b.description)) if b.description else b
                     for b in bindings]
    node._bindings = BindingsMap.from_keys(keys)


def push_optional(app: App, module: str, cls_name: str, *args) -> bool:
    """Push a screen another feature builds, imported only now; a notice if it is not there yet."""
    try:
        screen_cls = getattr(importlib.import_module(module), cls_name)
    except (ImportError, AttributeError):
        app.notify(app.t("app.not_available"), severity="warning")
        return False
    app.push_screen(screen_cls(*args))
    return True
