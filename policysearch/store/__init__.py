"""The store: documents, clauses, citations and their indexes — the one seam between the stages above and
where the corpus is kept.

``base.py`` is the protocol every store implements and its row types, ``expressions.py`` the literal
combinations a store evaluates, ``fingerprint.py`` what decides an index's rows; ``sqlite/`` is the embedded
store (the default: ``open_store(index_dir)`` gives read access to its live generation, ``ingest(settings)``
brings it up to date with the corpus), ``postgres/`` the server store.  Search, compare, cite and render use
the :class:`Store` protocol only (an import-linter contract holds them to it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import IndexMissing
from .base import Store
from .sqlite import SQLiteStore
from .sqlite.state import index_state, readable_store

if TYPE_CHECKING:
    from .sqlite.build import IngestReport, ingest


def __getattr__(name: str) -> Any:
    """ingest and IngestReport load the ingest pipeline: only a process that ingests imports them."""
    if name in ("ingest", "IngestReport"):
        from .sqlite import build

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
