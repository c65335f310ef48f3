"""The results list: one option per hit, document and clause on the first line, snippet below."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...search.searcher import Hit

HIGHLIGHT = "bold black on yellow"


def highlighted(text: str, spans: list[tuple[int, int]], style: str = HIGHLIGHT) -> Text:
    t = Text(text)
    for s, e in spans:
        t.stylize(style, s, e)
    return t


class ResultList(OptionList):
    """Hits of a search; Enter opens the highlighted hit."""

    @dataclass
    class HitHighlighted(Message):
        hit: Hit

    @dataclass
    class HitChosen(Message):
        hit: Hit

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.hits: list[Hit] = []

    def show(self, hits: list[Hit], short_titles: dict[str, str]) -> None:
        self.hits = hits
        self.clear_options()
        options = []
        for i, h in enumerate(hits):
            head = Text()
            head.append(short_titles.get(h.doc_id, h.doc_id), style="bold")
            head.append(f"  {h.version or h.date or ''}", style="dim")
            head.append(f"  {h.clause}", style="cyan")
            prompt = Text.assemble(head, "\n", highlighted(h.snippet, h.snippet_spans))
            options.append(Option(prompt, id=str(i)))
        self.add_options(options)
        if hits:
            self.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index is not None and event.option_index < len(self.hits):
            self.post_message(self.HitHighlighted(self.hits[event.option_index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index is not None and event.option_index < len(self.hits):
            self.post_message(self.HitChosen(self.hits[event.option_index]))
