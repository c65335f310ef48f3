"""The store: documents, clauses, citations and their indexes on disk (SQLite + FTS5 + Whoosh).

``open_store(index_dir)`` gives read access to the live generation; ``ingest(settings)`` brings it up to
date with the corpus (see build.py).  Search, compare, cite and the service use the :class:`Store` interface
(base.py), not SQLite.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import IndexMissing
from .base import Store
from .sqlite import SQLiteStore
from .state import index_state, readable_store

if TYPE_CHECKING:
    from .build import IngestReport, ingest


def __getattr__(name: str) -> Any:
    """ingest and IngestReport load the ingest pipeline: only a process that ingests imports them."""
    if name in ("ingest", "IngestReport"):
        from . import build

        return getattr(build, name)
    raise AttributeError(name)


def open_store(index_dir: Path, *, stale_ok: bool = False) -> Store:
    """The live store of an index directory; IndexMissing (with the reason) if there is none usable.  With
    ``stale_ok``, a store built by other parsing code is opened as it is (its schema must be this code's)."""
    gen, why = index_state(index_dir)
    if gen is None and stale_ok:
        gen = readable_store(index_dir)
    if gen is None:
        raise IndexMissing(f"{index_dir}: {why}")
    return SQLiteStore(gen)


__all__ = ["IngestReport", "SQLiteStore", "Store", "index_state", "ingest", "open_store"]
