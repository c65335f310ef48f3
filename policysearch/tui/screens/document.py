"""The reader: the clause tree beside the text; opens on a clause with the query's matches lit."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree

from ...model import Clause, Document
from ...query import QueryError, parse_query, terms
from ...search import highlight_spans
from ..widgets.results import highlighted


class ClauseBlock(Static):
    """One clause of the reader's text."""

    def __init__(self, clause: Clause, text: Text, matches: int, **kwargs: object) -> None:
        super().__init__(text, **kwargs)  # type: ignore[arg-type]
        self.clause = clause
        self.matches = matches


class DocumentScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="reader.back"),
        Binding("n", "next_match", "Next match", id="reader.next"),
        Binding("N,p", "previous_match", "Prev match", id="reader.previous"),
        Binding("t", "toggle_tree", "Outline", id="reader.tree"),
        Binding("c", "cite", "Cite", id="reader.cite"),
    ]

    def __init__(self, doc_id: str, clause: str | None = None, query: str = "") -> None:
        super().__init__()
        self.doc_id = doc_id
        self.start_clause = clause
        self.search_query = query
        self.current = 0  # index of the clause block in view

    def compose(self) -> ComposeResult:
        doc: Document = self.app.library.documents[self.doc_id]  # type: ignore[attr-defined]
        head = Text()
        head.append(doc.title, style="bold")
        head.append(f"  {doc.doc_number or ''}  {doc.date or ''}", style="dim")
        yield Static(head, id="doc-title")
        with Horizontal(id="reader-body"):
            tree: Tree[str] = Tree(doc.id, id="outline")
            tree.root.expand()

            def add(node, clause: Clause) -> None:  # noqa: ANN001 - Tree node
                label = f"{clause.path.split('/')[-1]} {clause.heading or clause.text[:12]}"
                if clause.children:
                    child = node.add(label, data=clause.path, expand=True)
                    for c in clause.children:
                        add(child, c)
                else:
                    node.add_leaf(label, data=clause.path)

            for c in doc.clauses:
                add(tree.root, c)
            yield tree
            with VerticalScroll(id="reader"):
                highlights = []
                if self.search_query:
                    try:
                        highlights = terms(parse_query(self.search_query))
                    except QueryError:
                        highlights = []
                for i, clause in enumerate(doc.walk()):
                    spans = highlight_spans(clause.text, highlights, traditional=doc.traditional) if highlights else []
                    text = Text("  " * max(0, clause.level - 1))
                    text.append_text(highlighted(clause.text, spans))
                    if clause.label:
                        text.stylize("bold cyan", 2 * max(0, clause.level - 1),
                                     2 * max(0, clause.level - 1) + len(clause.label))
                    yield ClauseBlock(clause, text, len(spans), id=f"clause-{i}", classes="clause")
        yield Footer()

    def on_mount(self) -> None:
        blocks = list(self.query(ClauseBlock))
        if self.start_clause:
            for i, b in enumerate(blocks):
                if b.clause.path == self.start_clause:
                    self.current = i
                    break
        self.call_after_refresh(self._go, self.current)

    def _go(self, index: int) -> None:
        blocks = list(self.query(ClauseBlock))
        if not blocks:
            return
        for b in blocks:
            b.remove_class("current")
        self.current = max(0, min(index, len(blocks) - 1))
        block = blocks[self.current]
        block.add_class("current")
        self.query_one("#reader", VerticalScroll).scroll_to_widget(block, top=True, animate=False)

    @property
    def match_blocks(self) -> list[int]:
        return [i for i, b in enumerate(self.query(ClauseBlock)) if b.matches]

    def action_next_match(self) -> None:
        after = [i for i in self.match_blocks if i > self.current]
        if after:
            self._go(after[0])
        else:
            self.notify("No more matches", timeout=2)

    def action_previous_match(self) -> None:
        before = [i for i in self.match_blocks if i < self.current]
        if before:
            self._go(before[-1])
        else:
            self.notify("No earlier matches", timeout=2)

    def action_toggle_tree(self) -> None:
        tree = self.query_one("#outline", Tree)
        tree.display = not tree.display

    def action_cite(self) -> None:
        blocks = list(self.query(ClauseBlock))
        path = blocks[self.current].clause.path if blocks else None
        self.app.open_cite(self.doc_id, path)  # type: ignore[attr-defined]

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
