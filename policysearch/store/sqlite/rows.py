"""Writing and deleting one file's documents: document rows, clause rows, the literal index, titles, citations.

Every row a document puts into the store is made here, from the document as read, so that deleting it can
give the contentless FTS5 tables back exactly what they were given.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...model import Clause, Document
from ...text.docnumber import parse_reference
from ...text.normalise import norm
from ...text.titles import title_key
from ..base import HEAD_KINDS
from . import texts
from .literal import LiteralRow, bigrams, crc, literal_row, title_stream
from .schema import FTS_TABLES, kind_code, stored_label

if TYPE_CHECKING:
    from .wordwriter import ClauseWriter


@dataclass
class ParsedDocument:
    """A document as read, with every row it puts in the store already made (in the reading workers, so that
    the one writing process only inserts them).  Clause rows, literal rows, words and citations are in reading
    order; ``doc`` carries the metadata only (its text is ``text``, its clauses are the rows)."""

    doc: Document
    standalone: bool  # a stand-alone attachment file, to be linked to the parent listing it
    columns: dict[str, Any]  # the document row's look-up columns and metadata JSON
    text: list[bytes]  # the display text in compressed blocks (texts.py)
    clauses: list[tuple]  # parent, path, label, heading, level, kind, number, annotations, start, length, own text
    literal: list[LiteralRow]  # the literal-index row of each clause
    words: list[str]  # jieba words of each clause's matching form, space-joined
    citations: list[tuple]  # clause index, then the citations row from its clause path on
    lit_crc: int


def prepare_document(doc: Document, standalone: bool) -> ParsedDocument:
    """Segment and tokenise every clause of a document and make its rows (runs in the reading workers)."""
    from ...ingest.citations import document_citations
    from ...text.segment import words

    clauses: list[tuple] = []
    literal, segmented, citations = [], [], []
    heads = head_rows(doc)
    cited: dict[str, list] = {}
    for clause, x in document_citations(doc):
        cited.setdefault(clause.path, []).append(x)
    for path, start, body in heads:
        own = None if doc.text[start:start + len(body)] == body else body
        clauses.append((None, path, None, "", 0, path, None, None, start, len(body), own))
        matching = norm(body, traditional=doc.traditional)
        literal.append(literal_row(body, traditional=doc.traditional, matching=matching))
        segmented.append(" ".join(words(matching)))
    for k, (c, parent) in enumerate(_walk_with_parents(doc.clauses), len(heads)):
        own = None if doc.text[c.start:c.start + len(c.text)] == c.text else c.text
        clauses.append((None if parent is None else parent + len(heads), c.path, stored_label(c.label, c.path),
                        c.heading, c.level, kind_code(c.kind), c.number,
                        json.dumps(c.annotations, ensure_ascii=False) if c.annotations else None, c.start,
                        len(c.text), own))
        literal.append(literal_row(c.text, traditional=doc.traditional, matching=c.norm))
        segmented.append(" ".join(words(c.norm)))
        for x in cited.get(c.path, ()):
            if x.title or x.doc_number != doc.doc_number:
                code, year, num = number_parts(x.doc_number)
                citations.append((k, c.path, x.start, x.as_written, x.title, title_key(x.title) if x.title else None,
                                  x.doc_number, code, year, num, x.issuers_prefix,
                                  json.dumps(x.pinpoint_dict(), ensure_ascii=False) if x.article else None))
    columns = document_columns(doc)
    meta = Document(**{**doc.fields_dict(), "text": "", "amendments": doc.amendments, "clauses": []})
    return ParsedDocument(meta, standalone, columns, texts.compress(doc.text), clauses, literal, segmented,
                          citations, crc(literal))


_COMMENT_LINE = re.compile(r"\s*<!--.*?-->\s*")
_FIELD_LINE = re.compile(r"\s*【[^】]{1,12}】")


def head_rows(doc: Document) -> list[tuple[str, int, str]]:
    """(path, start, text) of a document's text that no clause holds, searched like clauses: its title
    (``title``) and the lines before its first clause that are not the title (``info``: a law's information
    block of dates and orders, a number line).  A field a site, crawler or database labels (发布机构：, 【发布部门】)
    is metadata, shown as such, not the document's wording.  They are rows of the clauses table before the clause
    tree, never part of it."""
    from ...ingest.clean import LABEL_FIELD_RE

    rows = [("title", max(doc.text.find(doc.title), 0), doc.title)] if doc.title.strip() else []
    end = doc.clauses[0].start if doc.clauses else 0
    in_title = norm(doc.title).replace(" ", "")
    first, kept = -1, []
    pos = 0
    for line in doc.text[:end].split("\n"):
        key = norm(line).replace(" ", "")
        if key and key not in in_title and not (_COMMENT_LINE.fullmatch(line) or _FIELD_LINE.match(line)
                                                 or LABEL_FIELD_RE.match(line)):
            first = pos if first < 0 else first
            kept.append(line.strip())
        pos += len(line) + 1
    if kept:
        rows.append(("info", first, "\n".join(kept)))
    return rows


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
    from ...ingest.versions import version_date, work_key

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


def insert_document(con: sqlite3.Connection, writer: ClauseWriter | None, file: str, ord_: int,
                    parsed: ParsedDocument, first_clause: int) -> int:
    """Insert a document as read (its effective metadata is its parsed metadata until links or the manifest
    change it).  Its clauses get the ids ``first_clause`` onwards, in reading order, and are added to the word
    index one after the other; returns the next free clause id."""
    doc = parsed.doc
    cols = dict(parsed.columns)
    n = len(parsed.clauses)
    heads = sum(1 for row in parsed.clauses if row[5] in HEAD_KINDS)
    cols.update(id=doc.id, file=file, ord=ord_, standalone=int(parsed.standalone), clause_count=n, heads=heads,
                first_clause=first_clause if n else None, parsed=cols.pop("meta"), lit_crc=parsed.lit_crc,
                w_seg=writer.segment_name if writer is not None and n else None,
                w_doc=writer.docnum if writer is not None and n else None)
    names = ",".join(cols)
    num = con.execute(f"INSERT INTO documents ({names}) VALUES ({','.join('?' * len(cols))})",
                      list(cols.values())).lastrowid
    assert num is not None
    con.execute("INSERT INTO titles (rowid, t) VALUES (?, ?)", (num, title_stream(norm(doc.title, traditional=True),
                                                                                 doc.id)))
    con.executemany("INSERT INTO attachment_titles (doc_id, key) VALUES (?, ?)",
                    [(doc.id, norm(t)) for t in doc.attachments])
    texts.insert(con, num, parsed.text)
    trad = int(doc.traditional)
    ids = range(first_clause, first_clause + n)
    con.executemany("INSERT INTO clauses (id, doc, parent, path, label, heading, level, kind, number, annotations, "
                    "start, length, text, trad, differs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    [(cid, num, *row, trad, int(bool(lit.r)))
                     for cid, row, lit in zip(ids, parsed.clauses, parsed.literal, strict=True)])
    _literal_rows(con, zip(ids, parsed.literal, strict=True))
    for k, *row in parsed.citations:
        key = row[4]  # the cited title's key (see prepare_document)
        cit = con.execute("INSERT INTO citations (doc_id, clause_id, clause, start, as_written, title, title_key, "
                          "doc_number, nk_code, nk_year, nk_num, issuers_prefix, extra) VALUES "
                          "(?,?,?,?,?,?,?,?,?,?,?,?,?)", (doc.id, first_clause + k, *row)).lastrowid
        if key:
            con.execute("INSERT INTO cited_titles (rowid, t) VALUES (?, ?)", (cit, bigrams(key)))
    if writer is not None:
        for words in parsed.words:
            writer.add_clause(words)
    return first_clause + n


class LiteralMismatch(Exception):
    """A stored clause no longer gives the literal row it was indexed with (the FTS tables must be rebuilt)."""


def delete_file(con: sqlite3.Connection, writer: ClauseWriter | None, file: str, *, literal: bool = True) -> int:
    """Delete the documents of a file and every row they put in the store and the word index; the compressed
    size of their texts (what compaction counts, compact.py).

    Raises LiteralMismatch (before changing any literal row of that document) if a clause's literal row cannot
    be reproduced; the caller then deletes with ``literal=False`` and rebuilds the literal tables."""
    removed = 0
    for num, doc_id, title, script, first, count, w_seg, w_doc, stored_crc in con.execute(
            "SELECT num, id, title, script, first_clause, clause_count, w_seg, w_doc, lit_crc FROM documents "
            "WHERE file = ?", (file,)).fetchall():
        last = (first or 0) + count - 1
        if literal:
            deletions = _stored_literal_rows(con, num, first, count, script == "traditional")
            if crc(lit for _, lit in deletions) != stored_crc:
                raise LiteralMismatch(doc_id)
            _literal_rows(con, deletions, delete=True)
            con.execute("INSERT INTO titles (titles, rowid, t) VALUES ('delete', ?, ?)",
                        (num, title_stream(norm(title, traditional=True), doc_id)))
            for cit_id, key in con.execute("SELECT id, title_key FROM citations WHERE doc_id = ? AND title_key "
                                           "IS NOT NULL", (doc_id,)).fetchall():
                con.execute("INSERT INTO cited_titles (cited_titles, rowid, t) VALUES ('delete', ?, ?)",
                            (cit_id, bigrams(key)))
        if writer is not None and w_seg is not None:
            writer.delete_clauses(w_seg, w_doc, count)
        con.execute("DELETE FROM clauses WHERE id BETWEEN ? AND ?", (first, last))
        removed += texts.delete(con, num)
        for table in ("citations", "attachment_titles"):
            con.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        con.execute("DELETE FROM documents WHERE num = ?", (num,))
    return removed


def rebuild_literal_tables(con: sqlite3.Connection) -> None:
    """Re-make the literal and titles tables from the stored texts (after a LiteralMismatch)."""
    for table in FTS_TABLES:
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    for cit_id, key in con.execute("SELECT id, title_key FROM citations WHERE title_key IS NOT NULL").fetchall():
        con.execute("INSERT INTO cited_titles (rowid, t) VALUES (?, ?)", (cit_id, bigrams(key)))
    for num, doc_id, title, script, first, count in con.execute(
            "SELECT num, id, title, script, first_clause, clause_count FROM documents").fetchall():
        con.execute("INSERT INTO titles (rowid, t) VALUES (?, ?)",
                    (num, title_stream(norm(title, traditional=True), doc_id)))
        rows = _stored_literal_rows(con, num, first, count, script == "traditional")
        _literal_rows(con, rows)
        con.execute("UPDATE documents SET lit_crc = ? WHERE num = ?", (crc(x for _, x in rows), num))


def stored_clause_texts(con: sqlite3.Connection, num: int, first: int | None, count: int) -> list[tuple[int, str]]:
    """(id, text) of a stored document's clauses in reading order, from its stored text."""
    text = texts.read(con, num)
    return [(cid, own if own is not None else text[start:start + length])
            for cid, start, length, own in con.execute(
                "SELECT id, start, length, text FROM clauses WHERE id BETWEEN ? AND ? ORDER BY id",
                (first, (first or 0) + count - 1))]


def _stored_literal_rows(con: sqlite3.Connection, num: int, first: int | None, count: int,
                         traditional: bool) -> list[tuple[int, LiteralRow]]:
    """The literal rows of a stored document's clauses, made again from its stored text."""
    return [(cid, literal_row(body, traditional=traditional))
            for cid, body in stored_clause_texts(con, num, first, count)]


def _literal_rows(con: sqlite3.Connection, rows: Iterable[tuple[int, LiteralRow]], *,
                  delete: bool = False) -> None:
    """Insert clauses' literal-index rows, or delete them (a contentless table is given the same values again)."""
    rows = list(rows)
    for table, column, k in (("literal", "n", 0), ("literal_r", "r", 1), ("chars", "c", 2)):
        values = [(cid, row[k]) for cid, row in rows if row[k]]
        if delete:
            con.executemany(f"INSERT INTO {table} ({table}, rowid, {column}) VALUES ('delete', ?, ?)", values)
        else:
            con.executemany(f"INSERT INTO {table} (rowid, {column}) VALUES (?, ?)", values)
