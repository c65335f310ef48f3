"""A corpus on a PostgreSQL server, shared by a team: the same :class:`~policysearch.store.base.Store` protocol
as the embedded store, so search, compare, cite and both faces answer from it unchanged.

The schema is the project's (``ps_schema`` holds its version; a database of a newer schema is refused with one
line).  Every large table carries the document id, and no foreign key crosses tables, so the schema can be
distributed (Citus: distribution column the document id).  The corpus gets here by ``policysearch migrate --to
URL``, which copies an embedded store in one transaction (a reader sees the old corpus or the new one, never a
mix), serialised by a session-level advisory lock.

Searching here:

* literal matches (``matching``, ``literal``, ``containing_all``): a GIN index over each clause's characters and
  character bigrams (of both forms) gives the clauses holding all of a phrase's bigrams, and ``strpos`` on the
  form (a plain substring test: ``%``, ``_`` and ``\\`` are data) keeps exactly those that contain it, of any
  length;
* ranking: the BM25 of each literal phrase (FTS5's formula, as the embedded store ranks them) and BM25 over the
  same jieba words (Whoosh's BM25F formula) from a postings table of word, clause and frequency.

Every statement is parameterised.  Errors name the server (host, port, database), never the URL's password.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ...errors import PolicySearchError
from ...model import Citation, Clause, Document, Progress
from ...text.normalise import norm
from ..base import HEAD_KINDS, ClauseRow, citation_from_row, document_from_meta, info_by_id, number_condition, resolve
from ..expressions import AllOf, AnyOf, Forms, LiteralExpr, Without

SCHEMA_VERSION = 3  # 2: a GIN index of the clauses whose literal form differs from their matching form;
#                    3: each document's clauses and counts of each bigram of their matching forms (gram_lists)
# What gram_lists' entries hold, in ps_meta 'gram_lists' (the table is the same): "1", each clause and the bigram's
# count there; "2", each clause, the count and the places (offsets in the matching form) where the bigram starts,
# from which a phrase of any length is found and counted without reading a clause's text; in "2", the clauses
# whose literal form differs from their matching form (a few: traditional script) have lists of their literal
# forms' bigrams too, under LITERAL + the bigram, and are listed under LITERAL alone (keys of other lengths than a
# bigram's two characters).  A copy writes "2"; a corpus copied as "1" is read as it is until its next copy,
# which writes it whole.
GRAM_FORMAT = "2"
LITERAL = "~"
COPY_BATCH = 200  # documents copied in one round of COPYs (their texts in memory at once)
LOCK_KEY = 0x7073_5F63  # the advisory lock that serialises writers of a corpus ("ps_c")
_K1, _B = 1.2, 0.75  # BM25 (FTS5's and Whoosh's defaults)
_ONE_CHARACTER = 1.0
_FIELDS = ("id", "doc_id", "ord", "path", "label", "heading", "body", "trad")

SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS ps_schema (version integer NOT NULL)",
    "CREATE TABLE IF NOT EXISTS ps_meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents (
        num bigint PRIMARY KEY, id text NOT NULL UNIQUE, file text NOT NULL, ord integer NOT NULL,
        title text NOT NULL, title_norm text NOT NULL, title_key text NOT NULL, doc_number text, nk_code text,
        nk_year integer, nk_num integer, date text, year integer, script text NOT NULL, attachment_of text,
        programme text, batch integer, issuers_key text NOT NULL, work text, version text, first_clause bigint,
        clause_count integer NOT NULL, heads integer NOT NULL, meta jsonb NOT NULL, body text NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS documents_order ON documents (file, ord)",
    "CREATE INDEX IF NOT EXISTS documents_number ON documents (nk_num)",
    "CREATE INDEX IF NOT EXISTS documents_year ON documents (year)",
    "CREATE INDEX IF NOT EXISTS documents_work ON documents (work)",
    "CREATE INDEX IF NOT EXISTS documents_title ON documents USING gin (title_norm gin_trgm_ops)",
    """CREATE TABLE IF NOT EXISTS clauses (
        id bigint PRIMARY KEY, doc_id text NOT NULL, ord integer NOT NULL, parent integer, path text NOT NULL,
        label text NOT NULL, heading text NOT NULL, level integer NOT NULL, kind text NOT NULL, number integer,
        annotations text, start integer NOT NULL, body text NOT NULL, norm text NOT NULL, lit text NOT NULL,
        trad boolean NOT NULL, words integer NOT NULL, grams text[] NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS clauses_doc ON clauses (doc_id, ord)",
    "CREATE INDEX IF NOT EXISTS clauses_grams ON clauses USING gin (grams)",
    # the few clauses written otherwise than their matching form reads (traditional script): a literal search
    # looks there for what matching() cannot find, without reading every clause that has the phrase's bigrams
    "CREATE INDEX IF NOT EXISTS clauses_grams_differing ON clauses USING gin (grams) WHERE lit <> norm",
    """CREATE TABLE IF NOT EXISTS postings (
        word text NOT NULL, clause bigint NOT NULL, doc_id text NOT NULL, freq integer NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS postings_word ON postings (word, clause)",
    # a two-character phrase (most query words) is a bigram: the clauses of each document (its number) that hold
    # it and how many times, packed (_pack), so that it is found and counted without reading the clauses' texts
    """CREATE TABLE IF NOT EXISTS gram_lists (gram text NOT NULL, doc bigint NOT NULL, entries bytea NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS gram_lists_gram ON gram_lists (gram)",
    """CREATE TABLE IF NOT EXISTS citations (
        id bigint PRIMARY KEY, doc_id text NOT NULL, clause_id bigint NOT NULL, clause text NOT NULL,
        start integer NOT NULL, as_written text NOT NULL, title text, title_key text, doc_number text,
        nk_code text, nk_year integer, nk_num integer, issuers_prefix text, extra text)""",
    "CREATE INDEX IF NOT EXISTS citations_doc ON citations (doc_id)",
    "CREATE INDEX IF NOT EXISTS citations_number ON citations (nk_num)",
    "CREATE INDEX IF NOT EXISTS citations_title ON citations USING gin (title_key gin_trgm_ops)",
]
TABLES = ("documents", "clauses", "postings", "gram_lists", "citations", "ps_meta")
# Texts a search reads out of line (TOAST), compressed with lz4 where the server has it (PostgreSQL 14 and later,
# built with lz4, as the distributions' are): a phrase is verified and counted on each candidate clause's text,
# and lz4 unpacks it about twice as fast as the default pglz for the same size (measured at 1x: 市场 13.8 → 8.4 ms,
# 经济 19.1 → 10.7 ms; the clauses 30 → 29 MB).  Rows written before keep theirs until written again.
LZ4_COLUMNS = (("clauses", "norm"), ("clauses", "lit"), ("clauses", "body"), ("documents", "body"))


class StoreUnavailable(PolicySearchError):
    """The PostgreSQL store cannot be reached, is not set up, or is of another schema."""


def where(url: str) -> str:
    """host:port/database of a URL, for messages (never its user's password)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}/{parts.path.lstrip('/') or parts.username or ''}"


def _reason(e: BaseException, url: str) -> str:
    text = (str(e).strip().splitlines() or [type(e).__name__])[0]
    password = urlsplit(url).password
    return text.replace(password, "***") if password else text


def connect(url: str) -> Any:
    """A connection (psycopg 3); one line naming the server if it cannot be made."""
    import psycopg

    try:
        return psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as e:
        raise StoreUnavailable(f"cannot reach the PostgreSQL store at {where(url)}: {_reason(e, url)}") from None


def schema_version(con: Any) -> int | None:
    row = con.execute("SELECT to_regclass('ps_schema') IS NOT NULL").fetchone()
    if not row[0]:
        return None
    row = con.execute("SELECT max(version) FROM ps_schema").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def check_schema(con: Any, url: str) -> None:
    version = schema_version(con)
    if version is None:
        raise StoreUnavailable(f"the PostgreSQL store at {where(url)} has no policysearch schema; run "
                               "`policysearch db init URL`")
    if version > SCHEMA_VERSION:
        raise StoreUnavailable(f"the PostgreSQL store at {where(url)} has schema {version}, newer than this "
                               f"policysearch's {SCHEMA_VERSION}; upgrade policysearch")


def check_locale(con: Any, url: str) -> None:
    """pg_trgm must see CJK characters as word characters (a C.UTF-8 or zh_CN.UTF-8 LC_CTYPE does)."""
    (trigrams,) = con.execute("SELECT show_trgm('数字经济')").fetchone()
    if not trigrams:
        raise StoreUnavailable(f"the database at {where(url)} has an LC_CTYPE under which pg_trgm does not count "
                               "Chinese characters; create it with LC_CTYPE 'C.UTF-8' (or zh_CN.UTF-8)")


def _compress_with_lz4(con: Any) -> None:
    """LZ4_COLUMNS compressed with lz4, if the server can (else they keep the default)."""
    import psycopg
    from psycopg import sql

    try:
        with con.transaction():
            for table, column in LZ4_COLUMNS:
                con.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET COMPRESSION lz4").format(
                    sql.Identifier(table), sql.Identifier(column)))
    except psycopg.Error:  # an older server, or one built without lz4
        pass


def init_db(url: str, *, reader: str | None = None, writer: str | None = None) -> int:
    """Create (or bring forward) the schema, and grant reading to ``reader`` and writing to ``writer`` (roles
    that exist).  Returns the schema version."""
    import psycopg
    from psycopg import sql

    with connect(url) as con:
        version = schema_version(con)
        if version is not None and version > SCHEMA_VERSION:
            check_schema(con, url)
        try:
            for statement in SCHEMA:
                con.execute(statement)
            _compress_with_lz4(con)
            check_locale(con, url)
            if version is None or version < SCHEMA_VERSION:  # the statements above brought it forward
                con.execute("INSERT INTO ps_schema (version) VALUES (%s)", (SCHEMA_VERSION,))
            for role, rights in ((reader, "SELECT"), (writer, "SELECT, INSERT, UPDATE, DELETE, TRUNCATE")):
                if role:
                    for table in ("ps_schema", *TABLES):
                        con.execute(sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(rights), sql.Identifier(table),
                                                                           sql.Identifier(role)))
        except psycopg.Error as e:
            raise StoreUnavailable(f"cannot set up the PostgreSQL store at {where(url)}: {_reason(e, url)}") from None
    return SCHEMA_VERSION


def _overlaps(form: str) -> bool:
    """Whether two occurrences of form can overlap (a proper prefix of it is also its suffix)."""
    return any(form[:k] == form[-k:] for k in range(1, len(form)))


def _occurrences(text: str, form: str) -> int:
    """Places where form starts in text, overlapping ones too (how FTS5 counts a phrase in a row)."""
    n, i = 0, text.find(form)
    while i >= 0:
        n += 1
        i = text.find(form, i + 1)
    return n


def _no_nul(value: Any) -> Any:
    """A query's NUL as a character no stored text holds (texts lose their control characters when read;
    PostgreSQL text cannot hold a NUL at all): it matches nothing, as in the embedded store."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffe")
    if isinstance(value, list):
        return [_no_nul(v) for v in value]
    return value


def grams(*texts: str) -> list[str]:
    """The distinct characters and character bigrams of texts (a clause's matching and literal forms): what the
    GIN index finds clauses by, before strpos checks the order."""
    out: set[str] = set()
    for t in texts:
        out.update(t)
        out.update(map(str.__add__, t, t[1:]))
    return sorted(out)


def _contains(form: str, column: str) -> tuple[str, list[Any]]:
    """The condition that a clause's form contains ``form``: its characters or bigrams in the clause's grams
    (the index), then, for two characters and more, strpos on the form (exact; a third faster than LIKE on long
    clauses, and nothing in the query is a wildcard).  One character: in either form."""
    if len(form) == 1:
        return "grams @> %s", [[form]]
    return f"grams @> %s AND strpos({column}, %s) > 0", [sorted(set(map(str.__add__, form, form[1:]))), form]


def _escape_like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _chunks(items: list[Any], size: int = 5000) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# the number of clauses in a document's gram list of format "2" (its first three bytes, little-endian), in SQL
_LIST_CLAUSES = "(get_byte(entries, 0) + (get_byte(entries, 1) << 8) + (get_byte(entries, 2) << 16))"
# what ranking needs of the clauses (``stats``): those with a matching form and their bigrams, all of them and their
# words; per document, so that a copy of a few documents updates them (``document_stats``)
_STATS = ("count(*) FILTER (WHERE norm <> ''), coalesce(sum(CASE WHEN length(norm) > 1 THEN length(norm) - 1 "
          "ELSE length(norm) END), 0), count(*), coalesce(sum(words), 0)")
POOL_SIZE = 4  # connections a store keeps at most: the TUI's workers (search, preview, open, cite) at once
# A search is a few small statements: starting parallel workers or compiling with JIT costs more than either saves
# (measured on the laws: a 100-row postings look-up 5.2 ms with a parallel worker, 0.5 ms without).  The planner
# counts a clause's row at its few pages, not at the grams and text it keeps out of line (TOAST), so it reads the
# clauses whole where the grams index would do: clauses holding 经济 and 发展 at 1x, 80 ms by a sequential scan
# that unpacks every clause's grams, 17 ms through the index (whose answer for @> needs no recheck).
READER_OPTIONS = "-c max_parallel_workers_per_gather=0 -c jit=off -c enable_seqscan=off"


class PostgresStore:
    """Read access to a corpus on a PostgreSQL server through a pool of connections (psycopg_pool): the TUI's
    workers query at once, each on a connection of its own; one connection is opened at first."""

    def __init__(self, url: str):
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.url = url
        with connect(url) as con:  # one line naming the server if it cannot be reached or is not ours
            check_schema(con, url)
            check_locale(con, url)
        self.pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False,
                                   kwargs={"autocommit": True, "connect_timeout": 10, "options": READER_OPTIONS})
        self.pool.open()
        try:
            self.pool.wait(timeout=10)
        except PoolTimeout:
            self.pool.close()
            raise StoreUnavailable(f"cannot reach the PostgreSQL store at {where(url)}") from None
        self._local = threading.local()  # the connection a thread's reading() holds
        self._corpus = ""  # the corpus the caches below were read from (its copy's signature)
        self._stats: dict[str, float] | None = None
        self._df: dict[str, int] = {}  # clauses holding a word (the word index's document frequency)
        self._gram_lists: str | None = None  # the format of the gram lists the corpus's copy wrote ("" if none)
        self._traditional: bool | None = None
        self._query_dict: str | None = None

    # -- helpers ----------------------------------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            yield
        except PoolTimeout:
            raise StoreUnavailable(f"no connection to the PostgreSQL store at {where(self.url)} within 30 s") \
                from None
        except psycopg.OperationalError as e:
            raise StoreUnavailable(f"lost the PostgreSQL store at {where(self.url)}: {_reason(e, self.url)}") \
                from None

    def _rows(self, query: str, args: Iterable[Any] = (), *, binary: bool = False) -> list[tuple]:
        """The rows of a statement; ``binary``: sent in binary (bytea as it is, not as hex text: gram lists)."""
        values = [_no_nul(a) for a in args]
        held = getattr(self._local, "con", None)
        with self._errors():
            if held is not None:
                return list(held.execute(query, values, binary=binary).fetchall())
            with self.pool.connection(timeout=30) as con:
                return list(con.execute(query, values, binary=binary).fetchall())

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One read-only REPEATABLE READ transaction on one connection of the pool: a search's statements all see
        the corpus as it was when the first ran (an ingest commits the new one whole).  When the corpus has been
        replaced since this store last read it, what it keeps of it (statistics, the query dictionary) is read
        again."""
        if getattr(self._local, "con", None) is not None:
            yield
            return
        with self._errors(), self.pool.connection(timeout=30) as con, con.transaction():
            con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self._local.con = con
            # what the search read of the gram lists (places, or only the clauses that hold a bigram)
            self._local.lists, self._local.holding = {}, {}
            try:
                corpus = self._meta("source_signature")
                if corpus != self._corpus:
                    self._corpus, self._stats, self._traditional, self._query_dict = corpus, None, None, None
                    self._df = {}
                    self._gram_lists = None
                yield
            finally:
                self._local.con = None
                self._local.lists = self._local.holding = None

    def _meta(self, key: str, default: str = "") -> str:
        rows = self._rows("SELECT value FROM ps_meta WHERE key = %s", (key,))
        return rows[0][0] if rows else default

    def _docs(self, where_sql: str = "", args: Iterable[Any] = (), order: str = "file, ord") -> list[Document]:
        rows = self._rows(f"SELECT meta, clause_count - heads FROM documents {where_sql} ORDER BY {order}", args)
        return [document_from_meta(m, clause_count=n) for m, n in rows]

    @property
    def stats(self) -> dict[str, float]:
        """Clauses with a matching form and their mean length in bigrams (the literal index's rows), clauses and
        their mean length in words (the word index's documents)."""
        if self._stats is None:
            # kept by the copy (reading every clause for them took 240 ms of each search process at 16x); counted
            # here for a corpus copied before they were kept
            kept = self._meta("stats")
            rows, bigrams, n, words = json.loads(kept) if kept else self._rows(f"SELECT {_STATS} FROM clauses")[0]
            self._stats = {"rows": float(rows), "avg_bigrams": (bigrams / rows) if rows else 1.0,
                           "n": float(n), "avg_words": (words / n) if n else 1.0}
        return self._stats

    # -- the protocol -----------------------------------------------------------------------------
    @property
    def query_dictionary(self) -> str:
        """The corpus's query dictionary (stored in the database), as a file in the cache directory."""
        from ...text.segment import cache_dir

        if self._query_dict is None:
            text = self._meta("query_dictionary")
            self._query_dict = ""
            if text:
                path = Path(cache_dir()) / f"pg-querydict-{hashlib.sha1(text.encode()).hexdigest()[:16]}.sqlite"
                if not path.exists():
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_bytes(base64.b64decode(text))
                    os.replace(tmp, path)
                self._query_dict = str(path)
        return self._query_dict

    def close(self) -> None:
        self.pool.close()

    def counts(self) -> tuple[int, int]:
        docs, clauses = self._rows("SELECT count(*), coalesce(sum(clause_count - heads), 0) FROM documents")[0]
        return int(docs), int(clauses)

    def document_ids(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM documents ORDER BY file, ord")]

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        if ids is None:
            return self._docs()
        wanted = list(ids)
        found = {d.id: d for d in self._docs("WHERE id = ANY(%s)", (wanted,))}
        return [found[i] for i in wanted if i in found]

    def info(self, doc_id: str) -> Document | None:
        return info_by_id(self, doc_id)

    def document(self, doc_id: str) -> Document | None:
        rows = self._rows("SELECT meta, body, script FROM documents WHERE id = %s", (doc_id,))
        if not rows:
            return None
        meta, text, script = rows[0]
        traditional = script == "traditional"
        by_ord: dict[int, Clause] = {}
        top: list[Clause] = []
        for ord_, parent, path, label, heading, level, kind, number, ann, start, body in self._rows(
                "SELECT ord, parent, path, label, heading, level, kind, number, annotations, start, body "
                "FROM clauses WHERE doc_id = %s ORDER BY ord", (doc_id,)):
            if kind in HEAD_KINDS:
                continue
            c = Clause(path=path, label=label, heading=heading, text=body, norm=norm(body, traditional=traditional),
                       level=level, annotations=json.loads(ann) if ann else {}, start=start, kind=kind, number=number)
            by_ord[ord_] = c
            (by_ord[parent].children if parent is not None and parent in by_ord else top).append(c)
        return document_from_meta(meta, text=text, clauses=top)

    def resolve(self, ref: str) -> Document:
        return resolve(self, ref)

    def documents_by_number(self, ref: tuple[str | None, int | None, int]) -> list[Document]:
        cond, args = number_condition(ref, "%s")
        return self._docs(f"WHERE {cond}", args)

    def documents_by_title(self, fragment: str) -> list[Document]:
        key = norm(fragment, traditional=True)
        if not key:
            return []
        like = _escape_like(key)
        return self._docs("WHERE title_norm LIKE %s OR id LIKE %s", (like, like))

    # clauses
    def clause_rows(self, clause_ids: list[int]) -> list[ClauseRow]:
        if not clause_ids:
            return []
        rows = self._rows("SELECT id, doc_id, ord, path, label, heading, body, trad FROM clauses WHERE id = ANY(%s)",
                          (list(clause_ids),))
        docs = {d.id: d for d in self.documents(sorted({r[1] for r in rows}))}
        by_id = {r[0]: ClauseRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), docs[r[1]])
                 for r in rows if r[1] in docs}
        return [by_id[i] for i in clause_ids if i in by_id]

    def clause_order(self, clause_ids: Iterable[int]) -> dict[int, tuple[str, str, int]]:
        ids = list(clause_ids)
        out: dict[int, tuple[str, str, int]] = {}
        for chunk in _chunks(ids):
            for cid, date, doc_id, ord_ in self._rows(
                    "SELECT c.id, coalesce(d.date, ''), c.doc_id, c.ord FROM clauses c JOIN documents d "
                    "ON d.id = c.doc_id WHERE c.id = ANY(%s)", (chunk,)):
                out[cid] = (date, doc_id, ord_)
        return out

    def _phrase(self, form: str, column: str = "norm", extra: str = "", args: tuple[Any, ...] = (), *,
                ranked: bool = True) -> dict[int, float]:
        """Clauses whose form contains ``form``, each with the phrase's BM25 as the embedded store's literal index
        gives it: FTS5's bm25 over bigrams, where a table without column sizes counts each row as -1 token long
        (so the length factor is 1 - b - b / avgdl for every row), and a phrase's frequency is the number of
        places it starts (overlapping ones too).  ``extra``: a further condition (and its ``args``); not
        ``ranked``: 1.0 each."""
        cond, cond_args = _contains(form, column)
        if len(form) == 1 or not ranked:
            return dict.fromkeys((r[0] for r in self._rows(
                f"SELECT id FROM clauses WHERE {cond} {extra}", (*cond_args, *args))), _ONE_CHARACTER)
        if _overlaps(form):  # 哈哈哈 in 哈哈哈哈 starts twice: counted on the text
            counts = {cid: _occurrences(text, form) for cid, text in self._rows(
                f"SELECT id, {column} FROM clauses WHERE {cond} {extra}", (*cond_args, *args))}
        else:  # no two occurrences can overlap: the server counts them (in bytes: length() would count characters
            #    twice over the text, 30% of the statement's time)
            counts = dict(self._rows(
                f"SELECT id, (octet_length({column}) - octet_length(replace({column}, %s, ''))) / %s FROM clauses "
                f"WHERE {cond} {extra}", (form, len(_no_nul(form).encode("utf-8")), *cond_args, *args)))
        if not extra:
            return self._bm25(counts)
        # FTS5's idf counts every row with the phrase, whatever else the query asks of the clause
        (df,) = self._rows(f"SELECT count(*) FROM clauses WHERE {cond}", cond_args)[0]
        return self._bm25(counts, int(df))

    def _bm25(self, counts: dict[int, int], df: int | None = None) -> dict[int, float]:
        """FTS5's BM25 of a phrase in each clause, from its frequency there (see ``_phrase``) and the number of
        clauses with the phrase (``df``; by default those counted)."""
        st = self.stats
        df = len(counts) if df is None else df
        idf = math.log((st["rows"] - df + 0.5) / (df + 0.5))
        idf = idf if idf > 0 else 1e-6
        lengthy = _K1 * (1 - _B - _B / st["avg_bigrams"])
        return {cid: idf * tf * (_K1 + 1) / (tf + lengthy) for cid, tf in counts.items()}

    @property
    def gram_lists(self) -> str:
        """The format of the corpus's gram lists: "1" (counts), "2" (places too) or "" (none: the texts)."""
        if self._gram_lists is None:
            value = self._meta("gram_lists")
            self._gram_lists = value if value in ("1", GRAM_FORMAT) else ""
        return self._gram_lists

    def _bigram(self, gram: str) -> dict[int, int]:
        """The clauses whose matching form holds the bigram, with how many times: its gram lists, without the
        clauses' texts (the corpus was copied with them: ``gram_lists``)."""
        if self.gram_lists == GRAM_FORMAT:
            return self._lists([gram])[gram].counts()
        counts: dict[int, int] = {}
        for (entries,) in self._rows("SELECT entries FROM gram_lists WHERE gram = %s", (gram,), binary=True):
            counts.update(_unpack(entries))
        return counts

    def _search_cache(self, name: str) -> dict[Any, Any]:
        """What a search keeps of what it read (``reading``); outside one, kept by nobody."""
        cache = getattr(self._local, name, None)
        return {} if cache is None else cache

    def _lists(self, bigrams: list[str]) -> dict[str, GramList]:
        """The gram lists of format "2" of each bigram, read once in a search (``reading``).  The server cuts each
        document's list into its clauses, counts and places and joins each part over the documents, so that a
        bigram comes as three arrays, whatever the number of documents that hold it."""
        cache: dict[str, GramList] = self._search_cache("lists")
        wanted = [g for g in dict.fromkeys(bigrams) if g not in cache]
        if wanted:
            for g in wanted:
                cache[g] = GramList(b"", b"", b"")
            # (the three parts of a group are joined in the same order, whatever it is; binary: no hex to decode)
            for gram, cids, counts, places in self._rows(
                    f"SELECT gram, string_agg(substr(entries, 5, 4 * n), ''), string_agg(substr(entries, 5 + 4 * n, "
                    f"4 * n), ''), string_agg(substr(entries, 5 + 8 * n), '') FROM (SELECT gram, entries, "
                    f"{_LIST_CLAUSES} AS n FROM gram_lists WHERE gram = ANY(%s)) x GROUP BY gram", (wanted,),
                    binary=True):
                cache[gram] = GramList(cids, counts, places)
        return cache

    def _holding(self, bigrams: list[str]) -> dict[str, set[int]]:
        """The clauses that hold each bigram (only the clauses of its gram lists: the places are not read)."""
        lists: dict[str, GramList] = self._search_cache("lists")
        held: dict[str, set[int]] = self._search_cache("holding")
        wanted = [g for g in dict.fromkeys(bigrams) if g not in lists and g not in held]
        if wanted:
            held.update((g, set()) for g in wanted)
            for gram, cids in self._rows(
                    f"SELECT gram, string_agg(substr(entries, 5, 4 * {_LIST_CLAUSES}), '') FROM gram_lists "
                    "WHERE gram = ANY(%s) GROUP BY gram", (wanted,), binary=True):
                held[gram] = set(_ints(cids))
        return {g: lists[g].clauses() if g in lists else held[g] for g in bigrams}

    def _occurrences(self, form: str, *, counted: bool = True, within: set[int] | None = None,
                     prefix: str = "") -> dict[int, int]:
        """The clauses whose matching form contains ``form`` (two characters or more) and how many times (every
        place it starts, overlapping ones too, as FTS5 counts a phrase), from the places of its bigrams: a clause
        has it at s when it has the bigram at k of the form at s + k, for every k of a set of bigrams that covers
        the form (0, 2, 4 … and the last: every character in one).  Not ``counted``: 1 for a clause that has it;
        ``within``: only these clauses are asked about; ``prefix``: LITERAL for the literal forms (of the clauses
        whose literal form differs)."""
        if len(form) == 2:  # a bigram: its own list (no places to match, and no numpy to import for them)
            found = self._lists([prefix + form])[prefix + form].counts()
        else:
            found = self._starts(form, prefix)
        if not counted:
            found = dict.fromkeys(found, 1)
        return found if within is None else {c: m for c, m in found.items() if c in within}

    def _starts(self, form: str, prefix: str) -> dict[int, int]:
        """How many times each clause has ``form`` (three characters or more): where it would start, by each bigram
        of the cover (clause and place as one 64-bit key), intersected over the cover in numpy (in Python, checking
        places clause by clause was half of a long phrase's search)."""
        import numpy as np

        cover = sorted({*range(0, len(form) - 1, 2), len(form) - 2})
        lists = self._lists([prefix + form[k:k + 2] for k in cover])
        starts: Any = None
        for k in sorted(cover, key=lambda k: len(lists[prefix + form[k:k + 2]])):
            keys = lists[prefix + form[k:k + 2]].starts(k)
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not starts.size:
                return {}
        clauses, n = np.unique(starts >> 32, return_counts=True)
        return dict(zip(clauses.tolist(), n.tolist(), strict=True))

    def matching(self, forms: tuple[str, ...], *, traditional_only: bool = False,
                 within: list[int] | None = None) -> dict[int, float]:
        out: dict[int, float] = {}
        extra = "AND trad" if traditional_only else ""
        args: tuple[Any, ...] = ()
        if within is not None:  # which of these clauses match: unranked, as the embedded store
            extra, args = extra + " AND id = ANY(%s)", (*args, within)
        for f in dict.fromkeys(x for x in forms if len(x) > 1):
            # from the gram lists (a bigram's own; any phrase from its bigrams' places), the conditions applied here
            #  (a few clauses asked about a longer phrase: their texts, rather than the bigrams' whole lists)
            if (len(f) == 2 and self.gram_lists) or (self.gram_lists == GRAM_FORMAT and within is None):
                counts = self._bigram(f) if len(f) == 2 else self._occurrences(f)
                df = len(counts)  # FTS5's idf counts every row with the phrase, whatever else the query asks
                if within is not None:
                    keep = set(within)
                    counts = {c: n for c, n in counts.items() if c in keep}
                if traditional_only and counts:
                    traditional = {r[0] for r in self._rows("SELECT id FROM clauses WHERE trad AND id = ANY(%s)",
                                                            (list(counts),))}
                    counts = {c: n for c, n in counts.items() if c in traditional}
                scores = self._bm25(counts, df) if within is None else dict.fromkeys(counts, _ONE_CHARACTER)
            else:
                scores = self._phrase(f, "norm", extra, args, ranked=within is None)
            for cid, score in scores.items():
                out[cid] = out.get(cid, 0.0) + score
        for f in dict.fromkeys(x for x in forms if len(x) == 1):  # as the embedded store: 1, when not found above
            for cid in self._phrase(f, "norm", extra, args):  # (a character of either form: 線上 reads 在线)
                out.setdefault(cid, _ONE_CHARACTER)
        return out

    def clause_documents(self, form: str) -> dict[int, str]:
        if len(form) < 2:
            return {}
        cond, args = _contains(form, "norm")
        return dict(self._rows(f"SELECT id, doc_id FROM clauses WHERE {cond}", args))

    def matching_expression(self, expr: LiteralExpr, *, within: Iterable[int] | None = None) -> dict[int, float]:
        if within is None:
            return self._expression(expr, None)
        ids = list(within)
        return dict.fromkeys(self._expression(expr, ids), 1.0) if ids else {}

    def _expression(self, expr: LiteralExpr, within: list[int] | None) -> dict[int, float]:
        if isinstance(expr, Forms):
            return self.matching(expr.forms, within=within)
        if isinstance(expr, AnyOf):
            out: dict[int, float] = {}
            for item in expr.items:
                for cid, s in self._expression(item, within).items():
                    out[cid] = out.get(cid, 0.0) + s
            return out
        if isinstance(expr, AllOf):
            parts = [self._expression(i, within) for i in expr.items]
            if not parts:
                return {}
            common = set(parts[0]).intersection(*parts[1:])
            return {cid: sum(p[cid] for p in parts) for cid in common}
        if isinstance(expr, Without):
            kept = self._expression(expr.keep, within)
            for item in expr.drop:
                for cid in self._expression(item, list(kept)):
                    kept.pop(cid, None)
            return kept
        raise TypeError(f"not a literal expression: {expr!r}")

    def literal(self, raw: str, *, only_differing: bool = False) -> dict[int, float]:
        if not raw:
            return {}
        if len(raw) == 1:  # as the embedded store: one character is found in either form by matching()
            return {} if only_differing else self._phrase(raw, "lit", ranked=False)
        if self.gram_lists == GRAM_FORMAT:  # from the gram lists of the literal forms that differ, and of the others
            found = set(self._occurrences(raw, counted=False, prefix=LITERAL))
            if not only_differing:
                found |= self._occurrences(raw, counted=False).keys() - self._holding([LITERAL])[LITERAL]
            return dict.fromkeys(sorted(found), 1.0)
        return self._phrase(raw, "lit", "AND lit <> norm" if only_differing else "", ranked=False)

    def containing_all(self, words: list[str]) -> dict[int, float]:
        words = [w for w in dict.fromkeys(words) if w]
        if not words:
            return {}
        if all(len(w) > 1 for w in words) and (self.gram_lists == GRAM_FORMAT or
                                               (self.gram_lists and all(len(w) == 2 for w in words))):
            found: set[int] | None = None  # the clauses that have them all, from their gram lists
            for w in sorted(words, key=len):  # each word asked only of the clauses that have the ones before
                have = self._bigram(w) if len(w) == 2 else self._occurrences(w, counted=False, within=found)
                found = set(have) if found is None else found & have.keys()
                if not found:
                    return {}
            return dict.fromkeys(sorted(found or ()), 1.0)
        conds = [_contains(w, "norm") for w in words]
        if any(len(w) == 1 for w in words):  # one character: the matching form must hold it (grams hold both)
            conds += [("strpos(norm, %s) > 0", [w]) for w in words if len(w) == 1]
        return dict.fromkeys((r[0] for r in self._rows(
            f"SELECT id FROM clauses WHERE {' AND '.join(c for c, _ in conds)}", [a for _, xs in conds for a in xs])),
            1.0)

    def word_scores(self, terms: list[list[str]], clause_ids: Iterable[int]) -> dict[int, float]:
        """BM25 over jieba words as the embedded store's word index gives it (Whoosh's BM25F: idf = ln(N / (df + 1))
        + 1, a clause's length as the index stores it, in one byte), summed over the terms; a clause scores for a
        term only when it has all of the term's words."""
        ids = list(clause_ids)
        terms = [[w for w in dict.fromkeys(t) if w] for t in terms]
        terms = [t for t in terms if t]
        if not ids or not terms:
            return {}
        st = self.stats
        vocabulary = sorted({w for t in terms for w in t})
        unknown = [w for w in vocabulary if w not in self._df]  # a statistic of the corpus: kept until it changes
        if unknown:
            if len(self._df) > 100_000:
                self._df = {}
            self._df.update(dict.fromkeys(unknown, 0))
            self._df.update(self._rows("SELECT word, count(*) FROM postings WHERE word = ANY(%s) GROUP BY word",
                                       (unknown,)))
        df = {w: self._df[w] for w in vocabulary}
        freq: dict[tuple[int, str], int] = {}
        length: dict[int, int] = {}
        for chunk in _chunks(ids):
            for cid, word, f, words in self._rows(
                    "SELECT p.clause, p.word, p.freq, c.words FROM postings p JOIN clauses c ON c.id = p.clause "
                    "WHERE p.word = ANY(%s) AND p.clause = ANY(%s)", (vocabulary, chunk)):
                freq[(cid, word)] = f
                length[cid] = words
        from whoosh.util.numeric import byte_to_length, length_to_byte

        out: dict[int, float] = {}
        for t in terms:
            for cid, words in length.items():
                fl = byte_to_length(length_to_byte(words))  # the word index keeps a clause's length in a byte
                if not all((cid, w) in freq for w in t):
                    continue
                score = 0.0
                for w in t:
                    idf = math.log(st["n"] / (df.get(w, 0) + 1)) + 1
                    tf = freq[(cid, w)]
                    score += idf * tf * (_K1 + 1) / (tf + _K1 * ((1 - _B) + _B * fl / st["avg_words"]))
                out[cid] = out.get(cid, 0.0) + score
        return out

    def clauses_of_documents(self, doc_ids: Iterable[str]) -> set[int]:
        return {r[0] for r in self._rows("SELECT id FROM clauses WHERE doc_id = ANY(%s)", (list(doc_ids),))}

    def first_clause(self, doc_id: str) -> int | None:
        rows = self._rows("SELECT first_clause FROM documents WHERE id = %s AND clause_count > 0", (doc_id,))
        return rows[0][0] if rows else None

    # document filters
    def documents_in_years(self, lo: int, hi: int) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM documents WHERE year BETWEEN %s AND %s", (lo, hi))]

    def documents_in_batch(self, batch: int) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM documents WHERE batch = %s", (batch,))]

    def documents_by_issuer(self, key: str, *, prefix: bool = False) -> list[str]:
        cond = "strpos(E'\\n' || issuers_key, E'\\n' || %s) > 0" if prefix else \
            "strpos(E'\\n' || issuers_key || E'\\n', E'\\n' || %s || E'\\n') > 0"
        return [r[0] for r in self._rows(f"SELECT id FROM documents WHERE {cond}", (key,))]

    def latest_versions(self) -> list[str]:
        return [r[0] for r in self._rows(
            "SELECT id FROM documents d WHERE work IS NULL OR NOT EXISTS (SELECT 1 FROM documents e "
            "WHERE e.work = d.work AND (coalesce(e.version, '') > coalesce(d.version, '') "
            "OR (coalesce(e.version, '') = coalesce(d.version, '') AND e.id > d.id)))")]

    # citations
    def citing_clauses(self, ref: tuple[str | None, int | None, int]) -> list[tuple[int, str | None]]:
        cond, args = number_condition(ref, "%s")
        return [(r[0], r[1]) for r in self._rows(f"SELECT clause_id, doc_number FROM citations WHERE {cond}", args)]

    def citations(self, *, numbers: Iterable[tuple[str | None, int | None, int]] = (),
                  similar_to: Iterable[str] = (), containing: str = "", doc_ids: Iterable[str] = (),
                  limit: int = 400) -> list[Citation]:
        ids: set[int] = set()
        for ref in numbers:
            cond, args = number_condition(ref, "%s")
            ids.update(r[0] for r in self._rows(f"SELECT id FROM citations WHERE {cond}", args))
        for key in similar_to:
            if key:
                ids.update(r[0] for r in self._rows(
                    "SELECT id FROM citations WHERE title_key IS NOT NULL ORDER BY similarity(title_key, %s) DESC, "
                    "id LIMIT %s", (key, limit)))
        if containing:
            ids.update(r[0] for r in self._rows("SELECT id FROM citations WHERE title_key LIKE %s",
                                                (_escape_like(containing),)))
        wanted = list(doc_ids)
        if wanted:
            ids.update(r[0] for r in self._rows("SELECT id FROM citations WHERE doc_id = ANY(%s)", (wanted,)))
        if not ids:
            return []
        return [citation_from_row(*r) for r in self._rows(
            "SELECT c.doc_id, c.clause, c.as_written, c.title, c.doc_number, c.issuers_prefix, c.start, c.extra "
            "FROM citations c JOIN documents d ON d.id = c.doc_id WHERE c.id = ANY(%s) "
            "ORDER BY d.file, d.ord, c.clause_id, c.start", (sorted(ids),))]

    def documents_similar_title(self, key: str, limit: int = 50) -> list[Document]:
        if not key:
            return []
        return [document_from_meta(m, clause_count=n) for m, n in self._rows(
            "SELECT meta, clause_count - heads FROM documents ORDER BY similarity(title_norm, %s) DESC, file, ord "
            "LIMIT %s", (key, limit))]

    def facets(self) -> dict[str, list[int]]:
        return {"years": [r[0] for r in self._rows(
                    "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY year DESC")],
                "batches": [r[0] for r in self._rows(
                    "SELECT DISTINCT batch FROM documents WHERE batch IS NOT NULL ORDER BY batch")]}

    def comparable_pairs(self, limit: int = 200) -> list[tuple[str, str]]:
        return [(a, b) for a, b in self._rows(
            "SELECT a.id, b.id FROM documents a JOIN documents b ON b.id > a.id AND (b.work = a.work OR "
            "b.programme = a.programme) ORDER BY a.file, a.ord, b.file, b.ord LIMIT %s", (limit,))]

    def documents_in_work(self, work: str) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM documents WHERE work = %s ORDER BY version, id", (work,))]

    def documents_named(self, name: str) -> list[Document]:
        if not name:
            return []
        return self._docs("WHERE work = %s OR work BETWEEN %s AND %s OR work BETWEEN %s AND %s",
                          (name, name + "|", name + "|\U0010ffff", name + "'", name + "'\U0010ffff"), order="id")

    def has_traditional(self) -> bool:
        if self._traditional is None:
            self._traditional = bool(self._rows("SELECT 1 FROM documents WHERE script = 'traditional' LIMIT 1"))
        return self._traditional


# --- copying an embedded store in --------------------------------------------------------------------------

def copy_in(source: Path, url: str, *, wait: bool = True) -> Iterator[Progress]:
    """Copy the embedded store generation ``source`` into the PostgreSQL store at ``url`` (replacing its
    corpus), in one transaction under the corpus's advisory lock; yields progress.  Where the server's corpus
    came from a copy, only the documents that differ are deleted and copied (and the citations, whole)."""
    import sqlite3

    from ...text.segment import words as jieba_words
    from ..sqlite import texts
    from ..sqlite.store import DATABASE, QUERY_DICT

    lite = sqlite3.connect(f"file:{source / DATABASE}?mode=ro", uri=True)
    docs = lite.execute("SELECT num, id, file, ord, title, title_key, doc_number, nk_code, nk_year, nk_num, date, "
                        "year, script, attachment_of, programme, batch, issuers_key, work, version, first_clause, "
                        "clause_count, heads, coalesce(meta, parsed) FROM documents ORDER BY num").fetchall()
    # what the copy would bring, document by document: its rows (numbers, file, metadata …) and its clause texts'
    # checksum
    crcs = dict(lite.execute("SELECT id, lit_crc FROM documents"))
    mine = {row[1]: hashlib.sha256(repr((row, crcs[row[1]])).encode()).hexdigest() for row in docs}
    signature = hashlib.sha256(repr(sorted(mine.items())).encode()).hexdigest()
    with connect(url) as con:
        check_schema(con, url)
        version = schema_version(con)
        if version is not None and version < SCHEMA_VERSION:  # readers still read it; a copy needs its tables
            raise StoreUnavailable(f"the PostgreSQL store at {where(url)} has schema {version}, older than this "
                                   f"policysearch's {SCHEMA_VERSION}; run `policysearch db init URL` to bring it "
                                   "forward")
        if wait:
            con.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        else:
            (got,) = con.execute("SELECT pg_try_advisory_xact_lock(%s)", (LOCK_KEY,)).fetchone()
            if not got:
                raise StoreUnavailable(f"another writer is changing the PostgreSQL store at {where(url)}")
        meta = dict(con.execute("SELECT key, value FROM ps_meta WHERE key IN ('source_signature', "
                                "'document_signatures', 'document_stats', 'gram_lists')").fetchall())
        if meta.get("source_signature") == signature and meta.get("gram_lists") == GRAM_FORMAT \
                and "document_stats" in meta:
            yield Progress("unchanged", len(docs), len(docs))  # the server holds this very corpus: nothing to copy
            con.rollback()
            lite.close()
            return
        theirs: dict[str, str] = json.loads(meta.get("document_signatures") or "{}")
        stats: dict[str, list[int]] = {}  # each document's statistics (``_STATS``), kept for the next copy
        if meta.get("gram_lists") != GRAM_FORMAT:  # copied before these gram lists (schema 2, or counts only): whole
            theirs = {}
        if theirs:  # only the documents that differ: deleted, changed and new ones (their rows' numbers included,
            #         so that a kept document's numbers are the source's and no new row can take them)
            gone = [d for d, sig in theirs.items() if mine.get(d) != sig]
            for chunk in _chunks(gone, 50):  # their gram lists, found by the bigrams of their clauses (no index
                #                              of the lists by document)
                nums = [r[0] for r in con.execute("SELECT num FROM documents WHERE id = ANY(%s)", (chunk,))]
                bigrams: set[str] = set()
                for matching, literal in con.execute("SELECT norm, lit FROM clauses WHERE doc_id = ANY(%s)",
                                                     (chunk,)):
                    bigrams.update(map(str.__add__, matching, matching[1:]))
                    if literal != matching:
                        bigrams.update(LITERAL + g for g in map(str.__add__, literal, literal[1:]))
                        bigrams.add(LITERAL)
                for part in _chunks(sorted(bigrams)):
                    con.execute("DELETE FROM gram_lists WHERE gram = ANY(%s) AND doc = ANY(%s)", (part, nums))
            for table, column in (("documents", "id"), ("clauses", "doc_id"), ("postings", "doc_id")):
                for chunk in _chunks(gone):
                    con.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s)", (chunk,))  # noqa: S608 - fixed
            docs = [row for row in docs if theirs.get(row[1]) != mine[row[1]]]
            con.execute("TRUNCATE citations")  # numbered by the source: copied whole
            if "document_stats" in meta:
                stats = json.loads(meta["document_stats"])
            else:  # copied before they were kept: counted once, for the documents kept
                stats = {d: list(v) for d, *v in con.execute(f"SELECT doc_id, {_STATS} FROM clauses GROUP BY doc_id")}
        else:
            for table in TABLES:
                con.execute(f"TRUNCATE {table}")  # noqa: S608 - a fixed table name
        stats = {d: v for d, v in stats.items() if d in mine}
        total = len(docs)
        yield Progress("copying", 0, total)
        with con.cursor() as cur:
            for k in range(0, total, COPY_BATCH):  # each document's text read once; three COPYs a batch
                batch = docs[k:k + COPY_BATCH]
                bodies = {row[0]: texts.read(lite, row[0]) for row in batch}
                with cur.copy("COPY documents (num, id, file, ord, title, title_norm, title_key, doc_number, "
                              "nk_code, nk_year, nk_num, date, year, script, attachment_of, programme, batch, "
                              "issuers_key, work, version, first_clause, clause_count, heads, meta, body) "
                              "FROM STDIN") as copy:
                    for row in batch:  # the metadata JSON as stored: jsonb reads it
                        copy.write_row((*row[0:5], norm(row[4], traditional=True), *row[5:], bodies[row[0]]))
                clause_rows: list[tuple] = []
                postings: list[tuple] = []
                gram_rows: list[tuple] = []
                for row in batch:
                    first, count = row[19] or 0, row[20]
                    clauses = lite.execute(
                        "SELECT id, id - ?, parent, path, label, heading, level, kind, number, annotations, start, "
                        "length, text FROM clauses WHERE id BETWEEN ? AND ? ORDER BY id",
                        (first, first, first + count - 1)).fetchall() if count else []
                    stats[row[1]] = _clause_rows(row[0], row[1], clauses, bodies[row[0]], row[12] == "traditional",
                                                 jieba_words, clause_rows, postings, gram_rows)
                with cur.copy("COPY clauses (id, doc_id, ord, parent, path, label, heading, level, kind, number, "
                              "annotations, start, body, norm, lit, trad, words, grams) FROM STDIN") as copy:
                    for r in clause_rows:
                        copy.write_row(r)
                with cur.copy("COPY postings (word, clause, doc_id, freq) FROM STDIN") as copy:
                    for r in postings:
                        copy.write_row(r)
                gram_rows.sort(key=lambda r: r[0])  # a bigram's lists of the batch's documents on a few pages
                with cur.copy("COPY gram_lists (gram, doc, entries) FROM STDIN") as copy:
                    for r in gram_rows:
                        copy.write_row(r)
                yield Progress("copying", k + len(batch), total, batch[-1][1])
            with cur.copy("COPY citations (id, doc_id, clause_id, clause, start, as_written, title, title_key, "
                          "doc_number, nk_code, nk_year, nk_num, issuers_prefix, extra) FROM STDIN") as copy:
                for row in lite.execute("SELECT id, doc_id, clause_id, clause, start, as_written, title, title_key, "
                                        "doc_number, nk_code, nk_year, nk_num, issuers_prefix, extra FROM citations"):
                    copy.write_row(row)
        query_dict = source / QUERY_DICT
        value = base64.b64encode(query_dict.read_bytes()).decode("ascii") if query_dict.exists() else ""
        totals = [sum(v[k] for v in stats.values()) for k in range(4)]
        con.execute("INSERT INTO ps_meta (key, value) VALUES ('query_dictionary', %s), ('source_signature', %s), "
                    "('document_signatures', %s), ('gram_lists', %s), ('document_stats', %s), ('stats', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (value, signature, json.dumps(mine), GRAM_FORMAT, json.dumps(stats), json.dumps(totals)))
        con.commit()
        # the rows just written are not yet all-visible: until a vacuum says so, counting a word's postings reads
        # the table rather than the index alone (5.6 ms for 国务院 on the laws).  Worth it when much of the corpus
        # was written (2.3 s at 16x even for one document: ANALYZE samples every table); a few new documents'
        # pages cost little, and autovacuum comes to them.  A writer that does not own the tables gets a warning.
        if total * 10 >= len(mine):
            con.autocommit = True
            con.execute("VACUUM (ANALYZE) documents, clauses, postings, gram_lists, citations")
    lite.close()


def _clause_rows(doc_num: int, doc_id: str, clauses: list[tuple], text: str, traditional: bool,
                 segment: Callable[[str], list[str]], clause_rows: list[tuple], postings: list[tuple],
                 gram_rows: list[tuple]) -> list[int]:
    """A document's clause rows, postings (its words with their frequencies) and gram lists (each bigram of its
    matching forms: the clauses holding it, how many times and where it starts), appended to the lists; its
    statistics (``_STATS``: clauses with a matching form, their bigrams, clauses, words)."""
    from collections import Counter

    from ...text.normalise import raw
    from ..sqlite.schema import clause_label, kind_name

    lists: dict[str, list[tuple[int, list[int]]]] = {}
    stats = [0, 0, 0, 0]
    for cid, ord_, parent, path, label, heading, level, kind, number, ann, start, length, own in clauses:
        body = own if own is not None else text[start:start + length]
        matching = norm(body, traditional=traditional)
        words = Counter(w for w in " ".join(segment(matching)).split(" ") if w)  # as the word index counts them
        literal = raw(body)
        clause_rows.append((cid, doc_id, ord_, parent, path, clause_label(label, path), heading, level,
                            kind_name(kind), number, ann, start, body, matching, literal, traditional,
                            sum(words.values()), grams(matching, literal)))
        postings.extend((w, cid, doc_id, f) for w, f in words.items())
        stats[0] += matching != ""
        stats[1] += len(matching) - 1 if len(matching) > 1 else len(matching)
        stats[2] += 1
        stats[3] += sum(words.values())
        for g, at in _places(matching).items():
            lists.setdefault(g, []).append((cid, at))
        if literal != matching:  # its literal form's bigrams too, and the clause in the list of those that differ
            for g, at in _places(literal, LITERAL).items():
                lists.setdefault(g, []).append((cid, at))
            lists.setdefault(LITERAL, []).append((cid, []))
    gram_rows.extend((g, doc_num, GramList.pack(entries)) for g, entries in lists.items())
    return stats


def _places(text: str, prefix: str = "") -> dict[str, list[int]]:
    """Where each bigram of a text starts (its gram list key: ``prefix`` + the bigram)."""
    places: dict[str, list[int]] = {}
    for k, g in enumerate(map(str.__add__, text, text[1:])):
        places.setdefault(prefix + g, []).append(k)
    return places


def _ints(entries: bytes) -> Any:
    """32-bit little-endian integers."""
    import sys
    from array import array

    packed = array("i")
    packed.frombytes(entries)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed


def _pack(entries: list[int]) -> bytes:
    """A gram list of format "1": clause, count, clause, count … as 32-bit little-endian integers."""
    import sys
    from array import array

    packed = array("i", entries)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpack(entries: bytes) -> Iterator[tuple[int, int]]:
    """(clause, count) of a packed gram list of format "1"."""
    it = iter(_ints(entries))
    return zip(it, it, strict=True)


class GramList:
    """A bigram's gram lists of format "2".  Each document's list is n, then its n clauses, their n counts and the
    places of each in turn (offsets in the matching form where the bigram starts), as 32-bit little-endian
    integers (n < 2^24): laid out by column, so that the clauses and counts are read by slicing, and a clause's
    places only when a phrase asks for them.  Here: the clauses, counts and places of all the documents."""

    def __init__(self, cids: bytes, counts: bytes, places: bytes) -> None:
        self._cids, self._counts, self._places = _ints(cids), _ints(counts), places
        self._clauses: set[int] | None = None
        self._where: dict[int, tuple[int, int]] | None = None

    @staticmethod
    def pack(entries: list[tuple[int, list[int]]]) -> bytes:
        """One document's list: (clause, places) in clause order."""
        if len(entries) >= 1 << 24:
            raise ValueError("a document of 16 million clauses")
        flat = [len(entries), *(c for c, _ in entries), *(len(at) for _, at in entries)]
        for _, at in entries:
            flat += at
        return _pack(flat)

    def __len__(self) -> int:
        return len(self._cids)

    def clauses(self) -> set[int]:
        """The clauses that hold the bigram (one set, made once: not to be changed)."""
        if self._clauses is None:
            self._clauses = set(self._cids)
        return self._clauses

    def counts(self) -> dict[int, int]:
        return dict(zip(self._cids, self._counts, strict=True))

    def places(self, cid: int) -> Any:
        if self._where is None:
            from itertools import accumulate

            starts = accumulate(self._counts, initial=0)
            self._where = dict(zip(self._cids, zip(starts, self._counts, strict=False), strict=True))
        start, n = self._where[cid]
        return _ints(self._places[4 * start:4 * (start + n)])

    def starts(self, shift: int) -> Any:
        """Where a phrase would start that has the bigram ``shift`` characters in: each as clause << 32 | place -
        shift, sorted, in a numpy array (a place before ``shift`` gives a key no other bigram's place can: its low
        half is 2^32 - shift or more)."""
        import numpy as np

        cids = np.frombuffer(self._cids, dtype=np.int32).astype(np.int64)
        places = np.frombuffer(self._places, dtype="<i4").astype(np.int64)
        keys = np.repeat(cids << 32, np.frombuffer(self._counts, dtype=np.int32)) + places - shift
        keys.sort()
        return keys
