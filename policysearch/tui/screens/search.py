"""The home screen: type a query, see hits as you type, preview the clause, open it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Select, Static
from textual.worker import get_current_worker

from ...model import Progress
from ...search.query import QueryError
from ...search.searcher import Hit, SearchResult
from ..widgets.results import ResultList, highlighted
from . import no_blink

DEBOUNCE = 0.05  # results must refresh within 100 ms of the last key (seed corpus)
PAGE = 50  # hits rendered at a time; the status line gives the total


class SearchScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+f,slash", "focus_query", "Query", id="search.focus"),
        Binding("ctrl+r", "focus_results", "Results", id="search.results"),
        Binding("ctrl+o", "open_hit", "Open", id="search.open"),
        Binding("ctrl+y", "cite_hit", "Cite clause", id="search.cite"),
        Binding("escape", "clear", "Clear", id="search.clear"),
    ]

    @dataclass
    class Results(Message):
        result: SearchResult
        query: str

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(placeholder="Search clauses: words, \"phrases\", OR, -not, doc: year: batch: issuer:",
                        id="query")
            yield Select([], prompt="document", id="doc-filter")
            yield Select([], prompt="batch", id="batch-filter")
            yield Select([], prompt="year", id="year-filter")
        yield Static("Opening the index…", id="status")
        with Horizontal(id="search-body"):
            yield ResultList(id="results")
            with VerticalScroll(id="preview"):
                yield Static("", id="preview-text")
        yield Footer()

    def on_mount(self) -> None:
        self._timer: Timer | None = None
        self.current: Hit | None = None
        self.last_query = ""
        self.timings: dict[str, float] = {}
        self.query_one("#query", Input).focus()
        no_blink(self)
        if self.app.ready:  # type: ignore[attr-defined]
            self.library_ready()

    # -- app callbacks ----------------------------------------------------------------------------
    def library_ready(self) -> None:
        lib = self.app.library  # type: ignore[attr-defined]
        docs = list(lib.documents.values())
        self.query_one("#doc-filter", Select).set_options(
            [(f"{lib.short_title(d, 14)} ({d.id})", d.id) for d in docs])
        batches = sorted({d.batch for d in docs if d.batch})
        self.query_one("#batch-filter", Select).set_options([(f"第{b}批", str(b)) for b in batches])
        years = sorted({d.year for d in docs if d.year}, reverse=True)
        self.query_one("#year-filter", Select).set_options([(str(y), str(y)) for y in years])
        self.query_one("#status", Static).update(
            f"{len(docs)} documents, {len(lib.searcher.rows)} clauses. Type to search (either script).")
        if self.query_one("#query", Input).value:
            self.schedule_search()

    def show_progress(self, p: Progress) -> None:
        done = f" {p.done}/{p.total}" if p.total else ""
        self.query_one("#status", Static).update(f"{p.stage}{done} {p.item}")

    # -- searching --------------------------------------------------------------------------------
    def full_query(self) -> str:
        text = self.query_one("#query", Input).value.strip()
        extra = []
        for sel_id, name in (("#doc-filter", "doc"), ("#batch-filter", "batch"), ("#year-filter", "year")):
            value = self.query_one(sel_id, Select).value
            if value is not Select.NULL and value is not None:
                extra.append(f"{name}:{value}")
        if not text and not extra:
            return ""
        return f"({text}) {' '.join(extra)}".strip() if text and extra else (text or " ".join(extra))

    @on(Input.Changed, "#query")
    @on(Select.Changed)
    def schedule_search(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.run_search)

    @on(Input.Submitted, "#query")
    def submitted(self) -> None:
        self.run_search()
        self.action_focus_results()

    def run_search(self) -> None:
        self.timings["search_started"] = time.perf_counter()
        if not self.app.ready:  # type: ignore[attr-defined]
            return
        query = self.full_query()
        if not query:
            self.query_one(ResultList).show([], {})
            self.query_one("#status", Static).update("Type to search (either script).")
            self.query_one("#preview-text", Static).update("")
            return
        self.search_worker(query)

    @work(thread=True, exclusive=True, group="search")
    def search_worker(self, query: str, limit: int = PAGE) -> None:
        searcher = self.app.library.searcher  # type: ignore[attr-defined]
        try:
            result = searcher.search(query, limit=limit)
        except QueryError as e:
            self.app.call_from_thread(self._query_error, str(e))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Results(result, query))

    def _query_error(self, message: str) -> None:
        self.query_one("#status", Static).update(Text(f"⚠ {message}", style="bold red"))

    @on(Results)
    def show_results(self, message: Results) -> None:
        lib = self.app.library  # type: ignore[attr-defined]
        self.last_query = message.query
        shorts = {d.id: lib.short_title(d) for d in lib.documents.values()}
        result = message.result
        results = self.query_one(ResultList)
        keep = results.highlighted if message.query == getattr(self, "_shown_query", None) else None
        results.show(result.hits, shorts)
        if keep is not None:
            results.highlighted = keep
        self._shown_query = message.query
        self.total = result.total
        self.timings["results_shown"] = time.perf_counter()
        more = f" (showing {len(result.hits)}; more load at the end of the list)" \
            if len(result.hits) < result.total else ""
        self.query_one("#status", Static).update(f"{result.total} clauses match{more}")
        if not result.hits:
            self.query_one("#preview-text", Static).update("")

    @on(ResultList.HitHighlighted)
    def preview(self, message: ResultList.HitHighlighted) -> None:
        hit = message.hit
        self.current = hit
        results = self.query_one(ResultList)
        if hit is results.hits[-1] and getattr(self, "total", 0) > len(results.hits):
            self.search_worker(self.last_query, len(results.hits) + PAGE)  # the next page
        lib = self.app.library  # type: ignore[attr-defined]
        doc = lib.documents[hit.doc_id]
        parts = hit.clause.split("/")
        out = Text()
        out.append(f"{doc.title}\n", style="bold")
        out.append(f"{doc.doc_number or ''}  {doc.date or ''}  {'、'.join(doc.issuers[:4])}\n", style="dim")
        for i in range(1, len(parts)):
            parent = doc.clause("/".join(parts[:i]))
            if parent is not None:
                out.append("  " * (i - 1) + (parent.label + (parent.heading or "")) + "\n", style="cyan")
        spans = lib.searcher.highlights(hit, self.last_query) if self.last_query else []
        text_start = len(out)
        out.append_text(highlighted(hit.text, spans))
        from ...cite.citations import Entity, format_citation

        if doc.doc_number or doc.title:
            e = Entity(key=doc.id, doc_number=doc.doc_number, doc=doc)
            path = None if hit.clause in ("preamble", "signature") else hit.clause
            out.append("\n\n引用: ", style="bold")
            out.append(format_citation(e, clause=path))
        preview = self.query_one("#preview-text", Static)
        preview.update(out)
        if spans:  # a long clause opens at its first match
            ratio = (text_start + spans[0][0]) / max(1, len(out))
            self.call_after_refresh(self._scroll_preview, ratio)

    def _scroll_preview(self, ratio: float) -> None:
        pane = self.query_one("#preview", VerticalScroll)
        target = int(ratio * pane.virtual_size.height) - 3
        pane.scroll_to(y=max(0, target) if target > pane.size.height // 2 else 0, animate=False)

    @on(ResultList.HitChosen)
    def chosen(self, message: ResultList.HitChosen) -> None:
        self.app.open_document(message.hit.doc_id, message.hit.clause, self.last_query)  # type: ignore[attr-defined]

    # -- actions ----------------------------------------------------------------------------------
    def action_focus_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one(ResultList).focus()

    def action_open_hit(self) -> None:
        if self.current is not None:
            self.app.open_document(self.current.doc_id, self.current.clause, self.last_query)  # type: ignore[attr-defined]

    def action_cite_hit(self) -> None:
        if self.current is not None:
            self.app.open_cite(self.current.doc_id, self.current.clause)  # type: ignore[attr-defined]

    def action_clear(self) -> None:
        self.query_one("#query", Input).value = ""
        for sel in self.query(Select):
            sel.clear()
        self.action_focus_query()
