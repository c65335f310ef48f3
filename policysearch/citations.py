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
from rapidfuzz.distance import LCSseq

from .docnumber import find_doc_numbers, parse_reference, reference_matches
from .model import Document
from .normalise import norm, to_simplified

TITLE_MATCH = 85.0  # least fuzz.ratio of two titles of one document (see same_title)
_TITLE_RE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
_AFTER_RE = re.compile(r"^\s*[（(]\s*(?P<inner>[^（()）]{4,40})\s*[)）]")
_PREFIX_CUT_RE = re.compile(r".*(?:[，。；：,;:（()）“”\"》\n]|按照|根据|依据|落实|贯彻|为|对|在|以|和|与|及|是|的)",
                            re.DOTALL)
_DOC_KIND_RE = re.compile(r"关于|關於|通知|意见|意見|办法|辦法|规定|規定|决定|決定|方案|规划|規劃|条例|條例"
                          r"|要点|要點|纲要|綱要|细则|細則|批复|批覆|法$|函")
_ORG_END_RE = re.compile(r"(?:部|委|厅|廳|局|署|行|院|办|辦|政府|总局|總局|部门|部門|部委|办公厅|辦公廳)$")


@dataclass
class Citation:
    doc_id: str  # the citing document
    clause: str  # the clause it stands in
    as_written: str  # the citation as written, brackets and all
    title: str | None  # as written, without 《》
    doc_number: str | None  # GB/T 9704 form
    issuers_prefix: str | None = None  # 国家发展改革委、商务部等十三部委 before the 《》
    start: int = 0  # offset in the clause text

    @property
    def title_key(self) -> str:
        return title_key(self.title or "")


def title_key(title: str) -> str:
    """A title for matching: normalised, issuer prefix before 关于 dropped, punctuation dropped."""
    t = norm(title, traditional=True)
    m = re.search("关于", t)
    if m and m.start() > 0:
        t = t[m.start():]
    return re.sub(r"[\W_]+", "", t)


def same_title(a: str, b: str) -> bool:
    """Whether two title keys name one document: equal, or one is the other with a few characters
    added or dropped (组织开展 / 开展).  A substitution (示范城市 / 示范基地) names another document,
    although its fuzz.ratio is as high, so the shorter title must survive whole in the longer one."""
    if a == b:
        return True
    if not a or not b:
        return False
    short = min(len(a), len(b))
    return LCSseq.similarity(a, b) >= short - 1 and fuzz.ratio(a, b) >= TITLE_MATCH


def _issuer_prefix(text: str, start: int) -> str | None:
    before = text[max(0, start - 40):start]
    m = _PREFIX_CUT_RE.match(before)
    cand = before[m.end():] if m else before
    cand = cand.strip()
    if len(cand) >= 2 and (_ORG_END_RE.search(cand) or re.search(r"等[一二三四五六七八九十\d]+个?部(委|门)$", cand)):
        # accept lists such as 国家发展改革委、商务部等十三部委
        return cand
    return None


def extract(text: str, doc_id: str = "", clause: str = "") -> list[Citation]:
    """Every citation in a clause text: 《title》（number）, 《title》, and bare numbers."""
    out: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _TITLE_RE.finditer(text):
        title = m.group("title").strip()
        end = m.end()
        number = None
        after = _AFTER_RE.match(text[end:])
        if after:
            found = find_doc_numbers(after.group("inner"))
            if found:
                number = found[0][2]
                end += after.end()
        prefix_text = None
        start = m.start()
        # a title may itself start with its issuer (《国务院关于…》); a prefix outside the 《》 is kept too
        pre = _issuer_prefix(text, m.start())
        if pre:
            prefix_text = pre
            start = m.start() - len(pre)
        if not number and not _DOC_KIND_RE.search(title):
            continue  # a book, newspaper or slogan in 《》, not a document
        out.append(Citation(doc_id, clause, text[start:end], title, number, prefix_text, start))
        taken.append((m.start(), end))
    for s, e, number in find_doc_numbers(text):
        if any(a <= s < b for a, b in taken):
            continue
        out.append(Citation(doc_id, clause, text[s:e], None, number, None, s))
    out.sort(key=lambda c: c.start)
    return out


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

    def __init__(self, docs: list[Document]):
        self.docs = docs
        self.citations: list[Citation] = []
        for d in docs:
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

