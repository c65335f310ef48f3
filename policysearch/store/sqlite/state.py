"""Where the live store of an index directory is, and whether it can be used as it is.

Kept apart from build.py so that a process that only reads (search, show, cite) does not import the ingest
pipeline to find its store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..fingerprint import code_stamp, fingerprint
from .schema import SCHEMA_VERSION
from .store import DATABASE, connect

CURRENT = "CURRENT"


def current_store(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except OSError:
        return None
    return index_dir / name if name else None


def _meta(db: Path) -> dict[str, str]:
    """A store's meta table (sqlite3.DatabaseError if it cannot be read)."""
    con = connect(db, readonly=True)
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()


def readable_store(index_dir: Path) -> Path | None:
    """The live store if it can be read as it is, though it may be stale (built by other parsing code): its
    database opens and has this code's schema.  For answering when it cannot be rebuilt (a read-only index)."""
    gen = current_store(index_dir)
    if gen is None or not (gen / DATABASE).exists():
        return None
    try:
        meta = _meta(gen / DATABASE)
    except sqlite3.DatabaseError:
        return None
    return gen if meta.get("schema_version") == str(SCHEMA_VERSION) else None


def index_state(index_dir: Path) -> tuple[Path | None, str]:
    """The live store generation and, if it cannot be used as it is, why."""
    gen = current_store(index_dir)
    if gen is None:
        return None, "no index yet"
    db = gen / DATABASE
    if not db.exists():
        if (gen / "docs.json").exists():
            return None, "the index was built by an older version (JSON files, now SQLite)"
        return None, "the index is incomplete"
    try:
        meta = _meta(db)
    except sqlite3.DatabaseError as e:
        return None, f"the index cannot be read ({e})"
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        return None, (f"the index was built by an older version (schema {meta.get('schema_version')}, "
                      f"now {SCHEMA_VERSION})")
    if meta.get("code_stamp") != code_stamp() and meta.get("fingerprint") != fingerprint():
        return None, "the parsing code or its data changed since the index was built (every file is read again)"
    return gen, ""
