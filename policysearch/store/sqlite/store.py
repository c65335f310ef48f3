"""The store on SQLite: documents, clauses, citations and the literal index, read by what each question needs.

A process opens the store and reads only the rows it shows: the hits of a query, the document being read,
the two documents being compared.  Connections are per thread (WAL readers never block on the writer).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ...model import Citation, Clause, Document
from ...text.normalise import norm
from ..base import HEAD_KINDS, ClauseRow, citation_from_row, document_from_meta, info_by_id, number_condition, resolve
from ..expressions import LiteralExpr
from . import literal, texts
from .schema import SCHEMA_VERSION, TABLES, clause_label, kind_name
from .words import WordIndex, clause_places

DATABASE = "store.sqlite"
WORDS = "words"
QUERY_DICT = "querydict.sqlite"  # the words a query can be cut into (text/segment.py)
META = "coalesce(meta, parsed)"  # a document's effective metadata (meta is kept only where it differs)
_ONE_CHARACTER = 1.0  # the score of a single character found
_PICO = 1e-12


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to a store's database; a reader opens it read-only, and where the user may not write the
    folder (a read-only disk, another user's index) without the shared-memory file it cannot make: as
    immutable (nobody can be writing it then)."""
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    con = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    if readonly:
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            if os.access(path.parent, os.W_OK) and os.access(path, os.W_OK):
                raise
            con.close()
            con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, isolation_level=None,
                                  check_same_thread=False)
    con.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
    else:  # a reader maps the file instead of copying pages into its cache (a common word's first search at 16x
        # took twice its later ones: its posting lists did not fit the 16 MB page cache)
        con.execute("PRAGMA mmap_size = 1073741824")
    con.execute("PRAGMA cache_size = -16000")
    return con


def create(path: Path) -> sqlite3.Connection:
    con = connect(path)
    con.executescript(TABLES)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return con


class SQLiteStore:
    """Read access to one store generation (a directory with store.sqlite and words/)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.path = directory / DATABASE
        if not self.path.exists():
            raise FileNotFoundError(str(self.path))
        self._local = threading.local()
        self._word_index: WordIndex | None = None
        self._traditional: bool | None = None
        self._words_lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------------
    @property
    def con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = connect(self.path, readonly=True)
            self._local.con = con
        return con

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same state of the store (inside another, that one)."""
        con = self.con
        if con.in_transaction:
            yield con
            return
        con.execute("BEGIN")
        try:
            yield con
        finally:
            con.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self.snapshot():
            yield

    @property
    def word_index(self) -> WordIndex:
        with self._words_lock:
            if self._word_index is None:
                self._word_index = WordIndex(self.directory / WORDS, create=False)
            return self._word_index

    def word_places(self, clause_ids: Iterable[int]) -> tuple[int, dict[int, tuple[str, int]]]:
        """The word index's generation this store agrees with, and where the clauses are in it (one snapshot)."""
        ids = list(clause_ids)
        with self.snapshot() as con:
            (generation,) = con.execute("SELECT value FROM meta WHERE key = 'whoosh_generation'").fetchone()
            rows: list[tuple[int, str | None, int | None, int]] = []
            for i in range(0, len(ids), 900):
                chunk = ids[i:i + 900]
                rows += con.execute(f"SELECT c.id, d.w_seg, d.w_doc, c.id - d.first_clause FROM clauses c JOIN "
                                    f"documents d ON d.num = c.doc WHERE c.id IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
        return int(generation), clause_places(rows)

    def word_scores(self, terms: list[list[str]], clause_ids: Iterable[int]) -> dict[int, float]:
        """BM25 over jieba words of the given clauses, summed over the terms (each term: the words a clause must
        all have to score)."""
        terms = [t for t in terms if t]
        if not terms:
            return {}
        ids = list(clause_ids)
        for _ in range(2):  # once more if an ingest settled the word index between the snapshot and opening it
            generation, places = self.word_places(ids)
            out: dict[int, float] = {}
            try:
                for words in terms:
                    for cid, score in self.word_index.scores(generation, words, places).items():
                        out[cid] = out.get(cid, 0.0) + score
                return out
            except OSError:
                continue
        return {}  # the word index cannot be read: the literal index ranks alone (the next ingest rebuilds it)

    @property
    def query_dictionary(self) -> str:
        return str(self.directory / QUERY_DICT)

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None
        if self._word_index is not None:
            self._word_index.close()

    def meta(self, key: str, default: str = "") -> str:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    # -- documents --------------------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        """Documents and clauses (recorded by the ingest: counting a million clause rows took a TUI's start)."""
        recorded = dict(self.con.execute("SELECT key, value FROM meta WHERE key IN ('documents', 'clauses')"))
        if len(recorded) == 2:
            return int(recorded["documents"]), int(recorded["clauses"])
        (docs,) = self.con.execute("SELECT count(*) FROM documents").fetchone()
        (clauses,) = self.con.execute("SELECT coalesce(sum(clause_count - heads), 0) FROM documents").fetchone()
        return docs, clauses

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM documents ORDER BY file, ord")]

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        """Documents' metadata (no text, no clauses), in corpus order or in the order of ids."""
        if ids is None:
            rows = self.con.execute(f"SELECT {META}, clause_count - heads FROM documents ORDER BY file, ord"
                                    ).fetchall()
            return [document_from_meta(json.loads(m), clause_count=n) for m, n in rows]
        out = []
        for doc_id in ids:
            row = self.con.execute(f"SELECT {META}, clause_count - heads FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
            if row is not None:
                out.append(document_from_meta(json.loads(row[0]), clause_count=row[1]))
        return out

    def info(self, doc_id: str) -> Document | None:
        return info_by_id(self, doc_id)

    def document(self, doc_id: str) -> Document | None:
        """A document with its text and clause tree (matching forms computed afresh)."""
        with self.snapshot() as con:
            row = con.execute(f"SELECT {META}, num, script, first_clause, clause_count FROM documents WHERE id = ?",
                              (doc_id,)).fetchone()
            if row is None:
                return None
            first = row[3] or 0
            rows = con.execute("SELECT id - ?, parent, path, label, heading, level, kind, number, annotations, start, "
                               "length, text FROM clauses WHERE id BETWEEN ? AND ? ORDER BY id",
                               (first, first, first + row[4] - 1)).fetchall()
            text = texts.read(con, row[1])
        traditional = row[2] == "traditional"
        by_ord: dict[int, Clause] = {}
        top: list[Clause] = []
        for ord_, parent, path, label, heading, level, kind, number, ann, start, length, own in rows:
            if kind in HEAD_KINDS:  # the title and information rows: searched, not clauses
                continue
            body = own if own is not None else text[start:start + length]
            c = Clause(path=path, label=clause_label(label, path), heading=heading, text=body,
                       norm=norm(body, traditional=traditional), level=level,
                       annotations=json.loads(ann) if ann else {}, start=start, kind=kind_name(kind), number=number)
            by_ord[ord_] = c
            (by_ord[parent].children if parent is not None and parent in by_ord else top).append(c)
        return document_from_meta(json.loads(row[0]), text=text, clauses=top)

    def documents_by_number(self, ref: tuple[str | None, int | None, int]) -> list[Document]:
        where, args = number_condition(ref)
        rows = self.con.execute(f"SELECT {META}, clause_count - heads FROM documents WHERE {where} ORDER BY file, ord",
                                args).fetchall()
        return [document_from_meta(json.loads(m), clause_count=n) for m, n in rows]

    def documents_by_title(self, fragment: str) -> list[Document]:
        """Documents whose title (matching form) or id contains the fragment."""
        key = norm(fragment, traditional=True)
        if not key:
            return []
        if len(key) >= 2:
            rows = self.con.execute(
                f"SELECT {META}, d.clause_count - d.heads FROM titles t JOIN documents d ON d.num = t.rowid "
                "WHERE titles MATCH ? ORDER BY d.file, d.ord", (literal.matching_expr((key,)) or "",)).fetchall()
        else:
            rows = self.con.execute(f"SELECT {META}, clause_count - heads FROM documents WHERE instr(title_key, ?) "
                                    "OR instr(id, ?) ORDER BY file, ord", (key, key)).fetchall()
        return [document_from_meta(json.loads(m), clause_count=n) for m, n in rows]

    def resolve(self, ref: str) -> Document:
        """A DOC reference: id, document number in any form, or a title fragment that names one document."""
        return resolve(self, ref)

    # -- clauses for search -----------------------------------------------------------------------
    def clause_rows(self, clause_ids: list[int]) -> list[ClauseRow]:
        """The hits' clauses, in the order asked, each with its text and its document's metadata."""
        if not clause_ids:
            return []
        marks = ",".join("?" * len(clause_ids))
        by_id = {}
        with self.snapshot() as con:
            rows = con.execute(f"SELECT c.id, d.id, d.num, c.id - d.first_clause, c.path, c.label, c.heading, "
                               f"c.start, c.length, c.text, c.trad FROM clauses c JOIN documents d ON d.num = c.doc "
                               f"WHERE c.id IN ({marks})", clause_ids).fetchall()
            docs = {}
            for doc_id in sorted({r[1] for r in rows}):
                m, n = con.execute(f"SELECT {META}, clause_count - heads FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
                docs[doc_id] = document_from_meta(json.loads(m), clause_count=n)
            for cid, doc_id, num, ord_, path, label, heading, start, length, own, trad in rows:
                if own is None:
                    own = texts.read(con, num, start, start + length)
                by_id[cid] = ClauseRow(cid, doc_id, ord_, path, clause_label(label, path), heading, own, bool(trad),
                                       docs[doc_id])
        return [by_id[i] for i in clause_ids if i in by_id]

    def clause_order(self, clause_ids: Iterable[int]) -> dict[int, tuple[str, str, int]]:
        """(document date, document id, reading order) of clauses: the tie-break of equal scores."""
        ids = list(clause_ids)
        out: dict[int, tuple[str, str, int]] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i:i + 900]
            marks = ",".join("?" * len(chunk))
            for cid, date, doc_id, ord_ in self.con.execute(
                    f"SELECT c.id, coalesce(d.date, ''), d.id, c.id - d.first_clause FROM clauses c JOIN documents d "
                    f"ON d.num = c.doc WHERE c.id IN ({marks})", chunk):
                out[cid] = (date, doc_id, ord_)
        return out

    # -- the literal index ------------------------------------------------------------------------
    def _fts(self, expr: str, *, ranked: bool = True, where: str = "", table: str = "literal",
             rowids: Iterable[int] | None = None) -> dict[int, float]:
        """Rows of a literal-index table matching an FTS5 expression, with FTS5's BM25 (positive: the higher the
        better), or 1.0 when not ranked (cheaper); ``where``: a condition on the clause (``c``) as well; ``rowids``:
        only these rows.

        The rows come back as JSON arrays: a common word has thousands, and one string parsed in C is several
        times cheaper than a Python tuple per row (scores are sent as integers in units of 10^-12)."""
        score = f"CAST(max(-bm25({table}), 0.0) * 1e12 AS INTEGER)" if ranked else "0"
        if rowids is not None:  # a condition on the row id alone: no clause row to read
            source = f"{table} l WHERE {table} MATCH ? AND l.rowid IN ({','.join(str(int(i)) for i in rowids)})"
        elif where:
            source = f"{table} l JOIN clauses c ON c.id = l.rowid WHERE {table} MATCH ? AND {where}"
        else:
            source = f"{table} l WHERE {table} MATCH ?"
        # LIMIT -1 keeps the subquery apart (bm25 cannot be computed inside an aggregate)
        ids, scores = self.con.execute(f"SELECT json_group_array(id), json_group_array(s) FROM (SELECT l.rowid AS id, "
                                       f"{score} AS s FROM {source} LIMIT -1)", (expr,)).fetchone()
        if not ranked:
            return dict.fromkeys(json.loads(ids), 1.0)
        return dict(zip(json.loads(ids), map(_PICO.__mul__, json.loads(scores)), strict=True))

    def _chars(self, ch: str, traditional_only: bool) -> set[int]:
        if traditional_only:
            sql = ("SELECT json_group_array(x.rowid) FROM chars x JOIN clauses c ON c.id = x.rowid "
                   "WHERE chars MATCH ? AND c.trad = 1")
        else:
            sql = "SELECT json_group_array(rowid) FROM chars WHERE chars MATCH ?"
        (ids,) = self.con.execute(sql, (literal.char_expr(ch),)).fetchone()
        return set(json.loads(ids))

    def matching(self, forms: tuple[str, ...], *, traditional_only: bool = False) -> dict[int, float]:
        """Clauses whose matching form contains any of the forms, each with the BM25 of the phrases it contains
        (1 for a single character)."""
        out: dict[int, float] = {}
        expr = literal.matching_expr(forms)
        if expr:
            out.update(self._fts(expr, where="c.trad = 1" if traditional_only else ""))
        for f in forms:
            if len(f) == 1:  # the chars table holds both forms: keep the ones with it in the matching form
                for cid in self._chars(f, traditional_only):
                    out.setdefault(cid, _ONE_CHARACTER)
        return out

    def clause_documents(self, form: str) -> dict[int, str]:
        expr = literal.phrase_expr(form)
        if expr is None:
            return {}
        ids, docs = self.con.execute(
            "SELECT json_group_array(x.id), json_group_array(d.id) FROM (SELECT rowid AS id FROM literal "
            "WHERE literal MATCH ?) x JOIN clauses c ON c.id = x.id JOIN documents d ON d.num = c.doc",
            (expr,)).fetchone()
        return dict(zip(json.loads(ids), json.loads(docs), strict=True))

    def matching_expression(self, expr: LiteralExpr, *, within: Iterable[int] | None = None) -> dict[int, float]:
        """Clauses matching a combination of literal matches, each with the BM25 of the phrases it contains;
        ``within``: which of these clauses (a few) match it, unranked (1.0)."""
        if within is None:
            return self._fts(literal.expression(expr))
        ids = list(within)
        return self._fts(literal.expression(expr), ranked=False, rowids=ids) if ids else {}

    def literal(self, raw: str, *, only_differing: bool = False) -> dict[int, float]:
        """Clauses whose literal form (the script as written) contains raw; ``only_differing``: only those whose
        literal form differs from their matching form (the caller found the others by ``matching``)."""
        expr = literal.phrase_expr(raw)
        if expr is None:
            if only_differing or not raw:  # one character: the chars table holds both forms, matching() read it
                return {}
            return dict.fromkeys(self._chars(raw, False), 1.0)
        out = self._fts(expr, ranked=False, table="literal_r")
        if not only_differing:  # a clause without a literal_r row has the same literal and matching forms
            out.update(self._fts(expr, ranked=False, where="c.differs = 0"))
        return out

    def containing_all(self, words: list[str]) -> dict[int, float]:
        """Clauses whose matching form contains every one of the words (anywhere, in any order)."""
        words = [w for w in dict.fromkeys(words) if w]
        expr = literal.all_words_expr(words)
        out = self._fts(expr, ranked=False) if expr else None
        for w in words:
            if len(w) == 1:
                ids = self._chars(w, False)
                out = {i: s for i, s in out.items() if i in ids} if out is not None else dict.fromkeys(ids, 1.0)
        return out or {}

    def clauses_of_documents(self, doc_ids: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for doc_id in doc_ids:
            row = self.con.execute("SELECT first_clause, clause_count FROM documents WHERE id = ?",
                                   (doc_id,)).fetchone()
            if row is not None and row[0] is not None:
                out.update(range(row[0], row[0] + row[1]))
        return out

    def first_clause(self, doc_id: str) -> int | None:
        row = self.con.execute("SELECT first_clause FROM documents WHERE id = ? AND clause_count > 0",
                               (doc_id,)).fetchone()
        return row[0] if row else None

    # -- document filters -------------------------------------------------------------------------
    def documents_in_years(self, lo: int, hi: int) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM documents WHERE year BETWEEN ? AND ?", (lo, hi))]

    def documents_in_batch(self, batch: int) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT id FROM documents WHERE batch = ?", (batch,))]

    def documents_by_issuer(self, key: str, *, prefix: bool = False) -> list[str]:
        """Documents one of whose issuers is ``key`` (normalised), or starts with it."""
        cond = "instr(char(10) || issuers_key, char(10) || ?)" if prefix else \
            "instr(char(10) || issuers_key || char(10), char(10) || ? || char(10))"
        return [r[0] for r in self.con.execute(f"SELECT id FROM documents WHERE {cond}", (key,))]

    def latest_versions(self) -> list[str]:
        """Each work's latest version, and every document that is no version of a work."""
        return [r[0] for r in self.con.execute(
            "SELECT id FROM documents d WHERE work IS NULL OR NOT EXISTS (SELECT 1 FROM documents e "
            "WHERE e.work = d.work AND (coalesce(e.version, '') > coalesce(d.version, '') "
            "OR (coalesce(e.version, '') = coalesce(d.version, '') AND e.id > d.id)))")]

    # -- citations --------------------------------------------------------------------------------
    def citing_clauses(self, ref: tuple[str | None, int | None, int]) -> list[tuple[int, str | None]]:
        """(clause id, number as cited) of every citation of a number (code and year if given)."""
        where, args = number_condition(ref)
        return self.con.execute(f"SELECT clause_id, doc_number FROM citations WHERE {where}", args).fetchall()

    def citations(self, *, numbers: Iterable[tuple[str | None, int | None, int]] = (), similar_to: Iterable[str] = (),
                  containing: str = "", doc_ids: Iterable[str] = (), limit: int = 400) -> list[Citation]:
        """Citation rows: of these numbers, with titles that may name the same document as these title keys
        (candidates by shared bigrams, best ``limit`` per key; the caller decides), with titles containing a
        fragment, or standing in these documents."""
        ids: set[int] = set()
        con = self.con
        for ref in numbers:
            where, args = number_condition(ref)
            ids.update(r[0] for r in con.execute(f"SELECT id FROM citations WHERE {where}", args))
        for key in similar_to:
            expr = literal.any_bigram_expr(key)
            if expr:
                ids.update(r[0] for r in con.execute(
                    "SELECT rowid FROM cited_titles WHERE cited_titles MATCH ? ORDER BY rank LIMIT ?", (expr, limit)))
        if containing:
            expr = literal.matching_expr((containing,))
            if expr:
                ids.update(r[0] for r in con.execute("SELECT rowid FROM cited_titles WHERE cited_titles MATCH ?",
                                                     (expr,)))
        for doc_id in doc_ids:
            ids.update(r[0] for r in con.execute("SELECT id FROM citations WHERE doc_id = ?", (doc_id,)))
        out: list[Citation] = []
        chunk = sorted(ids)
        for i in range(0, len(chunk), 900):
            part = chunk[i:i + 900]
            out.extend(citation_from_row(*row) for row in con.execute(
                           "SELECT c.doc_id, c.clause, c.as_written, c.title, c.doc_number, c.issuers_prefix, c.start, "
                           "c.extra "
                           "FROM citations c JOIN documents d ON d.id = c.doc_id "
                           f"WHERE c.id IN ({','.join('?' * len(part))}) ORDER BY d.file, d.ord, c.clause_id, c.start",
                           part))
        return out

    def documents_similar_title(self, key: str, limit: int = 50) -> list[Document]:
        """Documents whose title shares the most bigrams with a title key (candidates; the caller decides)."""
        expr = literal.any_bigram_expr(key)
        if not expr:
            return []
        rows = self.con.execute(
            f"SELECT {META}, d.clause_count - d.heads FROM (SELECT rowid FROM titles WHERE titles MATCH ? "
            "ORDER BY rank LIMIT ?) t JOIN documents d ON d.num = t.rowid", (expr, limit)).fetchall()
        return [document_from_meta(json.loads(m), clause_count=n) for m, n in rows]

    def facets(self) -> dict[str, list[int]]:
        """The years and batches documents have (for a face's filter choices)."""
        return {"years": [r[0] for r in self.con.execute(
                    "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY year DESC")],
                "batches": [r[0] for r in self.con.execute(
                    "SELECT DISTINCT batch FROM documents WHERE batch IS NOT NULL ORDER BY batch")]}

    def comparable_pairs(self, limit: int = 200) -> list[tuple[str, str]]:
        """Pairs of documents worth comparing: batches of one programme, and versions of one work (each pair
        found through an index: a join on "same programme or same work" compared every pair of documents)."""
        return self.con.execute(
            "WITH pairs AS (SELECT a.num AS x, b.num AS y FROM documents a JOIN documents b ON b.work = a.work "
            "AND b.id > a.id WHERE a.work IS NOT NULL UNION SELECT a.num, b.num FROM documents a JOIN documents b "
            "ON b.programme = a.programme AND b.id > a.id WHERE a.programme IS NOT NULL) "
            "SELECT a.id, b.id FROM pairs JOIN documents a ON a.num = pairs.x JOIN documents b ON b.num = pairs.y "
            "ORDER BY a.file, a.ord, b.file, b.ord LIMIT ?", (limit,)).fetchall()

    def has_traditional(self) -> bool:
        """Whether any document is in traditional script (a query's traditional renderings matter only then)."""
        if self._traditional is None:
            self._traditional = self.con.execute(
                "SELECT 1 FROM documents WHERE script = 'traditional' LIMIT 1").fetchone() is not None
        return self._traditional

    def documents_named(self, name: str) -> list[Document]:
        """The documents of the works of one name (a work key: ``道路运输条例``, told apart by issuers or history
        as ``name|…`` and ``name'…``), in id order."""
        if not name:
            return []
        rows = self.con.execute(
            f"SELECT {META}, clause_count - heads FROM documents WHERE work = ? OR work BETWEEN ? AND ? "
            "OR work BETWEEN ? AND ? ORDER BY id",
            (name, name + "|", name + "|\U0010ffff", name + "'", name + "'\U0010ffff")
        ).fetchall()
        return [document_from_meta(json.loads(m), clause_count=n) for m, n in rows]

    def documents_in_work(self, work: str) -> list[str]:
        """The documents recorded as versions of one work (by title and issuers)."""
        return [r[0] for r in self.con.execute("SELECT id FROM documents WHERE work = ? ORDER BY version, id",
                                               (work,))]
