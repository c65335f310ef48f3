"""Documents' display texts, compressed in blocks.

A search hit shows one clause of a document; a long report decompressed whole for each of its hits cost more
than finding them.  So a text is stored as blocks of ``BLOCK`` characters, each compressed on its own (zlib),
and a clause reads the blocks it lies in, the last one only up to its end.  Measured on the bench reports:
blocks of 8,192 characters take 9% more than whole texts (16,384: 3%, 4,096: 16%) and halve what a hit in a
long report decompresses.  The row id of block k of document n is ``n << 20 | k``: a document's blocks are
one range of the table's own key, with no index of their own.
"""

from __future__ import annotations

import sqlite3
import zlib

BLOCK = 8192  # characters
_SHIFT = 20


def compress(text: str) -> list[bytes]:
    """The blocks of a text (runs in the reading workers)."""
    return [zlib.compress(text[i:i + BLOCK].encode("utf-8"), 6) for i in range(0, max(len(text), 1), BLOCK)]


def insert(con: sqlite3.Connection, num: int, blocks: list[bytes]) -> None:
    con.executemany("INSERT INTO texts (id, z) VALUES (?, ?)", [(num << _SHIFT | k, z) for k, z in enumerate(blocks)])


def delete(con: sqlite3.Connection, num: int) -> int:
    """Delete document ``num``'s text; its compressed size."""
    rows = con.execute("DELETE FROM texts WHERE id BETWEEN ? AND ? RETURNING length(z)",
                       (num << _SHIFT, (num + 1 << _SHIFT) - 1)).fetchall()
    return sum(n for (n,) in rows)


def read(con: sqlite3.Connection, num: int, start: int = 0, end: int | None = None) -> str:
    """The text of document ``num``, or the part [start, end) of it (only the blocks it lies in are read)."""
    if end is not None and end <= start:
        return ""
    first = start // BLOCK
    last = (end - 1) // BLOCK if end is not None else (1 << _SHIFT) - 1
    rows = con.execute("SELECT z FROM texts WHERE id BETWEEN ? AND ? ORDER BY id",
                       (num << _SHIFT | first, num << _SHIFT | last)).fetchall()
    if not rows:
        return ""
    parts = [zlib.decompress(z).decode("utf-8") for (z,) in rows[:-1]]
    offset = first * BLOCK
    if end is None:
        parts.append(zlib.decompress(rows[-1][0]).decode("utf-8"))
    else:  # the last block only up to end (4 bytes at most a character; a character cut short is dropped)
        need = end - offset - sum(map(len, parts))
        head = zlib.decompressobj().decompress(rows[-1][0], 4 * need)
        parts.append(head.decode("utf-8", errors="ignore") if len(head) == 4 * need else head.decode("utf-8"))
    return "".join(parts)[start - offset:None if end is None else end - offset]
