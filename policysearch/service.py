"""One place for what the UIs need from the core: the corpus documents, the searcher, the citations.

Loaded lazily and kept for the life of a process (the TUI keeps one Library).  No UI imports here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cached_property

from .config import Settings
from .ingest.pipeline import resolve
from .model import Document, Progress
from .store.generations import IngestReport, index_state, ingest


class Library:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()

    def prepare(self, cancel: threading.Event | None = None) -> Iterator[Progress | IngestReport]:
        """Build the index if there is none usable (yields progress), then load the searcher."""
        gen, why = index_state(self.settings.index)
        if gen is None:
            yield Progress(f"building the index ({why})", 0, 0)
            yield from ingest(self.settings, cancel)
        self.searcher  # noqa: B018 - load now, in the caller's (worker) thread

    def reload(self) -> None:
        """Forget loaded state (after an ingest)."""
        for name in ("searcher", "documents", "citations"):
            self.__dict__.pop(name, None)

    @cached_property
    def searcher(self):  # noqa: ANN201 - search.Searcher
        from .search.searcher import Searcher

        return Searcher(self.settings.index)

    @cached_property
    def documents(self) -> dict[str, Document]:
        """The searcher's documents: the index generation's docs.json is read once, not twice."""
        return self.searcher.docs

    @cached_property
    def citations(self):  # noqa: ANN201 - citations.CitationIndex
        from .cite.citations import CitationIndex

        return CitationIndex(list(self.documents.values()))

    def document(self, ref: str) -> Document:
        return resolve(self.documents.values(), ref)

    def short_title(self, doc: Document, width: int = 18) -> str:
        t = doc.title
        for prefix in ("关于", "關於"):
            if t.startswith(prefix):
                t = t[len(prefix):]
        return t if len(t) <= width else t[: width - 1] + "…"
