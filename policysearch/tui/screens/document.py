"""The reader: the clause tree beside the text; opens on a clause with the query's matches lit; `r` lists where
the clause in view came from and where it went (search.reuse; the outline counts each clause's shared passages,
(一) ⇄2 …, once the document is traced in a worker), enter opens the other clause with the passage lit on both sides."""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode
from textual.worker import get_current_worker

from ...model import Clause, Document
from ...search.reuse import Passage
from ...service import Opened
from ..widgets.results import highlighted


class ClauseBlock(Static):
    """One clause of the reader's text, its query matches lit (the current one stronger)."""

    def __init__(self, clause: Clause, spans: list[tuple[int, int]], indent: int, part: tuple[int, int] | None = None,
                 **kwargs: object) -> None:
        self.clause = clause
        self.part = part or (0, len(clause.text))  # the slice of the clause's text this block shows
        self.spans = self.within(spans)
        self.indent = indent
        super().__init__(self.styled(None), **kwargs)  # type: ignore[arg-type]

    def within(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Spans of the clause's text, as offsets into this block's part (a span across two parts is cut)."""
        a, b = self.part
        return [(max(s, a) - a, min(e, b) - a) for s, e in spans if s < b and e > a]

    def relight(self, spans: list[tuple[int, int]]) -> None:
        self.spans = self.within(spans)
        self.update(self.styled(None))

    @property
    def shown(self) -> str:
        return self.clause.text[self.part[0]:self.part[1]]

    def styled(self, current: int | None) -> Text:
        text = Text(" " * self.indent)
        text.append_text(highlighted(self.shown, self.spans))
        if self.clause.label and self.part[0] == 0:
            text.stylize("bold cyan", self.indent, self.indent + len(self.clause.label))
        if current is not None:
            s, e = self.spans[current]
            text.stylize("bold reverse", self.indent + s, self.indent + e)
        return text


class DocumentScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="reader.back"),
        Binding("n", "next_match", "Next match", id="reader.next"),
        Binding("N,p", "previous_match", "Prev match", id="reader.previous"),
        Binding("t", "toggle_tree", "Outline", id="reader.tree"),
        Binding("c", "cite", "Cite", id="reader.cite"),
        Binding("r", "sources", "Sources/echoes", id="reader.reuse"),
    ]

    def __init__(self, opened: Opened, clause: str | None = None) -> None:
        super().__init__()
        self.opened = opened
        self.doc_id = opened.doc.id
        self.start_clause = clause
        self.current = 0  # index of the clause block in view
        self._outline_nodes: dict[str, tuple[TreeNode[str], str]] = {}  # each clause's outline node and its label
        self._shared: dict[str, list[Passage]] | None = None  # each clause's shared passages, once traced
        self._reader_gone = threading.Event()  # the reader is gone: its trace stops

    def compose(self) -> ComposeResult:
        doc: Document = self.opened.doc
        head = Text()
        head.append(doc.title, style="bold")
        head.append(f"  {doc.doc_number or ''}  {doc.date or ''}", style="dim")
        yield Static(head, id="doc-title")
        with Horizontal(id="reader-body"):
            tree: Tree[str] = Tree(doc.id, id="outline")
            tree.root.expand()

            def add(node, clause: Clause) -> None:  # noqa: ANN001 - Tree node
                body = clause.text[len(clause.label):].strip()
                label = f"{clause.path.split('/')[-1]} {clause.heading or body[:12]}"
                if clause.children:
                    child = node.add(label, data=clause.path, expand=True)
                    for c in clause.children:
                        add(child, c)
                else:
                    child = node.add_leaf(label, data=clause.path)
                self._outline_nodes[clause.path] = (child, label)

            for c in doc.clauses:
                add(tree.root, c)
            yield tree
            with VerticalScroll(id="reader"):
                for i, (clause, a, b) in enumerate(doc.reading_blocks()):
                    spans = self.opened.highlights.get(clause.path, [])
                    yield ClauseBlock(clause, spans, 2 * max(0, clause.level - 1), (a, b), id=f"clause-{i}",
                                      classes="clause")
        yield Footer()

    def on_mount(self) -> None:
        blocks = list(self.query(ClauseBlock))
        self._count_matches()
        self._trace_all()
        if self.start_clause:
            for i, b in enumerate(blocks):
                if b.clause.path == self.start_clause:
                    self.current = i
                    break
        path = blocks[self.current].clause.path if blocks else None  # its match may be in a later block of it
        first = next((k for k, (i, _) in enumerate(self.matches) if blocks[i].clause.path == path), None)
        if first is not None:
            self.call_after_refresh(self._show_match, first)
        else:
            self.call_after_refresh(self._go, self.current)

    def _count_matches(self) -> None:
        """Every lit span, in reading order: (block, span); n and N go through them."""
        self.matches = [(i, j) for i, b in enumerate(self.query(ClauseBlock)) for j in range(len(b.spans))]
        self.match_pos = -1

    def _go(self, index: int, ratio: float = 0.0) -> None:
        blocks = list(self.query(ClauseBlock))
        if not blocks:
            return
        for b in blocks:
            b.remove_class("current")
        self.current = max(0, min(index, len(blocks) - 1))
        block = blocks[self.current]
        block.add_class("current")
        reader = self.query_one("#reader", VerticalScroll)
        # a long clause scrolls to where its match is, not to its first line
        line = int(ratio * block.outer_size.height)
        reader.scroll_to(y=max(0, block.virtual_region.y + line - 2), animate=False, immediate=True)

    def _show_match(self, k: int) -> None:
        blocks = list(self.query(ClauseBlock))
        if self.match_pos >= 0:
            old_block = blocks[self.matches[self.match_pos][0]]
            old_block.update(old_block.styled(None))
        self.match_pos = k
        i, j = self.matches[k]
        block = blocks[i]
        block.update(block.styled(j))
        start = block.spans[j][0]
        self._go(i, start / max(1, len(block.shown)))

    def action_next_match(self) -> None:
        if self.match_pos + 1 < len(self.matches):
            self._show_match(self.match_pos + 1)
        else:
            self.notify("No more matches", timeout=2)

    def action_previous_match(self) -> None:
        if self.match_pos > 0:
            self._show_match(self.match_pos - 1)
        else:
            self.notify("No earlier matches", timeout=2)

    def action_toggle_tree(self) -> None:
        tree = self.query_one("#outline", Tree)
        tree.display = not tree.display

    def action_cite(self) -> None:
        blocks = list(self.query(ClauseBlock))
        path = blocks[self.current].clause.path if blocks else None
        self.app.open_cite(self.doc_id, path)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="trace-all")
    def _trace_all(self) -> None:
        """Every clause's shared passages, off the UI thread: the outline counts them ((一) ⇄2 …), `r` lists them."""
        _, traces = self.app.library.trace(self.doc_id, cancel=self._reader_gone)  # type: ignore[attr-defined]
        if not get_current_worker().is_cancelled and not self._reader_gone.is_set():
            self.app.call_from_thread(self._count_passages, {t.clause: t.passages for t in traces})

    def on_unmount(self) -> None:
        self._reader_gone.set()

    def _count_passages(self, passages: dict[str, list[Passage]]) -> None:
        self._shared = passages
        for path, found in passages.items():
            if found and path in self._outline_nodes:
                node, label = self._outline_nodes[path]
                number, _, rest = label.partition(" ")  # after the clause's number: a long heading is cut at the edge
                marked = Text(number + " ")
                marked.append(f"⇄{len(found)}", style="magenta")
                marked.append(" " + rest)
                node.set_label(marked)

    def action_sources(self) -> None:
        path = self.current_clause
        if path is None:
            return
        if self._shared is not None:  # traced already
            self._show_sources(path, self._shared.get(path, []))
            return
        self.notify(f"Tracing {path} …", timeout=2)
        self._trace(path)

    @work(thread=True, exclusive=True, group="trace")
    def _trace(self, path: str) -> None:
        _, traces = self.app.library.trace(self.doc_id, path)  # type: ignore[attr-defined]
        passages = traces[0].passages if traces else []
        self.app.call_from_thread(self._show_sources, path, passages)

    def _show_sources(self, path: str, passages: list[Passage]) -> None:
        if not passages:
            self.notify(f"{path}: no passage shared with another document", timeout=4)
            return

        def chosen(pick: Passage | None) -> None:
            if pick is None:
                return
            # the shared text lit on both sides: here (what was there lit before gives way), and in the other clause
            self.opened.highlights[path] = [pick.span]
            for block in self.query(ClauseBlock):
                if block.clause.path == path:
                    block.relight([pick.span])
            self._count_matches()
            self.app.open_document(pick.doc_id, pick.clause, spans=[pick.other_span])  # type: ignore[attr-defined]

        self.app.push_screen(SourcesScreen(path, passages), chosen)

    @on(Tree.NodeSelected, "#outline")
    def jump(self, event: Tree.NodeSelected) -> None:
        path = event.node.data
        for i, b in enumerate(self.query(ClauseBlock)):
            if b.clause.path == path:
                self._go(i)
                break

    @property
    def current_clause(self) -> str | None:
        blocks = list(self.query(ClauseBlock))
        return blocks[self.current].clause.path if blocks else None


class SourcesScreen(ModalScreen["Passage | None"]):
    """The passages a clause shares with other documents, most of the clause first; enter opens the other clause,
    the passage lit in both."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="sources.close")]

    def __init__(self, path: str, passages: list[Passage]) -> None:
        super().__init__()
        self.path = path
        self.passages = passages

    def compose(self) -> ComposeResult:
        from ...render.safe import printable

        with Vertical(id="sources"):
            yield Static(f"{self.path}: {len(self.passages)} shared passage{'s' if len(self.passages) > 1 else ''}"
                         " (enter opens the other clause)", id="sources-title")
            options = []
            for p in self.passages:
                line = Text()
                line.append(f"{p.share:4.0%} ", style="bold")
                line.append(printable(p.doc_id), style="cyan")
                line.append(f" {printable(p.clause)}  {p.date or ''}  ", style="green")
                line.append(p.came + ("; another version of this work" if p.relation == "version" else ""),
                            style="dim")
                options.append(Option(line))
            yield OptionList(*options, id="sources-list")
        yield Footer()

    @on(OptionList.OptionSelected, "#sources-list")
    def open(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.passages[event.option_index])
