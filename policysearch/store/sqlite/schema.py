"""The SQLite schema of the store.

One database per index generation (``DIR/store-NNNNNN/store.sqlite``, WAL mode), beside its Whoosh word
index (``DIR/store-NNNNNN/words``).  Incremental ingests change a generation in place, inside one
transaction; only a full rebuild (no index, an older schema, a fingerprint that no longer matches the code)
writes a new generation and switches ``DIR/CURRENT`` to it.
"""

from __future__ import annotations

from typing import Any

from .literal import LITERAL_TABLES

SCHEMA_VERSION = 15  # the layout of these tables; bump when it changes (the index is then rebuilt)

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- one row per corpus file (a file that could not be read keeps its problem, and its previous documents)
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, sha1 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    problem TEXT
);

CREATE TABLE IF NOT EXISTS documents (
    num INTEGER PRIMARY KEY,           -- the row number clauses and the titles index refer to
    id TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    ord INTEGER NOT NULL,              -- order within the file
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,           -- text.titles.title_key(title)
    doc_number TEXT,
    nk_code TEXT, nk_year INTEGER, nk_num INTEGER,   -- the number's parts, for look-ups in any form
    date TEXT, year INTEGER, script TEXT NOT NULL,
    attachment_of TEXT,
    standalone INTEGER NOT NULL,       -- a stand-alone attachment file (附件N first), to be linked to its parent
    programme TEXT, batch INTEGER,
    issuers_key TEXT NOT NULL,         -- matching forms of the issuers, one per line
    work TEXT, version TEXT,
    clause_count INTEGER NOT NULL,     -- its rows in clauses: its head rows, then its clause tree
    heads INTEGER NOT NULL,            -- its head rows: title and info, searched but not clauses (rows.head_rows)
    first_clause INTEGER,              -- its clauses are the ids first_clause … first_clause + clause_count - 1
    lit_crc INTEGER NOT NULL,          -- crc32 of its clauses' literal-index rows (checked before they are deleted)
    w_seg TEXT, w_doc INTEGER,         -- where they are in the word index: segment, number of the first (words.py)
    parsed TEXT NOT NULL,              -- metadata as read from the file (JSON, without text and clauses)
    meta TEXT                          -- metadata after attachment links and the manifest, when it differs
);

-- the display texts, in compressed blocks (texts.py)
CREATE TABLE IF NOT EXISTS texts (id INTEGER PRIMARY KEY, z BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file, ord);
CREATE INDEX IF NOT EXISTS documents_number ON documents(nk_num);
CREATE INDEX IF NOT EXISTS documents_title ON documents(title_key);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE INDEX IF NOT EXISTS documents_batch ON documents(batch);
CREATE INDEX IF NOT EXISTS documents_work ON documents(work);
CREATE INDEX IF NOT EXISTS documents_programme ON documents(programme) WHERE programme IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_parent ON documents(attachment_of);
CREATE INDEX IF NOT EXISTS documents_standalone ON documents(standalone) WHERE standalone = 1;

-- clause ids are never reused (AUTOINCREMENT) and a document's clauses have consecutive ids in reading order
CREATE TABLE IF NOT EXISTS clauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc INTEGER NOT NULL,              -- documents.num
    parent INTEGER,                    -- the parent clause's place in reading order (id - first_clause)
    path TEXT NOT NULL,
    label TEXT,                        -- NULL when it is the last part of path (第一条 in 第一章/第一条)
    heading TEXT NOT NULL, level INTEGER NOT NULL,
    kind NOT NULL,                     -- the kind's place in KINDS, or its name if it has none
    number INTEGER,
    annotations TEXT,                  -- JSON, only when there are any
    start INTEGER NOT NULL,            -- offset in the document's display text
    length INTEGER NOT NULL,
    text TEXT,                         -- only when the clause text is not the slice [start, start+length)
    trad INTEGER NOT NULL,             -- the document is in traditional script
    differs INTEGER NOT NULL           -- its literal form is not its matching form (it has a literal_r row)
);

-- what parents list in their 附件 list (matching form), to link stand-alone attachments
CREATE TABLE IF NOT EXISTS attachment_titles (doc_id TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attachment_titles_key ON attachment_titles(key);
CREATE INDEX IF NOT EXISTS attachment_titles_doc ON attachment_titles(doc_id);

CREATE TABLE IF NOT EXISTS citations (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL, clause_id INTEGER NOT NULL, clause TEXT NOT NULL, start INTEGER NOT NULL,
    as_written TEXT NOT NULL, title TEXT, title_key TEXT, doc_number TEXT,
    nk_code TEXT, nk_year INTEGER, nk_num INTEGER,
    issuers_prefix TEXT,
    extra TEXT                         -- JSON: what else the citation says (a pinpoint, …)
);
CREATE INDEX IF NOT EXISTS citations_doc ON citations(doc_id);
CREATE INDEX IF NOT EXISTS citations_number ON citations(nk_num);
CREATE INDEX IF NOT EXISTS citations_title ON citations(title_key);
-- bigrams of each cited title's key (rowid = citations.id), to find the titles that may name one document
CREATE VIRTUAL TABLE IF NOT EXISTS cited_titles USING fts5(t, content='', tokenize='ascii', detail=full,
                                                          columnsize=0);

-- bigrams of each document's title (matching form) and id, for title fragments
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(t, content='', tokenize='ascii', detail=full, columnsize=0);
""" + LITERAL_TABLES


FTS_TABLES = ("literal", "literal_r", "chars", "titles", "cited_titles")  # the FTS5 tables above


# clause kinds as small integers (a kind not listed is stored by name)
KINDS = ("", "article", "paren_cn", "chapter", "cn", "num", "paren_num", "circled", "section", "part")
_KIND_CODES = {k: i for i, k in enumerate(KINDS)}


def kind_code(kind: str) -> int | str:
    return _KIND_CODES.get(kind, kind)


def kind_name(stored: Any) -> str:
    return KINDS[stored] if isinstance(stored, int) else str(stored)


def stored_label(label: str, path: str) -> str | None:
    """A clause's label as stored: NULL when it is the last part of its path."""
    return None if label == path.rsplit("/", 1)[-1] else label


def clause_label(stored: str | None, path: str) -> str:
    return path.rsplit("/", 1)[-1] if stored is None else stored
