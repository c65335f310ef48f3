"""BM25 over jieba words in Whoosh, keyed by clause id and updated in place.

jieba runs before Whoosh (in the reading workers, on the matching form); the ``words`` field receives the
words joined by spaces and :class:`WordsAnalyzer` only splits them, with positions counted in words (jieba's
own ChineseAnalyzer sets positions to character offsets and stems Latin words).  Clause ids are never reused,
so a Whoosh document and a clause row with the same id always hold the same text: deleting a file's
documents (by ``source``) and adding the new clauses keeps Whoosh and SQLite in step, and a crash between
the two commits is repaired by comparing their id sets.

Whoosh ranks; it does not decide what matches (the literal index does): a query's candidates are scored by
skipping through the word posting lists to each candidate's document number.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh.analysis import Token, Tokenizer


class WordsAnalyzer(Tokenizer):
    """Splits a space-joined word list; positions count words."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordsAnalyzer)

    def __hash__(self) -> int:
        return hash(WordsAnalyzer)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs: object):  # noqa: ANN204 - generator of whoosh Tokens
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, w in enumerate(value.split(" ")):
            if not w:
                continue
            t.original = t.text = w
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            yield t


def _schema() -> Any:
    from whoosh import fields

    return fields.Schema(
        cid=fields.ID(stored=True, unique=True),
        source=fields.ID(),
        words=fields.TEXT(analyzer=WordsAnalyzer(), phrase=False),
    )


class WordIndex:
    """The Whoosh index of an index directory (``DIR/words``)."""

    def __init__(self, path: Path):
        from whoosh.filedb.filestore import FileStorage

        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        # without mmap, a reader reads postings on demand instead of copying the whole postings file into
        # memory when it opens (measured: 3.9 MiB traced peak instead of 17.9 MiB at 16x)
        storage = FileStorage(str(path), supports_mmap=False)
        self._ix = storage.open_index() if storage.index_exists() else storage.create_index(_schema())
        self._searcher: Any = None

    # -- reading ----------------------------------------------------------------------------------
    def generation(self) -> int:
        return int(self._ix.latest_generation())

    def _current(self) -> Any:
        from whoosh.scoring import BM25F

        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=BM25F())
        elif not self._searcher.up_to_date():
            self._searcher = self._searcher.refresh()
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def ids(self) -> set[int]:
        """Every clause id Whoosh holds (for the consistency check after a crash)."""
        s = self._current()
        return {int(f["cid"]) for _, f in s.reader().iter_docs()}

    def scores(self, words: list[str], clause_ids: Iterable[int]) -> dict[int, float]:
        """BM25 of the given clauses for the query words (clauses without all the words score 0)."""
        from whoosh.query import And, Term

        words = [w for w in dict.fromkeys(words) if w]
        if not words:
            return {}
        s = self._current()
        by_docnum: dict[int, int] = {}
        for cid in clause_ids:
            n = s.document_number(cid=str(cid))
            if n is not None:
                by_docnum[n] = cid
        if not by_docnum:
            return {}
        q = And([Term("words", w) for w in words]) if len(words) > 1 else Term("words", words[0])
        m = q.matcher(s, s.context())
        out: dict[int, float] = {}
        for n in sorted(by_docnum):
            if not m.is_active():
                break
            if m.id() < n:
                m.skip_to(n)
                if not m.is_active():
                    break
            if m.id() == n:
                out[by_docnum[n]] = m.score()
        return out

    # -- writing ----------------------------------------------------------------------------------
    def writer(self) -> Any:
        """Whoosh's one writer (it waits for a lock; the ingest lock already serialises writers)."""
        return self._ix.writer(limitmb=256)

    @staticmethod
    def add(writer: Any, clause_id: int, source: str, words: str) -> None:
        writer.add_document(cid=str(clause_id), source=source, words=words)

    @staticmethod
    def delete_source(writer: Any, source: str) -> None:
        writer.delete_by_term("source", source)

    @staticmethod
    def delete_ids(writer: Any, clause_ids: Iterable[int]) -> None:
        for cid in clause_ids:
            writer.delete_by_term("cid", str(cid))
