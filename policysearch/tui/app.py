"""The policysearch terminal UI: search, read, compare and cite, keyboard first."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from ..config import Settings, clipboard_file, keymap_file
from ..model import Progress
from ..search.query import Query
from ..service import Library
from .providers import CitationCommands, CompareCommands, DocumentCommands, TrendCommands
from .screens.cite import CiteScreen
from .screens.compare import CompareScreen
from .screens.search import SearchScreen
from .screens.trend import TrendScreen


class PolicySearchApp(App[None]):
    """Search is home; the reader opens on top; compare and cite are modes of their own."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # a screen's class by the terminal's width
    TITLE = "policysearch"
    COMMANDS = App.COMMANDS | {DocumentCommands, CompareCommands, CitationCommands, TrendCommands}
    MODES = {"search": SearchScreen, "compare": CompareScreen, "cite": CiteScreen, "trend": TrendScreen}
    BINDINGS = [
        Binding("f1,ctrl+s", "switch_mode('search')", "Search", id="app.search"),
        Binding("f2,ctrl+d", "switch_mode('compare')", "Compare", id="app.compare"),
        Binding("f3,ctrl+t", "switch_mode('cite')", "Cite", id="app.cite"),
        Binding("f4", "switch_mode('trend')", "Trend", id="app.trend"),
        Binding("question_mark", "toggle_help", "Keys", key_display="?", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    @dataclass
    class Ready(Message):
        """The index is open: screens may search."""

    @dataclass
    class IndexProgress(Message):
        progress: Progress

        def can_replace(self, message: Message) -> bool:  # bursts of progress collapse
            return isinstance(message, PolicySearchApp.IndexProgress)

    def __init__(self, settings: Settings, *, blink: bool = True):
        super().__init__()
        self.settings = settings
        self.library = Library(settings)
        self.closing = threading.Event()  # set when the app exits: long work in workers stops
        self.ready = False
        self.blink = blink
        self.clipboard_file = clipboard_file()

    def on_unmount(self) -> None:
        self.closing.set()

    # -- start-up ---------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.apply_keymap()
        self.switch_mode("search")
        self.prepare_library()

    @work(thread=True, exclusive=True, group="prepare")
    def prepare_library(self) -> None:
        for event in self.library.prepare(self.closing):
            if isinstance(event, Progress):
                self.post_message(self.IndexProgress(event))
        self.post_message(self.Ready())

    @on(Ready)
    def on_library_ready(self) -> None:
        self.ready = True
        for screen in (self.screen, *self.screen_stack):
            if hasattr(screen, "library_ready"):
                screen.library_ready()

    @on(IndexProgress)
    def on_index_progress_message(self, message: IndexProgress) -> None:
        if hasattr(self.screen, "show_progress"):
            self.screen.show_progress(message.progress)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """One place where a failed worker becomes a notification (never a traceback on screen)."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            err = event.worker.error
            self.notify(f"{type(err).__name__}: {err}" if not str(err).startswith("policysearch") else str(err),
                        title="Error", severity="error", timeout=8)

    def apply_keymap(self) -> None:
        """Remap keys by binding id from keymap.toml ($POLICYSEARCH_KEYMAP, else ~/.config/policysearch/)."""
        import tomllib

        path = keymap_file()
        if not path.is_file():
            return
        try:
            keymap = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            self.notify(f"{path}: not a valid keymap ({e})", severity="error")
            return
        self.set_keymap({str(k): str(v) for k, v in keymap.items() if isinstance(v, str)})

    # -- actions ----------------------------------------------------------------------------------
    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel

        if self.screen.query(HelpPanel):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def open_document(self, doc_id: str, clause: str | None = None, query: Query | str | None = None,
                      spans: list[tuple[int, int]] | None = None) -> None:
        """Open a document in the reader; it is read and highlighted in a worker, then shown.  ``spans``: what to
        light in ``clause`` instead of a query's matches (a passage it shares with the clause the reader came from)."""
        self._open_worker(doc_id, clause, query, spans)

    @work(thread=True, exclusive=True, group="open")
    def _open_worker(self, doc_id: str, clause: str | None, query: Query | str | None,
                     spans: list[tuple[int, int]] | None = None) -> None:
        from .screens.document import DocumentScreen

        worker = get_current_worker()
        opened = self.library.open(doc_id, query, self.closing)
        if clause is not None and spans:
            opened.highlights[clause] = list(spans)
        if not worker.is_cancelled:
            self.call_from_thread(self.push_screen, DocumentScreen(opened, clause))

    def _in_mode(self, mode: str, action: str, *args: object) -> None:
        """Switch to a mode's screen and ask it to show something (once it exists)."""
        self.switch_mode(mode)
        method = getattr(self.screen, action, None)
        if method is not None:
            method(*args)

    def open_compare(self, a: str, b: str, section_a: str = "", section_b: str = "") -> None:
        self._in_mode("compare", "set_documents", a, b, section_a, section_b)

    def open_trend(self, queries: list[str], by: str = "year") -> None:
        self._in_mode("trend", "follow", queries, by)

    def open_search(self, query: str) -> None:
        """Search for a query (from the trend screen: a period's clauses)."""
        self._in_mode("search", "search_for", query)

    def open_cite(self, doc_id: str | None = None, clause: str | None = None, ref: str | None = None) -> None:
        self._in_mode("cite", "show_for", doc_id, clause, ref)

    def copy_text(self, text: str, what: str) -> None:
        """Copy to the clipboard (OSC 52); inside tmux also to tmux's paste buffer and a file."""
        self.copy_to_clipboard(text)
        note = f"Copied {what}"
        try:
            self.clipboard_file.parent.mkdir(parents=True, exist_ok=True)
            self.clipboard_file.write_text(text + "\n", "utf-8")
        except OSError:
            pass
        if os.environ.get("TMUX") and shutil.which("tmux"):
            subprocess.run(["tmux", "set-buffer", "--", text], check=False, capture_output=True)
            note += f"; inside tmux it is also in tmux's paste buffer (prefix ]) and in {self.clipboard_file}"
        self.notify(note, timeout=6)


def make_app(settings: Settings, *, blink: bool = True) -> PolicySearchApp:
    """The one factory for the CLI and the tests."""
    return PolicySearchApp(settings, blink=blink)
