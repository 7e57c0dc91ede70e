"""A checkbox and a radio button whose state reads without colour: ``[x]``/``[ ]`` and ``(•)``/``( )``.

Textual draws both states of a toggle with the same glyph (an X, a dot) and tells them apart by colour only,
which a monochrome terminal, a colour-blind user or a screenshot in grey loses. These keep Textual's colours
and behaviour and change only the glyph; CSS type selectors still match them as ``Checkbox``/``RadioButton``.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton

CHECKED, UNCHECKED = "[x]", "[ ]"
PRESSED, RELEASED = "(•)", "( )"


class Check(Checkbox):
    @property
    def _button(self) -> Content:
        return Content.styled(CHECKED if self.value else UNCHECKED, self.get_visual_style("toggle--button"))


class Choice(RadioButton):
    @property
    def _button(self) -> Content:
        return Content.styled(PRESSED if self.value else RELEASED, self.get_visual_style("toggle--button"))
