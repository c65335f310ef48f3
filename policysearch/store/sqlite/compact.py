"""Giving back the space of removed documents.

Deleting a document's rows leaves their space behind: SQLite keeps the freed pages in the file, the contentless
FTS5 tables keep the deleted rows in their segments (a delete is itself a row until segments merge), Whoosh keeps
deleted clauses in their segments, and the query dictionary keeps the words of every document ever indexed.  So
an index whose files were removed and replaced grew without bound (measured: the seeds with 60 laws, the laws
then removed: 4.2 MB, where a fresh index of the seeds is 0.55 MB).

Each ingest adds to ``meta.removed_text`` the compressed size of the texts it deleted (removed and re-read
files).  Once that passes a third of the live texts' size, the ingest compacts the store after its commit, under
its lock: Whoosh's segments merged into one (clauses renumbered, their places recorded in the same SQLite
transaction), FTS5's segments merged (``optimize``), the query dictionary made again from the words still
indexed, then ``VACUUM`` and a WAL checkpoint.  Readers are never blocked: they keep the Whoosh generation and
the database snapshot they opened.  The store then stays within about 1.5x of a fresh build of the same corpus.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Progress
from .schema import FTS_TABLES
from .store import DATABASE, QUERY_DICT, WORDS, connect
from .words import WordIndex

if TYPE_CHECKING:
    from .wordwriter import ClauseWriter

SHARE = 1 / 3  # removed text past this share of the live text: compact (the store then stays within 1.5x)
STAGE = "compacting the index"
# FTS5 segments of a literal table past which an ingest merges them into one: a phrase look-up seeks every
# segment (measured at 16x, 11 segments after a build: a trace seed 0.10 ms, the ranked phrase of 经济发展 6.4 ms;
# one segment: 0.018 and 3.9 ms); FTS5's own automerge keeps up to three a level
SEGMENTS = 6
MERGE_STAGE = "merging the literal index"


def record_word_commit(con: sqlite3.Connection, writer: ClauseWriter) -> None:
    """After a word-index commit, record in this transaction where its merges moved each document's clauses
    and the generation the store now reads."""
    for old, first in writer.moves:
        con.execute(
            "WITH moved AS (SELECT num, ? + coalesce(sum(clause_count) OVER (ORDER BY w_doc ROWS BETWEEN "
            "UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS w_doc FROM documents WHERE w_seg = ?) "
            "UPDATE documents SET w_seg = ?, w_doc = moved.w_doc FROM moved WHERE documents.num = moved.num",
            (first, old, writer.segment_name))
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('whoosh_generation', ?)", (str(writer.generation),))


def add_removed(con: sqlite3.Connection, size: int) -> None:
    """Count, in the ingest's transaction, the compressed size of texts it deleted."""
    if size:
        con.execute("INSERT INTO meta (key, value) VALUES ('removed_text', ?) ON CONFLICT(key) DO UPDATE SET "
                    "value = CAST(value AS INTEGER) + excluded.value", (str(size),))


def due(con: sqlite3.Connection) -> bool:
    """Whether the text removed since the last compaction is past SHARE of the live text."""
    row = con.execute("SELECT value FROM meta WHERE key = 'removed_text'").fetchone()
    removed = int(row[0]) if row else 0
    if removed <= 0:
        return False
    (live,) = con.execute("SELECT coalesce(sum(length(z)), 0) FROM texts").fetchone()
    return removed > SHARE * live


def compact(store_dir: Path, cancel: threading.Event | None = None) -> Iterator[Progress]:
    """Compact a store generation in place if it is due, yielding progress (nothing when it is not); the caller
    holds the ingest lock.  A cancel between steps leaves a consistent store (it is compacted again next time)."""
    from ...text.segment import update_query_dictionary

    con = connect(store_dir / DATABASE)
    if not due(con):
        con.close()
        return
    words = WordIndex(store_dir / WORDS)
    try:
        steps = 3
        yield Progress(STAGE, 0, steps, "word index")
        con.execute("BEGIN IMMEDIATE")
        try:
            writer = words.writer()
            try:
                writer.commit(optimize=True)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
            record_word_commit(con, writer)
            merge_segments(con)
            con.execute("DELETE FROM meta WHERE key = 'removed_text'")
            update_query_dictionary(str(store_dir / QUERY_DICT), writer.vocabulary, replace=True)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        words.close()
        words.settle(writer.generation)  # the merged segments' files
        if cancel is not None and cancel.is_set():
            return
        yield Progress(STAGE, 1, steps, "database")
        con.execute("VACUUM")
        yield Progress(STAGE, 2, steps, "database")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        yield Progress(STAGE, steps, steps)
    finally:
        con.close()
        words.close()


def segments(con: sqlite3.Connection, table: str) -> int:
    """The segments of an FTS5 table (each has rows in the table's ``_idx`` shadow table, keyed by segment)."""
    (n,) = con.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()
    return int(n)


def merge_segments(con: sqlite3.Connection) -> None:
    """Merge each FTS5 table's segments into one (in the caller's transaction)."""
    for table in FTS_TABLES:
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def merge_if_due(store_dir: Path) -> Iterator[Progress]:
    """After an ingest in place: merge the literal tables' segments once there are more than SEGMENTS of them in
    one (yields progress; nothing when not needed).  The caller holds the ingest lock; readers keep their
    snapshot."""
    con = connect(store_dir / DATABASE)
    try:
        if not any(segments(con, t) > SEGMENTS for t in FTS_TABLES):
            return
        yield Progress(MERGE_STAGE, 0, 1)
        con.execute("BEGIN IMMEDIATE")
        try:
            merge_segments(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the rewritten tables passed through the log
        yield Progress(MERGE_STAGE, 1, 1)
    finally:
        con.close()
