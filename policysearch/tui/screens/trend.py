"""How terms spread: several queries at once over the years (or issuers, batches, works), a chart and the
periods; enter on a period lists its matching clauses in search."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...errors import PolicySearchError
from ...search.trends import NONE, Trend
from . import no_blink

STYLES = ("cyan", "yellow", "magenta", "green", "red", "blue")


def whole_ticks(lo: int, hi: int, most: int) -> list[float]:
    """Ticks at whole numbers from lo to hi, at most ``most`` of them (a step of 1, 2, 5, 10, 20, 50 …, the ticks
    at its multiples)."""
    steps = (m * 10 ** k for k in range(12) for m in (1, 2, 5))
    step = next(s for s in steps if (hi - lo) // s + 1 <= max(1, most))
    first = -(-lo // step) * step  # the first multiple of step from lo
    return [float(x) for x in range(first, hi + 1, step)]


class TrendScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+f", "focus_queries", "Queries", id="trend.queries", priority=True),
        Binding("ctrl+r", "rate", "Per 1,000 docs", id="trend.rate", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="trend-bar"):
            yield Input(placeholder="Queries to follow, separated by ; (数字经济; \"人工智能\"; 平台经济)",
                        id="trend-queries")
            yield Select([(b, b) for b in ("year", "issuer", "batch", "work")], value="year", allow_blank=False,
                         id="trend-by")
        yield Static("Type one or more queries, then Enter.", id="trend-status")
        from textual_plot import PlotWidget

        yield PlotWidget(id="trend-chart")
        yield OptionList(id="trend-periods")
        yield Footer()

    def on_mount(self) -> None:
        no_blink(self)
        self.trends: list[Trend] = []
        self.per_docs = False
        self.query_one("#trend-queries", Input).focus()

    def action_focus_queries(self) -> None:
        self.query_one("#trend-queries", Input).focus()

    def action_rate(self) -> None:
        """Plot matching documents per 1,000 documents of each period instead of their number."""
        self.per_docs = not self.per_docs
        self.show(self.trends)

    def follow(self, queries: list[str], by: str = "year") -> None:
        """Show the trend of these queries (from the palette, or a test)."""
        self.query_one("#trend-queries", Input).value = "; ".join(queries)
        self.query_one("#trend-by", Select).value = by
        self.run_trend()

    @on(Input.Submitted, "#trend-queries")
    @on(Select.Changed, "#trend-by")
    def run_trend(self) -> None:
        queries = [q.strip() for q in self.query_one("#trend-queries", Input).value.split(";") if q.strip()]
        if not queries:
            return
        self.query_one("#trend-status", Static).update("Counting…")
        self.trend_worker(queries, str(self.query_one("#trend-by", Select).value))

    @work(thread=True, exclusive=True, group="trend")
    def trend_worker(self, queries: list[str], by: str) -> None:
        try:
            trends = self.app.library.trend(queries, by)  # type: ignore[attr-defined]
        except PolicySearchError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, trends)

    def show(self, trends: list[Trend]) -> None:
        self.trends = trends
        if not trends:
            return
        by = trends[0].by
        value = (lambda p: p.per_1000) if self.per_docs else (lambda p: float(p.documents))
        status = Text()
        for k, t in enumerate(trends):
            status.append(f"■ {t.query}", style=STYLES[k % len(STYLES)])
            status.append(f" {t.documents} documents, {t.clauses} clauses   ")
        status.append("(documents per 1,000 of the period)" if self.per_docs else "(documents)", style="dim")
        self.query_one("#trend-status", Static).update(status)
        self._chart(trends, by, value)
        periods = self.query_one("#trend-periods", OptionList)
        periods.clear_options()
        for k, t in enumerate(trends):
            for p in t.periods:
                if not p.documents:
                    continue
                line = Text.assemble((f"{p.period:<12}", "bold"), (f" {t.query}", STYLES[k % len(STYLES)]),
                                     f"  {p.documents} of {p.corpus_documents} documents ({p.per_1000:.0f}‰), "
                                     f"{p.clauses} clauses",
                                     (f"  first: {p.first.doc_id} {p.first.clause}" if p.first else "", "dim"))
                periods.add_option(Option(line, id=f"{k}\n{p.period}"))

    def _chart(self, trends: list[Trend], by: str, value) -> None:  # noqa: ANN001 - a period's value
        from textual_plot import HiResMode, PlotWidget

        chart = self.query_one("#trend-chart", PlotWidget)
        chart.clear()
        if by == "year":  # a line per query over the years
            years = sorted({int(p.period) for t in trends for p in t.periods if p.period.isdigit()})
            top = 0.0
            for k, t in enumerate(trends):
                by_year = {p.period: value(p) for p in t.periods}
                ys = [by_year.get(str(y), 0.0) for y in years]
                top = max([top, *ys])
                chart.plot(years, ys, line_style=STYLES[k % len(STYLES)], hires_mode=HiResMode.BRAILLE, label=t.query)
            chart.set_xlabel("year")
            # whole years, as many as the chart's width holds ("2013" and a space each): the default ticks were
            # half years run together at 80 columns (2013.02013.52014.0)
            chart.set_xticks(whole_ticks(years[0], years[-1], max(2, (chart.size.width - 10) // 8)) if years else None)
            if not self.per_docs:  # documents are counted in whole numbers
                chart.set_yticks(whole_ticks(0, max(1, int(top)), max(2, (chart.size.height - 4) // 2)))
            else:
                chart.set_yticks(None)
        else:  # the first query's leading periods as bars
            head = [p for p in trends[0].periods if p.period != NONE][:12]
            chart.bar([p.period[:8] for p in head], [value(p) for p in head], bar_style=STYLES[0])
            chart.set_xlabel(by)
        chart.set_ylabel("per 1,000 documents" if self.per_docs else "documents")

    @on(OptionList.OptionSelected, "#trend-periods")
    def list_period(self, event: OptionList.OptionSelected) -> None:
        """The period's matching clauses, in search (the query with the period as a filter)."""
        k, period = str(event.option.id).split("\n")
        t = self.trends[int(k)]
        if t.by == "year" and period.isdigit():
            query = f"{t.query} year:{period}"
        elif t.by == "issuer" and period != NONE:
            query = f"{t.query} issuer:{period}"
        elif t.by == "batch" and period != NONE:
            query = f"{t.query} batch:{period}"
        else:
            query = t.query
        self.app.open_search(query)  # type: ignore[attr-defined]
