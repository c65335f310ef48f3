"""Writing and deleting one file's documents: document rows, clause rows, the literal index, titles, citations.

Every row a document puts into the store is made here, from the document as read, so that deleting it can
give the contentless FTS5 tables back exactly what they were given.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..ingest.citations import Citation
from ..model import Clause, Document
from ..text.docnumber import parse_reference
from ..text.normalise import norm
from ..text.titles import title_key
from .literal import LiteralRow, bigrams, crc, literal_row, title_stream
from .words import WordIndex


@dataclass
class ParsedClause:
    """A clause with what the reading workers computed for the indexes."""

    words: str  # jieba words of its matching form, space-joined
    literal: LiteralRow
    citations: list[Citation] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """A document as read from its file, with its clauses' index material (in reading order)."""

    doc: Document
    clauses: list[ParsedClause]
    standalone: bool  # a stand-alone attachment file, to be linked to the parent listing it


def parse_clauses(doc: Document) -> list[ParsedClause]:
    """Segment and tokenise every clause of a document (runs in the reading workers)."""
    from ..ingest.citations import extract
    from ..text.segment import words

    out = []
    for c in doc.walk():
        cites = [x for x in extract(c.text, doc.id, c.path) if x.title or x.doc_number != doc.doc_number]
        out.append(ParsedClause(" ".join(words(c.norm)), literal_row(c.text, traditional=doc.traditional), cites))
    return out


def metadata_json(doc: Document) -> str:
    d = doc.fields_dict()
    d.pop("text", None)
    d.pop("clause_count", None)
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


def number_parts(number: str | None) -> tuple[str | None, int | None, int | None]:
    ref = parse_reference(number) if number else None
    return ref if ref is not None else (None, None, None)


def document_columns(doc: Document) -> dict[str, Any]:
    """The columns of a document row that filters and look-ups use (from its effective metadata).  A document
    that is no attachment gets its work (title and issuers) and its version's date here."""
    from ..ingest.versions import version_date, work_key

    if not doc.attachment_of:
        doc.work = doc.work or work_key(doc)
        doc.version = doc.version or version_date(doc)
    code, year, num = number_parts(doc.doc_number)
    return {
        "title": doc.title, "title_key": title_key(doc.title), "doc_number": doc.doc_number, "nk_code": code,
        "nk_year": year, "nk_num": num, "date": doc.date, "year": doc.year, "script": doc.script,
        "attachment_of": doc.attachment_of, "programme": doc.programme, "batch": doc.batch,
        "issuers_key": "\n".join(norm(i, traditional=True) for i in doc.issuers), "work": doc.work,
        "version": doc.version, "meta": metadata_json(doc),
    }


def _walk_with_parents(clauses: list[Clause]) -> Iterator[tuple[Clause, int | None]]:
    """Every clause in reading order (as Document.walk), with its parent's place in that order."""
    order = 0

    def rec(items: list[Clause], parent: int | None) -> Iterator[tuple[Clause, int | None]]:
        nonlocal order
        for c in items:
            mine = order
            order += 1
            yield c, parent
            yield from rec(c.children, mine)

    yield from rec(clauses, None)


def insert_document(con: sqlite3.Connection, writer: Any, file: str, ord_: int, parsed: ParsedDocument) -> None:
    """Insert a document as read (its effective metadata starts as its parsed metadata)."""
    doc = parsed.doc
    cols = document_columns(doc)
    meta = cols["meta"]
    cols.update(id=doc.id, file=file, ord=ord_, standalone=int(parsed.standalone),
                clause_count=len(parsed.clauses), parsed=meta, text_z=zlib.compress(doc.text.encode("utf-8"), 6))
    names = ",".join(cols)
    cur = con.execute(f"INSERT INTO documents ({names}) VALUES ({','.join('?' * len(cols))})", list(cols.values()))
    con.execute("INSERT INTO titles (rowid, t) VALUES (?, ?)", (cur.lastrowid, title_stream(norm(doc.title,
                traditional=True), doc.id)))
    con.executemany("INSERT INTO attachment_titles (doc_id, key) VALUES (?, ?)",
                    [(doc.id, norm(t)) for t in doc.attachments])
    trad = int(doc.traditional)
    for k, ((c, parent), pc) in enumerate(zip(_walk_with_parents(doc.clauses), parsed.clauses, strict=True)):
        own = None if doc.text[c.start:c.start + len(c.text)] == c.text else c.text
        cur = con.execute(
            "INSERT INTO clauses (doc_id, ord, parent, path, label, heading, level, kind, number, annotations, start, "
            "length, text, trad, lit_crc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.id, k, parent, c.path, c.label, c.heading, c.level, c.kind, c.number,
             json.dumps(c.annotations, ensure_ascii=False) if c.annotations else None, c.start, len(c.text), own,
             trad, crc(pc.literal)))
        cid = cur.lastrowid
        assert cid is not None
        lit = pc.literal
        con.execute("INSERT INTO literal (rowid, n, r) VALUES (?, ?, ?)", (cid, lit.n, lit.r))
        con.execute("INSERT INTO chars (rowid, c) VALUES (?, ?)", (cid, lit.c))
        for x in pc.citations:
            code, year, num = number_parts(x.doc_number)
            key = title_key(x.title) if x.title else None
            cur = con.execute(
                "INSERT INTO citations (doc_id, clause_id, clause, start, as_written, title, title_key, doc_number, "
                "nk_code, nk_year, nk_num, issuers_prefix, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, cid, c.path, x.start, x.as_written, x.title, key, x.doc_number, code, year, num,
                 x.issuers_prefix, json.dumps(x.pinpoint_dict(), ensure_ascii=False) if x.article else None))
            if key:
                con.execute("INSERT INTO cited_titles (rowid, t) VALUES (?, ?)", (cur.lastrowid, bigrams(key)))
        if writer is not None:
            WordIndex.add(writer, cid, file, pc.words)


class LiteralMismatch(Exception):
    """A stored clause no longer gives the literal row it was indexed with (the FTS tables must be rebuilt)."""


def delete_file(con: sqlite3.Connection, file: str, *, literal: bool = True) -> list[int]:
    """Delete the documents of a file and every row they put in the store; returns their clause ids.

    Raises LiteralMismatch (before changing any literal row of that document) if a clause's literal row cannot
    be reproduced; the caller then deletes with ``literal=False`` and rebuilds the literal tables."""
    removed: list[int] = []
    for doc_rowid, doc_id, title, script, z in con.execute(
            "SELECT rowid, id, title, script, text_z FROM documents WHERE file = ?", (file,)).fetchall():
        text = zlib.decompress(z).decode("utf-8")
        traditional = script == "traditional"
        rows = con.execute("SELECT id, start, length, text, lit_crc FROM clauses WHERE doc_id = ?",
                           (doc_id,)).fetchall()
        deletions = []
        for cid, start, length, own, stored_crc in rows:
            removed.append(cid)
            if not literal:
                continue
            lit = literal_row(own if own is not None else text[start:start + length], traditional=traditional)
            if crc(lit) != stored_crc:
                raise LiteralMismatch(doc_id)
            deletions.append((cid, lit))
        for cid, lit in deletions:
            con.execute("INSERT INTO literal (literal, rowid, n, r) VALUES ('delete', ?, ?, ?)", (cid, lit.n, lit.r))
            con.execute("INSERT INTO chars (chars, rowid, c) VALUES ('delete', ?, ?)", (cid, lit.c))
        if literal:
            con.execute("INSERT INTO titles (titles, rowid, t) VALUES ('delete', ?, ?)",
                        (doc_rowid, title_stream(norm(title, traditional=True), doc_id)))
            for cit_id, key in con.execute("SELECT id, title_key FROM citations WHERE doc_id = ? AND title_key "
                                           "IS NOT NULL", (doc_id,)).fetchall():
                con.execute("INSERT INTO cited_titles (cited_titles, rowid, t) VALUES ('delete', ?, ?)",
                            (cit_id, bigrams(key)))
        for table, col in (("clauses", "doc_id"), ("citations", "doc_id"), ("attachment_titles", "doc_id")):
            con.execute(f"DELETE FROM {table} WHERE {col} = ?", (doc_id,))
        con.execute("DELETE FROM documents WHERE rowid = ?", (doc_rowid,))
    return removed


def rebuild_literal_tables(con: sqlite3.Connection) -> None:
    """Re-make the literal and titles tables from the stored texts (after a LiteralMismatch)."""
    for table in ("literal", "chars", "titles", "cited_titles"):
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    for cit_id, key in con.execute("SELECT id, title_key FROM citations WHERE title_key IS NOT NULL").fetchall():
        con.execute("INSERT INTO cited_titles (rowid, t) VALUES (?, ?)", (cit_id, bigrams(key)))
    for doc_rowid, doc_id, title, script, z in con.execute(
            "SELECT rowid, id, title, script, text_z FROM documents").fetchall():
        text = zlib.decompress(z).decode("utf-8")
        traditional = script == "traditional"
        con.execute("INSERT INTO titles (rowid, t) VALUES (?, ?)",
                    (doc_rowid, title_stream(norm(title, traditional=True), doc_id)))
        for cid, start, length, own in con.execute("SELECT id, start, length, text FROM clauses WHERE doc_id = ?",
                                                   (doc_id,)).fetchall():
            lit = literal_row(own if own is not None else text[start:start + length], traditional=traditional)
            con.execute("INSERT INTO literal (rowid, n, r) VALUES (?, ?, ?)", (cid, lit.n, lit.r))
            con.execute("INSERT INTO chars (rowid, c) VALUES (?, ?)", (cid, lit.c))
            con.execute("UPDATE clauses SET lit_crc = ? WHERE id = ?", (crc(lit), cid))
