"""Command palette providers: documents, comparisons, citations (matching through the core)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .app import PolicySearchApp


def _app(provider: Provider) -> PolicySearchApp:
    return provider.app  # type: ignore[return-value]


def _docs(provider: Provider) -> list:
    app = _app(provider)
    if not app.ready:
        return []
    return list(app.library.documents.values())


class DocumentCommands(Provider):
    """Open a document in the reader: by id, number or title, in either script."""

    async def search(self, query: str) -> Hits:
        from ..text.normalise import norm

        matcher = self.matcher(query)
        key = norm(query, traditional=True)
        for d in _docs(self):
            text = f"Open {d.id} 《{d.title}》 {d.doc_number or ''}"
            score = matcher.match(text)
            if key and key in norm(f"{d.id}{d.title}{d.doc_number or ''}", traditional=True):
                score = max(score, 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(_app(self).open_document, d.id), text=text,
                          help=f"{d.date or ''} {'、'.join(d.issuers[:3])}")

    async def discover(self) -> Hits:
        for d in _docs(self):
            yield DiscoveryHit(f"Open {d.id} 《{d.title}》", partial(_app(self).open_document, d.id))


class CompareCommands(Provider):
    """Compare two documents of the same programme (or any two, by typing both ids)."""

    def _pairs(self) -> list[tuple[object, object]]:
        docs = _docs(self)
        pairs = []
        for a in docs:
            for b in docs:
                if a.id < b.id and a.programme and a.programme == b.programme:
                    pairs.append((a, b))
        return pairs

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for a, b in self._pairs():
            text = f"Compare {a.id} with {b.id}"  # type: ignore[attr-defined]
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(_app(self).open_compare, a.id, b.id),  # type: ignore[attr-defined]
                          text=text)

    async def discover(self) -> Hits:
        for a, b in self._pairs():
            yield DiscoveryHit(f"Compare {a.id} with {b.id}", partial(_app(self).open_compare, a.id, b.id))  # type: ignore[attr-defined]


class CitationCommands(Provider):
    """Cite a document: by number (any form) or title fragment, via the core's citation index."""

    async def search(self, query: str) -> Hits:
        app = _app(self)
        if not app.ready or not query.strip():
            return
        matcher = self.matcher(query)
        for e in app.library.citations.find(query)[:20]:
            text = f"Cite {e.doc_number or ''} 《{e.title}》"
            yield Hit(max(matcher.match(text), 0.8), text, partial(app.open_cite, None, None, query), text=text,
                      help="in the corpus" if e.in_corpus else "cited, not in the corpus")

    async def discover(self) -> Hits:
        app = _app(self)
        if not app.ready:
            return
        for e in app.library.citations.entities[:30]:
            if e.doc_number:
                yield DiscoveryHit(f"Cite {e.doc_number} 《{e.title}》",
                                   partial(app.open_cite, None, None, e.doc_number))
