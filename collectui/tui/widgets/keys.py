"""Footer keys that follow what the screen shows, and the question asked before quitting half-way.

A number key stands for the options on screen ("1-3" when three are shown): Textual's ``key_display`` is set
once per binding, so ``show_number_range`` replaces the binding with one that says the real range.
"""

from __future__ import annotations

import dataclasses

from textual.dom import DOMNode


def number_range(count: int) -> str:
    """The keys that pick one of ``count`` options: "1", "1-3"."""
    return "1" if count <= 1 else f"1-{count}"


def show_number_range(node: DOMNode, key: str, count: int) -> None:
    """Show ``key``'s binding on ``node`` as the range of ``count`` number keys, and repaint the footer."""
    bindings = node._bindings.key_to_bindings.get(key)
    if not bindings:
        return
    display = number_range(count)
    node._bindings.key_to_bindings[key] = [dataclasses.replace(b, key_display=display) for b in bindings]
    node.refresh_bindings()
