"""One screen per file: search (home), document (reader), compare, cite."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Input


def no_blink(screen: Screen) -> None:
    """Steady cursors when the app asks for them (snapshot tests), set through the app, not Textual's internals."""
    if not getattr(screen.app, "blink", True):
        for field in screen.query(Input):
            field.cursor_blink = False
