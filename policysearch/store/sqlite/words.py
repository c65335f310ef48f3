"""BM25 over jieba words in Whoosh: one Whoosh document per clause, holding only the clause's words.

jieba runs before Whoosh (in the reading workers, on the matching form).  Which clause a Whoosh document is,
the SQLite store records, per document: the Whoosh segment that holds its clauses and the number of its first
clause there (``documents.w_seg``, ``documents.w_doc``).  A document's clauses are added one after the other
and deleted together, and a merge copies a segment's live documents in order, so they stay consecutive in one
segment; a merge moves them, and :class:`ClauseWriter` reports where to (``moves``) so that the store updates
its rows in the same transaction.  No per-clause key is indexed or stored: that would double the index.

The store pins the Whoosh generation it agrees with (``meta.whoosh_generation``).  Readers open that
generation's table of contents, not the latest; a writer writes the next generation without deleting the
previous one, so a crash between the Whoosh commit and the SQLite commit leaves the pinned generation intact,
and the next ingest rolls the unrecorded one back (:meth:`WordIndex.settle`).

Writing goes around Whoosh's per-posting pipeline (analyzer, posting pool, external sort), which cost most of
a build: :class:`ClauseWriter` counts each clause's words once, keeps each word's postings in arrays in
document order, and writes whole blocks through the codec's own postings writer.  The postings are the same
as Whoosh's ``Frequency`` format gives (the frequency as the weight BM25 reads); the repeated encoded
frequency is left out (the field's format is ``Existence``), which halves the postings.  A test compares the
scores with Whoosh's own writer.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...lazyimport import deferring

if TYPE_CHECKING:
    from .wordwriter import ClauseWriter

FIELD = "words"

def import_for_queries() -> None:
    """Import the whoosh modules a query uses without those it never calls (policysearch/lazyimport.py): urllib.request
    (12 ms of a 0.18 s `search` process), the English stemming tables (4 ms) and, through cached_property, asyncio
    (9 ms)."""
    if "whoosh.searching" in sys.modules:
        return
    with deferring("urllib.request", "whoosh.lang.morph_en", "cached_property"):
        for module in ("whoosh.filedb.filestore", "whoosh.index", "whoosh.reading", "whoosh.scoring",
                       "whoosh.searching", "whoosh.query"):
            importlib.import_module(module)


def schema() -> Any:
    from whoosh import fields, formats
    from whoosh.analysis import SpaceSeparatedTokenizer

    words = fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    words.format = formats.Existence()  # weights (the frequencies) are written by ClauseWriter
    return fields.Schema(**{FIELD: words})


class WordIndex:
    """The Whoosh index of a store generation (``DIR/words``)."""

    def __init__(self, path: Path, *, create: bool = True):
        import_for_queries()
        from whoosh.filedb.filestore import FileStorage

        self.path = path
        if create:
            path.mkdir(parents=True, exist_ok=True)
        # without mmap, a reader reads postings on demand instead of copying the whole postings file into
        # memory when it opens (measured: 3.9 MiB traced peak instead of 17.9 MiB at 16x)
        self.storage = FileStorage(str(path), supports_mmap=False)
        if create and not self.storage.index_exists():
            self.storage.create_index(schema())
        self._indexname = "MAIN"
        self._lock = threading.Lock()  # Whoosh's file reads (seek, read) are not thread-safe
        self._generation = -1
        self._searcher: Any = None
        self._offsets: dict[str, int] = {}
        self._blocks: dict[tuple[str, str], tuple[list[int], list[int]]] = {}  # (segment, word) → _block_list

    def latest_generation(self) -> int:
        from whoosh.index import TOC

        return int(TOC._latest_generation(self.storage, self._indexname))

    # -- reading a pinned generation ----------------------------------------------------------------
    def _open(self, generation: int) -> Any:
        from whoosh.index import TOC, FileIndex
        from whoosh.reading import EmptyReader
        from whoosh.scoring import BM25F
        from whoosh.searching import Searcher

        if generation != self._generation or self._searcher is None:
            toc = TOC.read(self.storage, self._indexname, gen=generation)
            reader = FileIndex._reader(self.storage, toc.schema, toc.segments, generation)
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = Searcher(reader, weighting=BM25F())
            self._offsets = {}
            self._blocks = {}
            base = 0
            if not isinstance(reader, EmptyReader):
                for seg in toc.segments:
                    self._offsets[seg.segment_id()] = base
                    base += seg.doc_count_all()
            self._generation = generation
        return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._generation = -1

    def scores(self, generation: int, words: list[str], places: dict[int, tuple[str, int]]) -> dict[int, float]:
        """BM25 of clauses for the query words in a generation; ``places`` gives each clause's segment and
        number there.  Clauses without all the words score 0 (and are left out).

        Whoosh's BM25F scorer, fed directly: each word's postings are looked up only in the blocks that hold a
        clause asked for (found by bisection in the list of its blocks, kept per generation), instead of a
        Whoosh matcher stepping through every block header and posting before it — that walk grew with the
        corpus (3.6 ms of a 20 ms search at 16x)."""
        from whoosh.scoring import BM25F

        words = [w for w in dict.fromkeys(words) if w]
        if not words or not places:
            return {}
        with self._lock:
            s = self._open(generation)
            by_docnum = {self._offsets[seg] + n: cid for cid, (seg, n) in places.items() if seg in self._offsets}
            wanted = sorted(by_docnum)
            total = dict.fromkeys(wanted, 0.0)
            weighting = BM25F()
            for w in words:
                if (FIELD, w) not in s.reader():  # no clause has it, so none has them all
                    return {}
                scorer = weighting.scorer(s, FIELD, w)
                found = self._weights(s, w, wanted)
                total = {n: t + scorer._score(found[n], s.doc_field_length(n, FIELD, 1))
                         for n, t in total.items() if n in found}
                if not total:
                    return {}
                wanted = sorted(total)
            return {by_docnum[n]: score for n, score in total.items()}

    def _weights(self, searcher: Any, word: str, docnums: list[int]) -> dict[int, float]:
        """The frequencies (weights) of a word in those of the documents (sorted global numbers) that have it."""
        from bisect import bisect_left, bisect_right

        out: dict[int, float] = {}
        reader = searcher.reader()
        for sub, base in reader.leaf_readers():
            lo, hi = bisect_left(docnums, base), bisect_left(docnums, base + sub.doc_count_all())
            if lo == hi or (FIELD, word) not in sub:
                continue
            m = sub.postings(FIELD, word)
            m = getattr(m, "child", m)  # past the filter of deleted documents: only live clauses are asked for
            local = [n - base for n in docnums[lo:hi]]
            if not hasattr(m, "_goto"):  # postings kept in the term's entry (a word of a few clauses)
                have = {}
                while m.is_active():
                    have[m.id()] = m.weight()
                    m.next()
                out.update((n + base, have[n]) for n in local if n in have)
                continue
            key = (sub.segment().segment_id(), word)
            blocks = self._blocks.get(key)
            if blocks is None:
                blocks = self._blocks[key] = _block_list(m)
            offsets, maxids = blocks
            current = -1
            ids: Any = ()
            for n in local:
                k = bisect_left(maxids, n)
                if k == len(maxids):
                    break
                if k != current:
                    m._goto(offsets[k])
                    m._read_ids()
                    m._read_weights()
                    ids, current = m._ids, k
                i = bisect_right(ids, n) - 1
                if i >= 0 and ids[i] == n:
                    out[n + base] = m._weights[i]
        return out

    def live_count(self, generation: int) -> int:
        with self._lock:
            return int(self._open(generation).doc_count())

    # -- writing ------------------------------------------------------------------------------------
    def settle(self, generation: int | None) -> bool:
        """Keep only the pinned generation's files: drop older ones, and roll back a newer generation that an
        interrupted ingest wrote but the store never recorded.  True if there was such a generation."""
        from whoosh.index import TOC, clean_files

        if generation is None or generation < 0:
            return False
        latest = self.latest_generation()
        toc = TOC.read(self.storage, self._indexname, gen=generation)
        clean_files(self.storage, self._indexname, generation, toc.segments)
        return latest > generation

    def writer(self) -> ClauseWriter:
        """The one writer (the ingest lock serialises writers)."""
        from .wordwriter import ClauseWriter

        return ClauseWriter(self.storage.open_index(self._indexname))


def _block_list(m: Any) -> tuple[list[int], list[int]]:
    """Where each block of a word's postings starts, and the last document number in it (one walk over the
    block headers, as a Whoosh matcher makes when it skips to the end)."""
    offsets, maxids = [], []
    position = m._baseoffset
    while True:
        m._goto(position)
        offsets.append(position)
        maxids.append(m._maxid)
        if m._lastblock:
            return offsets, maxids
        position = m._nextoffset


def clause_places(rows: Iterable[tuple[int, str | None, int | None, int]]) -> dict[int, tuple[str, int]]:
    """(clause id, segment, document's first number, the clause's offset in its document) → where each clause
    is in the word index."""
    return {cid: (seg, first + k) for cid, seg, first, k in rows if seg is not None and first is not None}
