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
from textual.widgets import Footer, Input, Label, Select, Static, Switch
from textual.worker import get_current_worker

from ...errors import PolicySearchError
from ...model import Progress
from ...search.query import Query, QueryError
from ...search.searcher import Hit, SearchResult
from ...service import Preview
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
        query: Query

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(placeholder="Search clauses: words, \"phrases\", OR, -not, doc: year: batch: issuer: latest:",
                        id="query")
            yield Input(placeholder="document", id="doc-filter",
                        tooltip="a document: its id, number or a title fragment")
            yield Select([], prompt="batch", id="batch-filter")
            yield Select([], prompt="year", id="year-filter")
            yield Switch(id="latest-switch", tooltip="only the latest version of each work")
            yield Label("latest", classes="switch-label")
        yield Static("Opening the index…", id="status")
        with Horizontal(id="search-body"):
            yield ResultList(id="results")
            with VerticalScroll(id="preview"):
                yield Static("", id="preview-text")
        yield Footer()

    def on_mount(self) -> None:
        self._timer: Timer | None = None
        self.current: Hit | None = None
        self.last_query: Query | None = None
        self.timings: dict[str, float] = {}
        self.query_one("#query", Input).focus()
        no_blink(self)
        if self.app.ready:  # type: ignore[attr-defined]
            self.library_ready()

    # -- app callbacks ----------------------------------------------------------------------------
    def library_ready(self) -> None:
        lib = self.app.library  # type: ignore[attr-defined]
        facets = lib.facets()
        self.query_one("#batch-filter", Select).set_options([(f"第{b}批", str(b)) for b in facets["batches"]])
        self.query_one("#year-filter", Select).set_options([(str(y), str(y)) for y in facets["years"]])
        docs, clauses = lib.counts()
        self.query_one("#status", Static).update(
            f"{docs} documents, {clauses} clauses. Type to search (either script).")
        if self.query_one("#query", Input).value:
            self.schedule_search()

    def show_progress(self, p: Progress) -> None:
        done = f" {p.done}/{p.total}" if p.total else ""
        self.query_one("#status", Static).update(Text(f"{p.stage}{done} {p.item}"))  # a file name is not markup

    # -- searching --------------------------------------------------------------------------------
    def current_query(self) -> Query | None:
        """The typed query with the chosen filters (None when there is nothing to search for)."""
        text = self.query_one("#query", Input).value.strip()
        chosen: dict[str, str | None] = {"doc": self.query_one("#doc-filter", Input).value.strip() or None}
        for sel_id, name in (("#batch-filter", "batch"), ("#year-filter", "year")):
            value = self.query_one(sel_id, Select).value
            chosen[name] = str(value) if value is not Select.NULL and value is not None else None
        latest = self.query_one("#latest-switch", Switch).value
        if not text and not any(chosen.values()) and not latest:
            return None
        return Query.build(text, doc=chosen["doc"], batch=chosen["batch"], year=chosen["year"], latest=latest)

    @on(Input.Changed, "#query")
    @on(Input.Changed, "#doc-filter")
    @on(Switch.Changed, "#latest-switch")
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
        try:
            query = self.current_query()
        except QueryError as e:
            self._query_error(str(e))
            return
        if query is None:
            self.query_one(ResultList).show([], {})
            self.query_one("#status", Static).update("Type to search (either script).")
            self.query_one("#preview-text", Static).update("")
            return
        self.search_worker(query)

    @work(thread=True, exclusive=True, group="search")
    def search_worker(self, query: Query, limit: int = PAGE) -> None:
        lib = self.app.library  # type: ignore[attr-defined]
        try:
            result = lib.search(query, limit=limit)
        except PolicySearchError as e:
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
        result = message.result
        shorts = {h.doc_id: lib.short_title_of(h.title) for h in result.hits}
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
        matching = "1 clause matches" if result.total == 1 else f"{result.total} clauses match"
        self.query_one("#status", Static).update(f"{matching}{more}")
        if not result.hits:
            self.query_one("#preview-text", Static).update("")

    @on(ResultList.HitHighlighted)
    def preview(self, message: ResultList.HitHighlighted) -> None:
        hit = message.hit
        self.current = hit
        results = self.query_one(ResultList)
        if hit is results.hits[-1] and getattr(self, "total", 0) > len(results.hits):
            self.search_worker(self.last_query, len(results.hits) + PAGE)  # the next page
        self.preview_worker(hit, self.last_query)

    @work(thread=True, exclusive=True, group="preview")
    def preview_worker(self, hit: Hit, query: Query | None) -> None:
        preview = self.app.library.preview(hit, query)  # type: ignore[attr-defined]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_preview, preview)

    def _show_preview(self, p: Preview) -> None:
        doc = p.doc
        out = Text()
        out.append(f"{doc.title}\n", style="bold")
        out.append(f"{doc.doc_number or ''}  {doc.date or ''}  {'、'.join(doc.issuers[:4])}\n", style="dim")
        for i, crumb in enumerate(p.breadcrumb):
            out.append("  " * i + crumb + "\n", style="cyan")
        text_start = len(out)
        out.append_text(highlighted(p.text, p.spans))
        if p.citation:
            out.append("\n\n引用: ", style="bold")
            out.append(p.citation)
        self.query_one("#preview-text", Static).update(out)
        if p.spans:  # a long clause opens at its first match
            ratio = (text_start + p.spans[0][0]) / max(1, len(out))
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

    def search_for(self, query: str) -> None:
        """Search for a query typed elsewhere (the trend screen's period)."""
        field = self.query_one("#query", Input)
        field.value = query
        field.focus()
        self.schedule_search()

    def action_clear(self) -> None:
        self.query_one("#query", Input).value = ""
        self.query_one("#doc-filter", Input).value = ""
        self.query_one("#latest-switch", Switch).value = False
        for sel in self.query(Select):
            sel.clear()
        self.action_focus_query()
