"""Compare two documents: aligned pairs side by side in one scroll (both sides move together)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, OptionList, Select, Static, Switch
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...compare.changes import ClausePair, Comparison
from ...errors import PolicySearchError
from ...model import Document
from ...render.comparison import pair_texts, render_html, render_markdown, status_text
from ...render.versions_table import HEADERS, Row, table_rows
from . import no_blink


class PairRow(Horizontal):
    def __init__(self, pair: ClausePair, show_variants: bool, **kwargs: object) -> None:
        super().__init__(classes=f"pair {pair.status}", **kwargs)  # type: ignore[arg-type]
        self.pair = pair
        self.show_variants = show_variants

    def compose(self) -> ComposeResult:
        left, right = pair_texts(self.pair, self.show_variants)
        yield Static(left, classes="side left")
        yield Static(status_text(self.pair), classes="pair-status")
        yield Static(right, classes="side right")


class TableRow(Horizontal):
    """One row of the 新旧对照 table: 修订前 | 修订后, deleted words struck through, inserted underlined."""

    STYLES = {"del": "strike red", "ins": "underline bold green", "label": "bold cyan", "": ""}

    def __init__(self, row: Row, **kwargs: object) -> None:
        super().__init__(classes=f"pair {row.status}", **kwargs)  # type: ignore[arg-type]
        self.row = row

    def _side(self, runs: list[tuple[str, str]]) -> Text:
        text = Text()
        for part, style in runs:
            text.append(part, style=self.STYLES.get(style, ""))
        return text

    def compose(self) -> ComposeResult:
        yield Static(self._side(self.row.left), classes="side left")
        # a collapsed run says 条文未修改 on both sides already; the narrow middle column keeps short notes
        note = "" if self.row.status == "collapsed" else self.row.note
        yield Static(Text(note, style="dim", no_wrap=True, overflow="ellipsis"), classes="pair-status")
        yield Static(self._side(self.row.right), classes="side right")


def _pairs_of(row: PairRow | TableRow) -> list[ClausePair]:
    return [row.pair] if isinstance(row, PairRow) else list(row.row.pairs)


def _is_change(row: PairRow | TableRow) -> bool:
    """A row that n/p stop at: a changed, added, removed or moved pair (not an unchanged or collapsed one)."""
    status = row.pair.status if isinstance(row, PairRow) else row.row.status
    return status not in ("same", "collapsed", "header")


class CompareScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "next_change", "Next change", id="compare.next"),
        Binding("p", "previous_change", "Prev change", id="compare.previous"),
        Binding("v", "toggle_variants", "Variants", id="compare.variants"),
        Binding("u", "toggle_unchanged", "Hide same", id="compare.unchanged"),
        Binding("ctrl+e", "export_html", "HTML", id="compare.html", priority=True),  # also with a field focused
        Binding("ctrl+k", "export_markdown", "Markdown", id="compare.markdown", priority=True),
        Binding("ctrl+w", "swap", "Swap", id="compare.swap"),
        Binding("t", "toggle_table", "新旧对照", id="compare.table"),
    ]

    show_variants: reactive[bool] = reactive(False)
    changed_only: reactive[bool] = reactive(False)
    table_view: reactive[bool] = reactive(False)

    @dataclass
    class Compared(Message):
        comparison: Comparison

    def compose(self) -> ComposeResult:
        with Horizontal(id="compare-bar"):
            yield Select([], prompt="document A", id="doc-a")
            yield Input(placeholder="section A (e.g. 二)", id="section-a")
            yield Select([], prompt="document B", id="doc-b")
            yield Input(placeholder="section B", id="section-b")
        with Horizontal(id="compare-options"):
            yield Switch(id="variants-switch")
            yield Label("variants", classes="switch-label")
            yield Switch(id="changed-switch")
            yield Label("hide same", classes="switch-label")
            yield Static("Choose two documents to compare.", id="compare-summary")
        yield VerticalScroll(id="pairs")
        yield Footer()

    def on_mount(self) -> None:
        no_blink(self)
        self.comparison: Comparison | None = None
        self.current = -1
        self._pending: tuple[str, str, str, str] | None = getattr(self, "_pending", None)
        if self.app.ready:  # type: ignore[attr-defined]
            self.library_ready()

    def library_ready(self) -> None:
        self.choices_worker()

    @work(thread=True, exclusive=True, group="compare-choices")
    def choices_worker(self) -> None:
        """The documents offered in the selects: those of comparable pairs (batches of one programme,
        versions of one work) — a bounded list, whatever the size of the corpus."""
        lib = self.app.library  # type: ignore[attr-defined]
        seen: dict[str, str] = {}
        pairs = lib.comparable_pairs()
        for a, b in pairs:
            for d in (a, b):
                # the version date first: in a narrow select two versions of one title still differ
                seen.setdefault(d.id, f"{d.version + ' ' if d.version else ''}{lib.short_title(d, 14)} ({d.id})")
        def when(d: Document) -> str:
            return d.version or d.date or ""

        offers = [(a.id, b.id, f"{lib.short_title(a, 26)}  {when(a)} → {when(b)}" if a.work and a.work == b.work
                   else f"{when(a)} {lib.short_title(a, 11)} ↔ {when(b)} {lib.short_title(b, 11)}")
                  for a, b in pairs]
        self.app.call_from_thread(self._set_choices, seen, offers)

    def _set_choices(self, choices: dict[str, str], offers: list[tuple[str, str, str]] | None = None) -> None:
        self.choices = dict(choices)
        self._apply_choices()
        if self._pending:
            self.set_documents(*self._pending)
        elif offers and self.comparison is None:
            self._offer(offers)

    def _offer(self, offers: list[tuple[str, str, str]]) -> None:
        """Before anything is compared: the comparable pairs (batches of a programme, versions of a work), enter
        on one compares it — the pickers above choose any other two."""
        listing = OptionList(*[Option(Text(label, no_wrap=True, overflow="ellipsis"), id=f"{a}\n{b}")
                               for a, b, label in offers], id="offers")
        self.query_one("#pairs", VerticalScroll).mount(listing)
        self.query_one("#compare-summary", Static).update(
            f"{len(offers)} comparable pairs below (enter compares one), or choose A and B above.")
        listing.focus()

    @on(OptionList.OptionSelected, "#offers")
    def compare_offer(self, event: OptionList.OptionSelected) -> None:
        a, b = str(event.option.id).split("\n")
        self.set_documents(a, b)

    def _apply_choices(self, *extra: str) -> None:
        for doc_id in extra:
            self.choices.setdefault(doc_id, doc_id)
        options = [(Text(label, no_wrap=True, overflow="ellipsis"), doc_id)  # one line each: more fit the list
                   for doc_id, label in self.choices.items()]
        for sel_id in ("#doc-a", "#doc-b"):
            sel = self.query_one(sel_id, Select)
            value = sel.value
            sel.set_options(options)
            if value is not Select.NULL and value in self.choices:
                sel.value = value

    def set_documents(self, a: str, b: str, section_a: str = "", section_b: str = "") -> None:
        if not self.app.ready or not self.query("#doc-a") or not hasattr(self, "choices"):  # type: ignore[attr-defined]
            self._pending = (a, b, section_a, section_b)  # shown once the screen is composed
            return
        self._pending = None
        with self.prevent(Select.Changed, Input.Changed):
            self._apply_choices(a, b)
            self.query_one("#doc-a", Select).value = a
            self.query_one("#doc-b", Select).value = b
            self.query_one("#section-a", Input).value = section_a
            self.query_one("#section-b", Input).value = section_b
        self.run_compare()

    @on(Select.Changed)
    @on(Input.Submitted)
    def run_compare(self) -> None:
        a = self.query_one("#doc-a", Select).value
        b = self.query_one("#doc-b", Select).value
        if a is Select.NULL or b is Select.NULL:
            return
        sa = self.query_one("#section-a", Input).value.strip() or None
        sb = self.query_one("#section-b", Input).value.strip() or None
        self.query_one("#compare-summary", Static).update("Comparing…")
        self.compare_worker(str(a), str(b), sa, sb)

    @work(thread=True, exclusive=True, group="compare")
    def compare_worker(self, a: str, b: str, sa: str | None, sb: str | None) -> None:
        lib = self.app.library  # type: ignore[attr-defined]
        try:
            comparison = lib.compare(a, b, sa, sb)
        except PolicySearchError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Compared(comparison))

    @on(Compared)
    async def show(self, message: Compared) -> None:
        self.comparison = message.comparison
        await self.render_pairs(keep=False)  # a new comparison opens at its top
        pairs = self.query_one("#pairs", VerticalScroll)
        pairs.scroll_home(animate=False, immediate=True)
        pairs.focus()  # off the fields, which take n, p, t, v and u as text: the compare keys act and show

    async def render_pairs(self, keep: bool = True) -> None:
        """Show the comparison in the current view; with ``keep``, the pair in view (or the current change)
        stays in view across the change of view or options."""
        if self.comparison is None:
            return
        anchor = self._anchor() if keep else None
        was_current = keep and self.current >= 0
        container = self.query_one("#pairs", VerticalScroll)
        await container.remove_children()
        rows: list[Horizontal]
        if self.table_view:  # the 新旧对照 table: one row per article pair, unchanged ones collapsed
            header = Row("header", [(HEADERS[0], "label")], [(HEADERS[1], "label")])
            rows = [TableRow(header), *(TableRow(r) for r in table_rows(self.comparison))]
        else:
            rows = [PairRow(p, self.show_variants) for p in self.comparison.pairs
                    if not (self.changed_only and p.status == "same")]
        await container.mount_all(rows)
        s = self.comparison.summary()
        st = ", ".join(f"{v} {k}" for k, v in s["status"].items() if v)
        line = self.comparison.summary_line() if getattr(self.comparison, "by_article", False) else st
        self.query_one("#compare-summary", Static).update(
            f"{line} · {s['kind']['substantive']} substantive, {s['kind']['variant']} variant, "
            f"{s['kind']['format']} format")
        self.current = -1
        if anchor is not None:
            found = next((i for i, r in enumerate(self._rows()) if anchor in _pairs_of(r)), None)
            if found is not None:
                self.call_after_refresh(self._go, found, was_current)

    def _rows(self) -> list[PairRow | TableRow]:
        """The rows of the view shown (pairs side by side, or the table's rows)."""
        return list(self.query("#pairs > PairRow, #pairs > TableRow"))  # type: ignore[arg-type]

    def _anchor(self) -> ClausePair | None:
        """The pair to keep in view: the current change's, else the first row at the top of the view."""
        rows = self._rows()
        if 0 <= self.current < len(rows):
            pairs = _pairs_of(rows[self.current])
            return pairs[0] if pairs else None
        top = self.query_one("#pairs", VerticalScroll).scroll_y
        for r in rows:
            if r.virtual_region.y + r.outer_size.height > top and _pairs_of(r):
                return _pairs_of(r)[0]
        return None

    def watch_show_variants(self) -> None:
        self.run_worker(self.render_pairs, exclusive=True, group="render")

    def watch_changed_only(self) -> None:
        self.run_worker(self.render_pairs, exclusive=True, group="render")

    def watch_table_view(self) -> None:
        self.run_worker(self.render_pairs, exclusive=True, group="render")

    def action_toggle_table(self) -> None:
        """Side by side ↔ the 新旧对照 table (修订前 | 修订后)."""
        self.table_view = not self.table_view

    @on(Switch.Changed, "#variants-switch")
    def _variants(self, event: Switch.Changed) -> None:
        self.show_variants = event.value

    @on(Switch.Changed, "#changed-switch")
    def _changed(self, event: Switch.Changed) -> None:
        self.changed_only = event.value

    # -- navigation -------------------------------------------------------------------------------
    @property
    def change_rows(self) -> list[PairRow | TableRow]:
        return [r for r in self._rows() if _is_change(r)]

    def _go(self, index: int, mark: bool = True) -> None:
        rows = self._rows()
        for r in rows:
            r.remove_class("current")
        if not 0 <= index < len(rows):
            return
        if mark:
            self.current = index
            rows[index].add_class("current")
        self.query_one("#pairs", VerticalScroll).scroll_to_widget(rows[index], top=True, animate=False)

    def action_next_change(self) -> None:
        nxt = [i for i, r in enumerate(self._rows()) if _is_change(r) and i > self.current]
        if nxt:
            self._go(nxt[0])
        else:
            self.notify("No more changes", timeout=2)

    def action_previous_change(self) -> None:
        prev = [i for i, r in enumerate(self._rows()) if _is_change(r) and i < self.current]
        if prev:
            self._go(prev[-1])
        else:
            self.notify("No earlier changes", timeout=2)

    def action_toggle_variants(self) -> None:
        self.query_one("#variants-switch", Switch).toggle()

    def action_toggle_unchanged(self) -> None:
        self.query_one("#changed-switch", Switch).toggle()

    def action_swap(self) -> None:
        a, b = self.query_one("#doc-a", Select), self.query_one("#doc-b", Select)
        sa, sb = self.query_one("#section-a", Input), self.query_one("#section-b", Input)
        if a.value is Select.NULL or b.value is Select.NULL:
            return
        self.set_documents(str(b.value), str(a.value), sb.value, sa.value)

    def _export(self, suffix: str) -> None:
        if self.comparison is None:
            self.notify("Nothing to export yet", severity="warning")
            return
        from ...config import exports_dir

        c = self.comparison
        name = exports_dir() / f"compare-{c.a.id}-{c.b.id}.{suffix}"
        render = render_html if suffix == "html" else render_markdown
        try:
            name.parent.mkdir(parents=True, exist_ok=True)
            name.write_text(render(c, changed_only=self.changed_only, show_variants=self.show_variants), "utf-8")
        except OSError as e:
            self.notify(f"Cannot write {name}: {e.strerror}", severity="error")
            return
        self.notify(f"Wrote {name}")
        self.exported = name

    def action_export_html(self) -> None:
        self._export("html")

    def action_export_markdown(self) -> None:
        self._export("md")
