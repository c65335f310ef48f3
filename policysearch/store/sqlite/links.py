"""Effective metadata: what a document is after attachment links and the corpus manifest.

The store keeps each document's metadata as read (``parsed``) and as effective (``meta``).  An ingest
recomputes the effective metadata of the documents it may have changed — new and re-read documents,
stand-alone attachments whose parent changed or which a new parent lists, documents the manifest names
or named — with the ingest stage's own rules (``link_attachments``, ``apply_manifest``) applied to just
those documents and their candidate parents, found through the index of listed attachment titles.
"""

from __future__ import annotations

import json
import sqlite3

from rapidfuzz import fuzz, process

from ...ingest.pipeline import apply_manifest, link_attachments
from ...ingest.versions import assign_versions, work_key
from ...model import Document
from ...text.normalise import norm
from ..base import document_from_meta
from . import texts
from .rows import document_columns, metadata_json
from .store import META

CANDIDATE_MATCH = 90  # prefilter for listed attachment titles (the ingest rule itself asks for more)


def _parsed(con: sqlite3.Connection, doc_ids: list[str], *, with_first_line: bool = False) -> list[Document]:
    out = []
    for doc_id in doc_ids:
        row = con.execute("SELECT parsed, num FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            continue
        text = texts.read(con, row[1], 0, texts.BLOCK).split("\n", 1)[0] if with_first_line else ""
        out.append(document_from_meta(json.loads(row[0]), text=text))
    return out


def _standalone_affected(con: sqlite3.Connection, changed: set[str], removed: set[str]) -> set[str]:
    """Stand-alone attachments whose link may have changed."""
    out: set[str] = set()
    ids = sorted(changed | removed)
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        q = ",".join("?" * len(chunk))
        out.update(r[0] for r in con.execute(
            f"SELECT id FROM documents WHERE standalone = 1 AND (id IN ({q}) OR attachment_of IN ({q}))", chunk * 2))
    # a new or re-read parent may list an attachment that is already in the store
    listed: set[str] = set()
    changed_ids = sorted(changed)
    for i in range(0, len(changed_ids), 900):
        chunk = changed_ids[i:i + 900]
        listed.update(r[0] for r in con.execute(
            f"SELECT key FROM attachment_titles WHERE doc_id IN ({','.join('?' * len(chunk))})", chunk))
    if listed:
        standalone = con.execute("SELECT id, title FROM documents WHERE standalone = 1").fetchall()
        keys = [norm(t) for _, t in standalone]
        for key in listed:
            for _, _, k in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=CANDIDATE_MATCH, limit=None):
                out.add(standalone[k][0])
    return out


def _linked(con: sqlite3.Connection, attachment_ids: set[str], keys: list[tuple[str, str]]) -> dict[str, Document]:
    """Stand-alone attachments linked to their parents by the ingest rule."""
    out: dict[str, Document] = {}
    parent_keys = [k for _, k in keys]
    for att in _parsed(con, sorted(attachment_ids), with_first_line=True):
        key = norm(att.title)
        parents = {keys[k][0] for _, _, k in process.extract(key, parent_keys, scorer=fuzz.ratio,
                                                             score_cutoff=CANDIDATE_MATCH, limit=None)}
        parents.discard(att.id)
        family = list(parents)
        for p in list(parents):
            family.extend(r[0] for r in con.execute(
                "SELECT id FROM documents WHERE attachment_of = ? AND standalone = 0", (p,)))
        docs = [att, *_parsed(con, family)]
        link_attachments(docs)
        out[att.id] = att
    return out


def relink(con: sqlite3.Connection, changed: set[str], removed: set[str], manifest: dict[str, dict],
           manifest_changed_ids: set[str]) -> int:
    """Recompute the effective metadata of the documents an ingest may have changed; returns how many."""
    attachments = _standalone_affected(con, changed, removed)
    keys: list[tuple[str, str]] = con.execute("SELECT doc_id, key FROM attachment_titles").fetchall() \
        if attachments else []
    linked = _linked(con, attachments, keys) if attachments else {}
    targets = (changed | attachments | manifest_changed_ids) - removed
    docs = {d.id: d for d in _parsed(con, sorted(targets - set(linked)))}
    docs.update(linked)
    for doc_id, doc in docs.items():
        if doc_id in manifest:
            apply_manifest(doc, manifest[doc_id])
        cols = document_columns(doc)
        sets = ", ".join(f"{k} = nullif(?, parsed)" if k == "meta" else f"{k} = ?" for k in cols)
        con.execute(f"UPDATE documents SET {sets} WHERE id = ?", [*cols.values(), doc_id])
    regroup_versions(con, {work_key(d) for d in docs.values() if not d.attachment_of})
    return len(docs)


def regroup_versions(con: sqlite3.Connection, names: set[str]) -> None:
    """Group the documents of these work names into works and versions with the ingest stage's rule
    (``assign_versions``: title, issuers and information-block histories), over just those documents."""
    for name in sorted(n for n in names if n):
        # the name itself, and the name told apart by issuers (name|…) or by history (name'…): index ranges
        rows = con.execute(
            f"SELECT {META} FROM documents WHERE +attachment_of IS NULL AND (work = ? OR work BETWEEN ? AND ? "
            "OR work BETWEEN ? AND ?)", (name, name + "|", name + "|\U0010ffff", name + "'", name + "'\U0010ffff")
        ).fetchall()
        docs = [document_from_meta(json.loads(m)) for (m,) in rows]
        for d in docs:
            d.work = d.version = None
        assign_versions(docs)
        for d in docs:
            con.execute("UPDATE documents SET work = ?, version = ?, meta = nullif(?, parsed) WHERE id = ?",
                        (d.work, d.version, metadata_json(d), d.id))
