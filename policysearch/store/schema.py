"""The SQLite schema of the store.

One database per index generation (``DIR/store-NNNNNN/store.sqlite``, WAL mode), beside its Whoosh word
index (``DIR/store-NNNNNN/words``).  Incremental ingests change a generation in place, inside one
transaction; only a full rebuild (no index, an older schema, a fingerprint that no longer matches the code)
writes a new generation and switches ``DIR/CURRENT`` to it.
"""

from __future__ import annotations

from .literal import LITERAL_TABLES

SCHEMA_VERSION = 12  # the layout of these tables; bump when it changes (the index is then rebuilt)

TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- one row per corpus file (a file that could not be read keeps its problem, and its previous documents)
CREATE TABLE IF NOT EXISTS files (
    rel TEXT PRIMARY KEY, sha1 TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    problem TEXT
);

CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
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
    clause_count INTEGER NOT NULL,
    parsed TEXT NOT NULL,              -- metadata as read from the file (JSON, without text and clauses)
    meta TEXT NOT NULL,                -- metadata after attachment links and the manifest (JSON)
    text_z BLOB NOT NULL               -- the display text, zlib
);
CREATE INDEX IF NOT EXISTS documents_file ON documents(file, ord);
CREATE INDEX IF NOT EXISTS documents_number ON documents(nk_num);
CREATE INDEX IF NOT EXISTS documents_title ON documents(title_key);
CREATE INDEX IF NOT EXISTS documents_year ON documents(year);
CREATE INDEX IF NOT EXISTS documents_batch ON documents(batch);
CREATE INDEX IF NOT EXISTS documents_work ON documents(work);
CREATE INDEX IF NOT EXISTS documents_parent ON documents(attachment_of);
CREATE INDEX IF NOT EXISTS documents_standalone ON documents(standalone) WHERE standalone = 1;

-- clause ids are never reused (AUTOINCREMENT): the literal index and Whoosh key on them
CREATE TABLE IF NOT EXISTS clauses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    ord INTEGER NOT NULL,              -- reading order within the document
    parent INTEGER,                    -- ord of the parent clause
    path TEXT NOT NULL, label TEXT NOT NULL, heading TEXT NOT NULL, level INTEGER NOT NULL,
    kind TEXT NOT NULL, number INTEGER,
    annotations TEXT,                  -- JSON, only when there are any
    start INTEGER NOT NULL,            -- offset in the document's display text
    length INTEGER NOT NULL,
    text TEXT,                         -- only when the clause text is not the slice [start, start+length)
    trad INTEGER NOT NULL,             -- the document is in traditional script
    lit_crc INTEGER NOT NULL           -- crc32 of its literal-index row (checked before that row is deleted)
);
CREATE INDEX IF NOT EXISTS clauses_doc ON clauses(doc_id, ord);

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
