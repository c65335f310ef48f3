"""Command palette providers: documents, comparisons, citations (matching through the core)."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .app import PolicySearchApp


def _app(provider: Provider) -> PolicySearchApp:
    return provider.app  # type: ignore[return-value]


class DocumentCommands(Provider):
    """Open a document in the reader: by id, number or title, in either script (looked up in the store)."""

    async def search(self, query: str) -> Hits:
        app = _app(self)
        if not app.ready or not query.strip():
            return
        matcher = self.matcher(query)
        words = query.split()
        lookup = " ".join(words[1:]) if len(words) > 1 and words[0].lower() == "open" else query
        docs = await asyncio.to_thread(app.library.find_documents, lookup)
        for d in docs:
            text = f"Open {d.id} 《{d.title}》 {d.doc_number or ''}"
            yield Hit(max(matcher.match(text), 0.9), matcher.highlight(text), partial(app.open_document, d.id),
                      text=text, help=f"{d.date or ''} {'、'.join(d.issuers[:3])}")

    async def discover(self) -> Hits:
        app = _app(self)
        if not app.ready:
            return
        for d in await asyncio.to_thread(app.library.find_documents, "", 30):
            yield DiscoveryHit(f"Open {d.id} 《{d.title}》", partial(app.open_document, d.id))


class CompareCommands(Provider):
    """Compare two documents of the same programme, or two versions of one work."""

    async def _pairs(self) -> list:
        app = _app(self)
        if not app.ready:
            return []
        return await asyncio.to_thread(app.library.comparable_pairs)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a, b in await self._pairs():
            text = f"Compare {a.id} with {b.id}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(_app(self).open_compare, a.id, b.id), text=text)

    async def discover(self) -> Hits:
        for a, b in await self._pairs():
            yield DiscoveryHit(f"Compare {a.id} with {b.id}", partial(_app(self).open_compare, a.id, b.id))


class CitationCommands(Provider):
    """Cite a document: by number (any form) or title fragment, via the core's citation look-up."""

    async def search(self, query: str) -> Hits:
        app = _app(self)
        if not app.ready or not query.strip():
            return
        matcher = self.matcher(query)
        for e in (await asyncio.to_thread(app.library.cite, query))[:20]:
            text = f"Cite {e.doc_number or ''} 《{e.title}》"
            yield Hit(max(matcher.match(text), 0.8), text, partial(app.open_cite, None, None, query), text=text,
                      help="in the corpus" if e.in_corpus else "cited, not in the corpus")


class TrendCommands(Provider):
    """Follow a term over the years: whatever is typed, as a query of the trend screen."""

    async def search(self, query: str) -> Hits:
        app = _app(self)
        if not app.ready or not query.strip():
            return
        text = f"Trend of {query.strip()}"
        yield Hit(0.7, text, partial(app.open_trend, [q.strip() for q in query.split(";") if q.strip()]), text=text,
                  help="documents and clauses per year, several queries with ;")

    async def discover(self) -> Hits:
        yield DiscoveryHit("Trend of a term over the years (f4)", partial(_app(self).switch_mode, "trend"))
