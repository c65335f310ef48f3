"""Writing the word index: whole clauses, their postings written block by block (see words.py)."""

from __future__ import annotations

from array import array
from collections import Counter
from typing import Any

from whoosh.index import TOC
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from .words import FIELD

BLOCK = 128  # postings per block (Whoosh's own block size)
INLINE = 8  # a word in at most this many clauses keeps its postings in the terms table
COMPRESSION = 9  # zlib level of the postings blocks (Whoosh's default 3 gives 4% more)


class ClauseWriter(SegmentWriter):
    """A segment writer for whole clauses: ``add_clause`` takes the space-joined words of a clause and
    returns its number in the new segment; ``delete_clauses`` deletes a document's run of clauses."""

    def __init__(self, ix: Any):
        from whoosh.codec.whoosh3 import W3Codec

        # no Whoosh lock: the ingest lock serialises writers, and forked reading workers would hold it
        super().__init__(ix, codec=W3Codec(compression=COMPRESSION), _lk=False)
        self._field = self.schema[FIELD]
        self._postings: dict[str, array] = {}  # word -> docnum, frequency, docnum, frequency …
        self.posting_count = 0
        self.vocabulary: set[str] = set()  # the words of the segment written (once committed)
        self.moves: list[tuple[str, int]] = []  # (merged segment, where its first live clause went)
        self._segment_base = {}
        base = 0
        for seg in self.segments:
            self._segment_base[seg.segment_id()] = base
            base += seg.doc_count_all()

    @property
    def segment_name(self) -> str:
        return str(self.newsegment.segment_id())

    def add_clause(self, words: str) -> int:
        docnum = self.docnum
        pdw = self.perdocwriter
        pdw.start_doc(docnum)
        postings = self._postings
        counts = Counter(words.split(" "))
        counts.pop("", None)
        length = 0
        for word, freq in counts.items():
            run = postings.get(word)
            if run is None:
                postings[word] = run = array("I")
            run.append(docnum)
            run.append(freq)
            length += freq
        self.posting_count += len(counts)
        pdw.add_field(FIELD, self._field, None, length)
        pdw.finish_doc()
        self.docnum += 1
        self._added = True
        return docnum

    def delete_clauses(self, segment: str, first: int, count: int) -> None:
        base = self._segment_base[segment] + first
        for n in range(base, base + count):
            self.delete_document(n)

    # merging: Whoosh's MERGE_SMALL, recording where each merged segment's clauses go
    def _merge_segments(self, mergetype: Any, optimize: Any, merge: Any) -> list:
        from whoosh.reading import SegmentReader
        from whoosh.util import fib

        if merge is False:
            return self.segments
        small: list = []
        rest: list = []
        total = 0
        found = False
        for i, seg in enumerate(sorted(self.segments, key=lambda s: s.doc_count_all())):
            if found:
                rest.append(seg)
                continue
            total += seg.doc_count_all()
            small.append(seg)
            if i > 3 and total < fib(i + 5):
                found = True
        if not (found and len(small) > 1) and not optimize:
            return self.segments
        if optimize:
            small, rest = list(self.segments), []
        for seg in small:
            self.moves.append((str(seg.segment_id()), self.docnum))
            reader = SegmentReader(self.storage, self.schema, seg)
            try:
                self._add_segment(reader)
            finally:
                reader.close()
        return rest

    def _add_segment(self, reader: Any) -> None:
        """Copy a segment's live clauses after the added ones, in order (Whoosh's add_reader, without its
        posting pool)."""
        base = self.docnum
        docmap = self.write_per_doc({FIELD}, reader)  # live documents, renumbered in order
        postings = self._postings
        for btext in reader.lexicon(FIELD):
            m = reader.postings(FIELD, btext)
            run = None
            while m.is_active():
                if run is None:
                    word = btext.decode("utf-8")
                    run = postings.get(word)
                    if run is None:
                        postings[word] = run = array("I")
                n = m.id()
                run.append(docmap[n] if docmap is not None else base + n)
                run.append(int(m.weight()))
                m.next()
        self._added = True

    def _flush_segment(self) -> None:
        """Write the postings of the added clauses (and of merged segments), word by word in byte order."""
        self.perdocwriter.close()
        lengths = self._lengths(self.docnum)
        fw = self.fieldwriter
        fw.start_field(FIELD, self._field)
        for btext, run in sorted((w.encode("utf-8"), run) for w, run in self._postings.items()):
            _write_term(fw, btext, run[0::2], array("f", run[1::2]), lengths)
        fw.finish_field()
        fw.close()
        self.vocabulary = set(self._postings)
        self._postings = {}

    def _lengths(self, ndocs: int) -> list[int]:
        pdr = self.per_document_reader()
        try:
            return [pdr.doc_field_length(n, FIELD) for n in range(ndocs)]
        finally:
            pdr.close()

    def _commit_toc(self, segments: list) -> None:
        """Write the new table of contents and keep the previous generation's files (the store may still be
        pinned to it; :meth:`WordIndex.settle` removes them once the store has recorded this one)."""
        TOC(self.schema, segments, self.generation).write(self.storage, self.indexname)


def _write_term(fw: Any, btext: bytes, docs: array, weights: array, lengths: list[int]) -> None:
    """One word's postings through the codec's own writers, a block at a time (W3's per-posting
    ``add_posting`` checks types posting by posting, which cost more than the rest of writing a segment).
    A word of a few clauses is written into the terms table itself, as the codec's inlined postings: most
    words are rare, and a block of their own cost more than their postings."""
    fw.start_term(btext)
    pw = fw._postwriter
    total = len(docs)
    for start in range(0, total, BLOCK):
        ids = docs[start:start + BLOCK]
        block_weights = weights[start:start + BLOCK]
        block_lengths = [lengths[n] for n in ids]
        pw._ids = ids
        pw._weights = block_weights
        pw._values = []
        pw._minlength = min(block_lengths) or None
        pw._maxlength = max(block_lengths)
        pw._maxweight = max(block_weights)
        if start + BLOCK < total:
            pw._write_block()
    if total > INLINE:
        fw.finish_term()
        return
    terminfo = pw._terminfo
    terminfo.add_block(pw)
    terminfo.set_inlined(docs, () if all(w == 1.0 for w in weights) else weights, ())
    pw._terminfo = None
    fw._tindex.add(pack_ushort(fw._fieldid) + btext, terminfo.to_bytes())
