"""Cite: the forms to paste for a document or clause, what it cites and what cites it, a look-up,
and a check of a draft's citations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...cite.citations import Entity, format_citation
from ...errors import PolicySearchError
from ...service import CiteView
from . import no_blink

CHECK_STYLE = {"ok": "green", "mismatch": "bold red", "unknown": "yellow"}


class CiteScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+y", "copy_9704", "Copy GB/T 9704", id="cite.copy9704"),
        Binding("ctrl+g", "copy_7714", "Copy GB/T 7714", id="cite.copy7714"),
        # priority: an Input has its own ctrl+k (delete to the end); with a field focused the key must still move
        Binding("ctrl+l", "focus_lookup", "Look up", id="cite.lookup", priority=True),
        Binding("ctrl+k", "focus_draft", "Check draft", id="cite.draft", priority=True),
    ]

    @dataclass
    class Checked(Message):
        path: str
        results: list[dict]

    def compose(self) -> ComposeResult:
        with Horizontal(id="cite-bar"):
            yield Input(placeholder="Look up a number (894号, 发改高技[2013]1772号) or a title fragment", id="lookup")
        with VerticalScroll(id="cite-main"):
            yield Static("Choose a clause in Search or the reader (c), or look one up.", id="cite-target")
            yield Label("GB/T 9704 (ctrl+y to copy)", classes="cite-label")
            yield Static("", id="cite-9704", classes="cite-form")
            yield Label("GB/T 7714-2015 (ctrl+g to copy)", classes="cite-label")
            yield Static("", id="cite-7714", classes="cite-form")
            with Horizontal(id="cite-lists"):
                with Vertical():
                    yield Label("It cites", classes="cite-label")
                    yield OptionList(id="cites")
                with Vertical():
                    yield Label("Cited by", classes="cite-label")
                    yield OptionList(id="cited-by")
            yield Input(placeholder="Check a draft: path to a .txt, .md or .docx file, then Enter", id="draft")
            yield Static("", id="draft-results")
        yield Footer()

    def on_mount(self) -> None:
        no_blink(self)
        self.entity: Entity | None = None
        self.cites: list = []
        self.clause: str | None = None
        self.form_9704 = ""
        self.form_7714 = ""
        pending = getattr(self, "_pending", None)
        if pending and self.app.ready:  # type: ignore[attr-defined]
            self.show_for(*pending)

    def library_ready(self) -> None:
        pending = getattr(self, "_pending", None)
        if pending:
            self.show_for(*pending)

    # -- what to cite -----------------------------------------------------------------------------
    def show_for(self, doc_id: str | None, clause: str | None, ref: str | None = None) -> None:
        if not self.app.ready or not self.query("#cite-9704"):  # type: ignore[attr-defined]
            self._pending = (doc_id, clause, ref)  # shown once the screen is composed
            return
        self._pending = None
        if ref:
            self.query_one("#lookup", Input).value = ref
        self.cite_worker(doc_id, clause, ref)

    @work(thread=True, exclusive=True, group="cite")
    def cite_worker(self, doc_id: str | None, clause: str | None, ref: str | None) -> None:
        try:
            view = self.app.library.cite_view(doc_id, clause, ref)  # type: ignore[attr-defined]
        except PolicySearchError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_view, view)

    def _show_view(self, view: CiteView) -> None:
        if view.note:
            self.notify(view.note, severity="warning" if view.entity is None else "information", timeout=4)
        if view.entity is None:
            return
        self.entity = view.entity
        self.clause = view.clause
        self.cites = view.cites
        self.call_after_refresh(self.show_entity)  # once the screen has its size: options wrap to it

    def show_entity(self) -> None:
        e = self.entity
        if e is None:
            return
        head = Text()
        head.append(f"《{e.title}》" if e.title else "(title unknown)", style="bold")
        head.append(f"  {e.doc_number or ''}")
        if e.doc is not None:
            head.append(f"\nin the corpus: {e.doc.id}  {e.doc.date or ''}  {'、'.join(e.doc.issuers)}", style="dim")
        else:
            head.append("\nnot in the corpus (cited by its documents)", style="dim")
        for c in e.conflicts:
            head.append(f"\nconflict: {c}", style="red")
        if self.clause:
            head.append(f"\nclause {self.clause}", style="cyan")
        self.query_one("#cite-target", Static).update(head)
        self.form_9704 = format_citation(e, clause=self.clause)
        self.form_7714 = format_citation(e, style="gbt7714")
        # as text, never markup: GB/T 7714's [A] (and anything a title holds) is shown as written
        self.query_one("#cite-9704", Static).update(Text(self.form_9704))
        self.query_one("#cite-7714", Static).update(Text(self.form_7714))
        cites = self.query_one("#cites", OptionList)
        cites.clear_options()
        if e.doc is not None:
            cites.add_options([Option(Text.assemble((c.clause, "cyan"), "  ", c.as_written),
                                      id=f"e:{x.doc_number or x.key}")
                               for c, x in self.cites])
        cited_by = self.query_one("#cited-by", OptionList)
        cited_by.clear_options()
        cited_by.add_options([Option(Text.assemble((c.doc_id, "bold"), "  ", (c.clause, "cyan"), "\n", c.as_written),
                                     id=f"d:{c.doc_id}|{c.clause}") for c in e.citations])

    @on(OptionList.OptionSelected, "#cites")
    def open_cited(self, event: OptionList.OptionSelected) -> None:
        ref = (event.option.id or "")[2:]
        self.show_for(None, None, ref)

    @on(OptionList.OptionSelected, "#cited-by")
    def open_citing(self, event: OptionList.OptionSelected) -> None:
        doc_id, _, clause = (event.option.id or "")[2:].partition("|")
        self.app.open_document(doc_id, clause)  # type: ignore[attr-defined]

    @on(Input.Submitted, "#lookup")
    def lookup(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.show_for(None, None, event.value.strip())

    # -- copying ----------------------------------------------------------------------------------
    def action_copy_9704(self) -> None:
        if self.form_9704:
            self.app.copy_text(self.form_9704, "the GB/T 9704 citation")  # type: ignore[attr-defined]

    def action_copy_7714(self) -> None:
        if self.form_7714:
            self.app.copy_text(self.form_7714, "the GB/T 7714 reference")  # type: ignore[attr-defined]

    def action_focus_lookup(self) -> None:
        self.query_one("#lookup", Input).focus()

    def action_focus_draft(self) -> None:
        self.query_one("#draft", Input).focus()

    # -- checking a draft -------------------------------------------------------------------------
    @on(Input.Submitted, "#draft")
    def check_draft(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self.check_worker(path)

    @work(thread=True, exclusive=True, group="check")
    def check_worker(self, path: str) -> None:
        p = Path(path).expanduser()
        if not p.is_file():
            self.app.call_from_thread(self.notify, f"{path}: no such file", severity="error")
            return
        try:
            results = self.app.library.check_file(p)  # type: ignore[attr-defined]
        except PolicySearchError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        self.post_message(self.Checked(path, results))

    @on(Checked)
    def show_check(self, message: Checked) -> None:
        self.check_results = message.results
        out = Text()
        problems = sum(1 for r in message.results if r["status"] != "ok")
        n = len(message.results)
        out.append(f"{message.path}: {n} citation{'s' if n != 1 else ''}, "
                   f"{problems or 'no'} problem{'s' if problems != 1 else ''}\n", style="bold")
        for r in message.results:
            out.append(f"{r['status']:8} ", style=CHECK_STYLE[r["status"]])
            out.append(r["as_written"] + "\n")
            if r["status"] != "ok":
                out.append(f"         {r['message']}\n", style="dim")
                if r["expected"]:
                    out.append(f"         → {r['expected']}\n", style="green")
        results = self.query_one("#draft-results", Static)
        results.update(out)
        # below the lists on a short terminal: bring the results into view
        results.call_after_refresh(results.scroll_visible, top=True, animate=False)
