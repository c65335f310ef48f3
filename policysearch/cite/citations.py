"""Citations: extract every cited document, resolve it to an entity, format it, check a draft.

A cited document is an entity whether or not it is in the corpus: keyed by its document number when
any citation gives one, otherwise by its title.  A title cited without a number joins the entity of
a close title cited with one (rapidfuzz ratio on normalised titles).  Conflicts — one number under
two different titles, one title under two numbers — are kept and reported, not merged away.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from ..ingest.citations import Citation, extract
from ..model import Document
from ..text.docnumber import parse_reference, reference_matches
from ..text.normalise import norm, to_simplified
from ..text.titles import same_title, title_key


@dataclass
class Entity:
    """A cited (or citable) document: in the corpus or not."""

    key: str
    doc_number: str | None = None
    titles: Counter[str] = field(default_factory=Counter)  # as written
    doc: Document | None = None
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.doc is not None:
            return self.doc.title
        with_number = Counter({t: n for t, n in self.titles.items()})
        return with_number.most_common(1)[0][0] if with_number else ""

    @property
    def in_corpus(self) -> bool:
        return self.doc is not None

    def to_dict(self, *, clause: str | None = None, style: str = "gbt9704") -> dict[str, Any]:
        return {
            "doc_number": self.doc_number, "title": to_simplified(self.title) if self.title else None,
            "titles_as_written": [t for t, _ in self.titles.most_common()], "in_corpus": self.in_corpus,
            "doc_id": self.doc.id if self.doc else None, "date": self.doc.date if self.doc else None,
            "issuers": self.doc.issuers if self.doc else [],
            "cited_by": [{"doc_id": c.doc_id, "clause": c.clause, "as_written": c.as_written}
                         for c in self.citations],
            "conflicts": self.conflicts,
            "citation": format_citation(self, clause=clause, style=style),
        }


class CitationIndex:
    """All citations of a corpus, resolved to entities."""

    def __init__(self, docs: list[Document], citations: list[Citation] | None = None):
        """Over documents with their clauses (citations extracted here), or over documents' metadata and the
        citations a store keeps (a neighbourhood of the corpus: see cite.corpus)."""
        self.docs = docs
        self.citations: list[Citation] = []
        if citations is not None:
            number_of = {d.id: d.doc_number for d in docs}
            self.citations = [x for x in citations if x.title or x.doc_number != number_of.get(x.doc_id)]
        for d in docs if citations is None else ():
            for c in d.walk():
                self.citations.extend(x for x in extract(c.text, d.id, c.path)
                                      if x.title or x.doc_number != d.doc_number)  # not its own number
        self.entities: list[Entity] = []
        self._by_number: dict[str, Entity] = {}
        for d in docs:
            if d.doc_number:
                self._entity_for_number(d.doc_number).doc = d
        for c in self.citations:
            if c.doc_number:
                e = self._entity_for_number(c.doc_number)
                e.citations.append(c)
                if c.title:
                    e.titles[c.title] += 1
        for c in self.citations:
            if not c.doc_number:
                e = self.match_title(c.title_key)
                if e is None:
                    e = Entity(key=c.title_key)
                    self.entities.append(e)
                e.citations.append(c)
                if c.title:
                    e.titles[c.title] += 1
        for d in docs:  # corpus documents without a number, matched by title
            if not d.doc_number and not d.attachment_of:
                e = self.match_title(title_key(d.title))
                if e is not None and e.doc is None:
                    e.doc = d
        self._find_conflicts()

    def _entity_for_number(self, number: str) -> Entity:
        e = self._by_number.get(number)
        if e is None:
            e = Entity(key=number, doc_number=number)
            self._by_number[number] = e
            self.entities.append(e)
        return e

    def match_title(self, key: str) -> Entity | None:
        """The entity whose known titles (or corpus title) match a title key."""
        if not key:
            return None
        best, best_score = None, 0.0
        for e in self.entities:
            keys = {title_key(t) for t in e.titles}
            if e.doc is not None:
                keys.add(title_key(e.doc.title))
            for k in keys:
                if not same_title(k, key):
                    continue
                # prefer entities that have a number, then the closest title
                rank = fuzz.ratio(k, key) + (0.5 if e.doc_number else 0)
                if rank > best_score:
                    best, best_score = e, rank
        return best

    def _find_conflicts(self) -> None:
        for e in self.entities:
            keys = {}
            for t in e.titles:
                keys.setdefault(title_key(t), t)
            if e.doc is not None:
                keys.setdefault(title_key(e.doc.title), e.doc.title)
            distinct: list[str] = []
            for k, t in keys.items():
                if not any(same_title(k, title_key(o)) for o in distinct):
                    distinct.append(t)
            if e.doc_number and len(distinct) > 1:
                e.conflicts.append(f"{e.doc_number} is cited under different titles: " +
                                   "; ".join(f"《{t}》" for t in distinct))
        numbered = [e for e in self.entities if e.doc_number]
        for i, e in enumerate(numbered):
            for o in numbered[i + 1:]:
                ke = {title_key(t) for t in e.titles} | ({title_key(e.doc.title)} if e.doc else set())
                ko = {title_key(t) for t in o.titles} | ({title_key(o.doc.title)} if o.doc else set())
                if any(same_title(a, b) for a in ke for b in ko):
                    msg = f"one title is cited under two numbers: {e.doc_number} and {o.doc_number}"
                    e.conflicts.append(msg)
                    o.conflicts.append(msg)

    # -- look-ups ---------------------------------------------------------------------------------
    def find(self, ref: str) -> list[Entity]:
        """Entities for a number (any form, or just 894号), a document id, or a title fragment."""
        ref = ref.strip()
        number = parse_reference(ref)
        if number:
            return [e for e in self.entities if e.doc_number and reference_matches(number, e.doc_number)]
        for e in self.entities:
            if e.doc is not None and e.doc.id == ref:
                return [e]
        for d in self.docs:
            if d.id == ref:  # a corpus document nobody cites
                e = Entity(key=d.id, doc_number=d.doc_number, doc=d)
                return [e]
        key = re.sub(r"[\W_]+", "", norm(ref, traditional=True))
        if not key:
            return []
        hits = []
        for e in self.entities:
            keys = {title_key(t) for t in e.titles} | ({title_key(e.doc.title)} if e.doc else set())
            if any(key in k for k in keys):
                hits.append(e)
        return hits

    def cited_by_document(self, doc_id: str) -> list[tuple[Citation, Entity]]:
        return [(c, e) for e in self.entities for c in e.citations if c.doc_id == doc_id]

    def entity_of(self, doc: Document) -> Entity | None:
        for e in self.entities:
            if e.doc is doc or (e.doc is not None and e.doc.id == doc.id):
                return e
        return None

    # -- checking a draft -------------------------------------------------------------------------
    def check(self, text: str) -> list[dict[str, Any]]:
        """Every citation in a draft: ok, mismatch (with the right form) or unknown."""
        results = []
        for c in extract(text):
            results.append(self._check_one(c))
        return results

    def _check_one(self, c: Citation) -> dict[str, Any]:
        by_number = self._by_number.get(c.doc_number) if c.doc_number else None
        by_title = self.match_title(c.title_key) if c.title else None
        result: dict[str, Any] = {"as_written": c.as_written, "status": "unknown", "expected": None,
                                  "message": ""}
        if by_number is not None and (by_number.titles or by_number.doc):
            known = by_number.doc.title if by_number.doc else by_number.title
            if c.title and not same_title(title_key(known), c.title_key):
                result.update(status="mismatch", expected=format_citation(by_number),
                              message=f"{c.doc_number} is 《{to_simplified(known)}》, not 《{c.title}》")
                if by_title is not None and by_title.doc_number and by_title is not by_number:
                    result["message"] += f"; 《{c.title}》 is {by_title.doc_number}"
                    result["expected"] = format_citation(by_title)
                return result
            result.update(status="ok", expected=format_citation(by_number), message="number and title agree")
            return result
        if by_title is not None:
            if c.doc_number and by_title.doc_number and by_title.doc_number != c.doc_number:
                result.update(status="mismatch", expected=format_citation(by_title),
                              message=f"《{c.title}》 is {by_title.doc_number}, not {c.doc_number}")
                return result
            if not c.doc_number and by_title.doc_number:
                result.update(status="ok", expected=format_citation(by_title),
                              message=f"title known; its number is {by_title.doc_number}")
                return result
            result.update(status="ok", expected=format_citation(by_title), message="title known")
            return result
        result["message"] = "not in the corpus and not cited by any corpus document"
        return result


# --- formatting ---------------------------------------------------------------------------------

def clause_reference(path: str) -> str:
    """二/(一)/1 → 第二部分第（一）项第1点; 第三条 stays 第三条."""
    out = []
    for part in path.split("/"):
        if part.startswith("第"):
            out.append(part)
        elif part.startswith("("):
            inner = part[1:-1]
            out.append(f"第（{inner}）{'点' if inner.isdigit() else '项'}")
        elif part.isdigit():
            out.append(f"第{part}点")
        elif re.fullmatch(r"[\u2460-\u2473]", part):
            out.append(f"第{part}点")
        else:
            out.append(f"第{part}部分")
    return "".join(out)


def format_citation(entity: Entity, *, clause: str | None = None, style: str = "gbt9704") -> str:
    title = to_simplified(entity.title or "")
    if style == "gbt7714":
        return format_gbt7714(entity)
    cite = f"《{title}》" if title else ""
    if entity.doc_number:
        cite += f"（{entity.doc_number}）"
    if clause:
        cite += clause_reference(clause)
    return cite


def format_gbt7714(entity: Entity, accessed: str | None = None) -> str:
    """GB/T 7714-2015 entry for an official document, after the standard's own example:
    北京市人民政府办公厅. 关于转发…的通知: 京政办发〔2005〕37号[A/OL]. (2005-07-12)[2005-07-12]. URL."""
    import datetime

    doc = entity.doc
    issuers = [to_simplified(i) for i in (doc.issuers if doc else [])]
    author = ", ".join(issuers[:3]) + (", 等" if len(issuers) > 3 else "")
    title = to_simplified(entity.title or "")
    number = f": {entity.doc_number}" if entity.doc_number else ""
    parts = [f"{author}. " if author else "", f"{title}{number}"]
    if doc is not None and doc.url:
        accessed = accessed or datetime.date.today().isoformat()
        parts.append(f"[A/OL]. ({doc.date or ''})[{accessed}]. {doc.url}.")
    else:
        parts.append("[A]." + (f" {doc.date}." if doc is not None and doc.date else ""))
    return "".join(parts)

