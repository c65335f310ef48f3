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
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from ..ingest.citations import Citation, document_citations, extract, text_citations
from ..ingest.versions import (
    article_label,
    article_number,
    articles,
    cn_numeral,
    find_article,
    full_text,
    group_versions,
    in_force,
    version_date,
    work_title_key,
)
from ..model import Clause, Document
from ..text.docnumber import parse_reference, reference_matches
from ..text.lexicon import ABOUT_RE
from ..text.normalise import norm, to_simplified
from ..text.titles import title_key

if TYPE_CHECKING:
    from ..compare.changes import ClausePair, Comparison


@dataclass
class Entity:
    """A cited (or citable) document: in the corpus or not."""

    key: str
    doc_number: str | None = None
    titles: Counter[str] = field(default_factory=Counter)  # as written
    doc: Document | None = None
    citations: list[Citation] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    other_versions: list[Document] = field(default_factory=list)  # when a look-up named a whole work

    @property
    def title(self) -> str:
        if self.doc is not None:
            return self.doc.title
        with_number = Counter({t: n for t, n in self.titles.items()})
        return with_number.most_common(1)[0][0] if with_number else ""

    @property
    def citable_title(self) -> str:
        """The title as a notice cites it: whole (国务院关于…的意见) when one body issued it; from 关于 when
        several did, since a citing text names joint issuers apart (…等部门《关于…的通知》) if at all."""
        doc = self.doc
        if doc is not None and len(doc.issuers) > 1 and doc.short_title and doc.short_title != doc.title:
            return doc.short_title
        return self.title

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
            "other_versions": [{"doc_id": d.id, "version": version_date(d), "doc_number": d.doc_number}
                               for d in self.other_versions],
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
            self.citations.extend(x for _, x in document_citations(d)
                                  if x.title or x.doc_number != d.doc_number)  # not its own number
        # Deterministic whatever order the store or a set gave them in.
        self.docs = sorted(docs, key=lambda d: d.id)
        self.citations.sort(key=lambda c: (c.doc_id, c.clause, c.start))
        self.entities: list[Entity] = []
        self._by_number: dict[str, Entity] = {}
        self._by_doc: dict[str, Entity] = {}
        self._unknown: dict[str, Entity] = {}  # works cited by title, not in the corpus: by work key
        self._by_work: dict[str, list[Document]] = {}
        self._date = {d.id: _citing_date(d) for d in self.docs}
        self._by_id = {d.id: d for d in self.docs}
        for d in self.docs:
            if d.doc_number:
                self._entity_for_number(d.doc_number).doc = d
            key = work_title_key(d.title)
            if key:
                self._by_work.setdefault(key, []).append(d)
        for c in self.citations:
            if c.doc_number:
                e = self._entity_for_number(c.doc_number)
                e.citations.append(c)
                if c.title:
                    e.titles[c.title] += 1
        for c in self.citations:
            if not c.doc_number:
                found = self.match_title(c.title or "", at=self._date.get(c.doc_id), issuers=c.issuers_prefix,
                                         citing=c.doc_id)
                if found is None:
                    key = work_title_key(c.title or "")
                    found = self._unknown.get(key)
                    if found is None:
                        found = self._unknown[key] = Entity(key=c.title_key)
                        self.entities.append(found)
                found.citations.append(c)
                if c.title:
                    found.titles[c.title] += 1
        self._find_conflicts()

    def _entity_for_number(self, number: str) -> Entity:
        e = self._by_number.get(number)
        if e is None:
            e = Entity(key=number, doc_number=number)
            self._by_number[number] = e
            self.entities.append(e)
        return e

    def _entity_for_doc(self, d: Document) -> Entity:
        if d.doc_number:
            e = self._entity_for_number(d.doc_number)
            if e.doc is not None and e.doc.id != d.id:  # one number on two documents (a notice and its attachment)
                e = self._by_doc.get(d.id) or self._new_doc_entity(d)
            return e
        return self._by_doc.get(d.id) or self._new_doc_entity(d)

    def _new_doc_entity(self, d: Document) -> Entity:
        e = self._by_doc[d.id] = Entity(key=d.id, doc_number=None, doc=d)
        self.entities.append(e)
        return e

    def named(self, title: str, *, issuers: str | None = None, citing: str | None = None) -> list[Document]:
        """The corpus documents a cited title names: the same work name (after normalisation of script,
        punctuation, brackets and spacing; 中华人民共和国 written or not; notes such as （2019年修订） dropped), an
        issuer written in the title or before it agreeing.  A document citing its own work's name cites the
        earlier enactment it repeals: none of the versions here (they amend the citing one), not itself."""
        key = work_title_key(title)
        citing_doc = self._by_id.get(citing or "")
        if citing_doc is not None and work_title_key(citing_doc.title) == key:
            return []  # its own name: the enactment it repeals (…发布的《信访条例》同时废止), not a version here
        return [d for d in self._by_work.get(key, []) if issuers_agree(title, issuers, d)]

    def match_title(self, title: str, *, at: str | None = None, issuers: str | None = None,
                    citing: str | None = None) -> Entity | None:
        """The entity of the document a cited title names (its version in force at ``at`` when several versions
        share the name), or None: similar titles are suggestions (:meth:`suggestions`), never a match."""
        if not title:
            return None
        docs = self.named(title, issuers=issuers, citing=citing)
        if not docs:
            return None
        main = [d for d in docs if not d.attachment_of] or docs
        chosen = in_force(main, at) or sorted(main, key=lambda d: (version_date(d) or "", d.id))[0]
        return self._entity_for_doc(chosen)

    def _cited_elsewhere(self, c: Citation) -> Entity | None:
        """A work not in the corpus that corpus documents cite under exactly this title (with a number if any
        of them gives one)."""
        if not c.title:
            return self._by_number.get(c.doc_number) if c.doc_number else None
        key = work_title_key(c.title)
        found = [e for e in self.entities if e.doc is None and e.citations
                 and any(work_title_key(t) == key for t in e.titles)]
        found.sort(key=lambda e: (e.doc_number is None, -len(e.citations), e.key))
        return found[0] if found else None

    def suggestions(self, title: str, limit: int = 3) -> list[Document]:
        """Documents whose titles are close to a cited title that names none of them ("did you mean")."""
        key = work_title_key(title)
        scored = []
        for k, docs in self._by_work.items():
            score = fuzz.ratio(k, key)
            if score >= 70 and k != key:
                scored.append((-score, k, docs[-1]))
        return [d for _, _, d in sorted(scored, key=lambda x: (x[0], x[1]))[:limit]]

    def _find_conflicts(self) -> None:
        for e in self.entities:
            keys: dict[str, str] = {}
            if e.doc is not None:
                keys.setdefault(work_title_key(e.doc.title), e.doc.title)
            for t in e.titles:
                keys.setdefault(work_title_key(t), t)
            if e.doc_number and len(keys) > 1:
                e.conflicts.append(f"{e.doc_number} is cited under different titles: " +
                                   "; ".join(f"《{t}》" for t in keys.values()))
        by_key: dict[str, list[Entity]] = {}
        for e in self.entities:
            if not e.doc_number:
                continue
            ks = {work_title_key(t) for t in e.titles} | ({work_title_key(e.doc.title)} if e.doc else set())
            for k in ks:
                by_key.setdefault(k, []).append(e)
        for es in by_key.values():
            numbers = sorted({e.doc_number for e in es if e.doc_number})
            versions = {e.doc.work for e in es if e.doc is not None and e.doc.work}
            if len(numbers) > 1 and not (len(versions) == 1 and all(e.doc is not None for e in es)):
                msg = f"one title is cited under {len(numbers)} numbers: {' and '.join(numbers)}"
                for e in es:
                    if msg not in e.conflicts:
                        e.conflicts.append(msg)

    # -- look-ups ---------------------------------------------------------------------------------
    def find(self, ref: str) -> list[Entity]:
        """Entities for a number (any form, or just 894号), a document id, or a title or a fragment of one, as
        issued (with its issuer, 关于, 印发 and the book-title marks) or as cited."""
        ref = ref.strip()
        number = parse_reference(ref)
        if number:
            return [e for e in self.entities if e.doc_number and reference_matches(number, e.doc_number)]
        for d in self.docs:
            if d.id == ref:
                return [self._entity_for_doc(d)]
        keys = {k for k in (re.sub(r"[\W_]+", "", norm(ref, traditional=True)), title_key(ref)) if k}
        work = work_title_key(ref)
        if not keys:
            return []
        hits: dict[int, Entity] = {}
        for d in self.docs:
            k = title_key(d.title)
            if any(x in k for x in keys) or work_title_key(d.title) == work:
                e = self._entity_for_doc(d)
                hits.setdefault(id(e), e)
        for e in self.entities:
            if e.doc is None and any(any(x in title_key(t) for x in keys) for t in e.titles):
                hits.setdefault(id(e), e)
        return list(hits.values())

    def cited_by_document(self, doc_id: str) -> list[tuple[Citation, Entity]]:
        return [(c, e) for e in self.entities for c in e.citations if c.doc_id == doc_id]

    def entity_of(self, doc: Document) -> Entity | None:
        for e in self.entities:
            if e.doc is doc or (e.doc is not None and e.doc.id == doc.id):
                return e
        return None

    # -- checking a draft -------------------------------------------------------------------------
    def check(self, text: str, found: list[Citation] | None = None) -> list[dict[str, Any]]:
        """Every citation in a draft (``found``: its citations, when the caller has them): ok, mismatch (with the
        right form) or unknown."""
        results = []
        for c in text_citations(text) if found is None else found:
            result = self._check_one(c)
            if c.title and "《" in c.as_written and f"《{c.title}》" not in c.as_written:  # after （以下简称《…》）
                result["message"] += f" (the text's name for 《{c.title}》)"
            results.append(result)
        return results

    def _check_one(self, c: Citation) -> dict[str, Any]:
        """ok only when what the citation gives (number, title) names one document of the corpus; a work the
        corpus does not hold is unknown, with similar titles as suggestions, never ok."""
        by_number = self._by_number.get(c.doc_number) if c.doc_number else None
        if by_number is not None and by_number.doc is None:
            by_number = None
        by_title = self.match_title(c.title, issuers=c.issuers_prefix) if c.title else None
        result: dict[str, Any] = {"as_written": c.as_written, "status": "unknown", "expected": None,
                                  "message": "", "suggestions": [], "doc_id": None}
        resolved = by_number or by_title
        if resolved is not None and resolved.doc is not None:
            result["doc_id"] = resolved.doc.id  # what the citation was resolved to (expected is its form)
        if by_number is not None:
            assert by_number.doc is not None
            known = by_number.doc.title
            if c.title and work_title_key(known) != work_title_key(c.title):
                result.update(status="mismatch", expected=format_citation(by_number),
                              message=f"{c.doc_number} is 《{to_simplified(known)}》, not 《{c.title}》")
                if by_title is not None and by_title is not by_number:
                    result["message"] += f"; 《{c.title}》 is {by_title.doc_number or 'in the corpus without a number'}"
                    result["expected"] = format_citation(by_title)
                return result
            result.update(status="ok", expected=format_citation(by_number),
                          message="number and title agree" if c.title else "number known")
            return result
        if by_title is not None:
            if c.doc_number and by_title.doc_number and by_title.doc_number != c.doc_number:
                result.update(status="mismatch", expected=format_citation(by_title),
                              message=f"《{c.title}》 is {by_title.doc_number}, not {c.doc_number}")
                return result
            if c.doc_number and not by_title.doc_number:
                result.update(status="mismatch", expected=format_citation(by_title),
                              message=f"《{c.title}》 is in the corpus without a number; {c.doc_number} is not known")
                return result
            result.update(status="ok", expected=format_citation(by_title),
                          message=f"title known; its number is {by_title.doc_number}" if by_title.doc_number
                          and not c.doc_number else "title known")
            return result
        cited = self._cited_elsewhere(c)
        if cited is not None and c.doc_number and cited.doc_number != c.doc_number:
            # not in the corpus, but its documents cite this very title under another number
            result.update(status="mismatch", expected=format_citation(cited),
                          message=f"《{c.title}》 is {cited.doc_number}, not {c.doc_number} (as {len(cited.citations)} "
                          "corpus documents cite it; the document itself is not in the corpus)")
            return result
        what = f"《{c.title}》" if c.title else c.doc_number or c.as_written
        result["message"] = f"{what} is not in the corpus"
        if cited is not None:
            result["message"] += f" (cited by {len({x.doc_id for x in cited.citations})} corpus documents)"
        if c.title:
            result["suggestions"] = [{"title": to_simplified(d.title), "doc_id": d.id, "doc_number": d.doc_number}
                                     for d in self.suggestions(c.title)]
        return result


def _issuer_part(title: str) -> str:
    """The issuer a title names before its 关于 (国务院办公厅关于… → 国务院办公厅), normalised; "" if none."""
    t = norm(title, traditional=True)
    m = ABOUT_RE.search(t)
    return re.sub(r"[\W_]+", "", t[:m.start()]) if m and m.start() > 0 else ""


def issuers_agree(title: str, issuers: str | None, doc: Document) -> bool:
    """Whether the issuer a citation names (in its title, or before it: 国务院《…》) can be the document's: the
    same issuer, or one of its issuers.  An issuer the citation does not name, or that the document does not
    state, cannot disagree."""
    named = [x for x in (_issuer_part(title), re.sub(r"[\W_]+", "", norm(issuers or "", traditional=True))) if x]
    if not named or any("等" in x for x in named):
        return True
    own = {re.sub(r"[\W_]+", "", norm(i, traditional=True)) for i in doc.issuers}
    own.discard("")
    theirs = _issuer_part(doc.title)
    if theirs:
        own.add(theirs)
    if not own:
        return True
    joined = "".join(sorted(own))
    return all(x in joined for x in named)  # one of its issuers, or the start or a part of one


# --- formatting ---------------------------------------------------------------------------------

_ARTICLE_PART_RE = re.compile(r"^第[^/]+[条條](?:之[^/]+)?$")


def clause_reference(path: str) -> str:
    """二/(一)/1 → 第二部分第（一）项第1点; 第三条 stays 第三条; an article is cited without its chapter
    (第六章/第六十三条/(一) → 第六十三条第（一）项: articles are numbered through the whole text)."""
    parts = path.split("/")
    articles = [k for k, p in enumerate(parts) if _ARTICLE_PART_RE.match(p)]
    if articles:
        parts = parts[articles[-1]:]
    out = []
    for part in parts:
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
    title = to_simplified(entity.citable_title or "")
    if style == "gbt7714":
        return format_gbt7714(entity)
    cite = f"《{title}》" if title else ""
    in_article = bool(clause and any(_ARTICLE_PART_RE.match(p) for p in clause.split("/")))
    if entity.doc_number and not (in_article and "令" in entity.doc_number):  # 《条例》第十条, not its 令 number
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



# --- pinpoint citations: an article of a work ------------------------------------------------------

def cited_versions(citation: Citation, candidates: list[Document]) -> list[Document]:
    """The versions of the work a citation names (by title: 《中华人民共和国物权法》, 物权法 and 《物权法》 are
    one work), oldest first; [] when the corpus does not hold it."""
    if not citation.title:
        if citation.doc_number:
            return sorted((d for d in candidates if d.doc_number == citation.doc_number),
                          key=lambda d: version_date(d) or "")
        return []
    key = work_title_key(citation.title)
    hits = [d for d in candidates if not d.attachment_of and work_title_key(d.title) == key]
    if not hits:
        return []
    groups = group_versions(hits)
    # the work whose title is closest (a title shared by two works' versions is one work's)
    best = max(groups.values(), key=lambda ds: max(fuzz.ratio(work_title_key(d.title), key) for d in ds))
    return best


def _citing_date(citing: Document | None) -> str | None:
    if citing is None:
        return None
    return citing.version or version_date(citing) or citing.date


def _article_of(doc: Document, path: str | None) -> Clause | None:
    """The article a clause path stands in (the clause itself, or the article above an item)."""
    if not path:
        return None
    best = None
    for a in articles(doc):
        if path == a.path or path.startswith(a.path + "/"):
            best = a
    return best


def resolve_pinpoint(citation: Citation, candidates: list[Document], at_date: str | None = None,
                     citing: Document | None = None) -> tuple[Document, Clause] | None:
    """The article a pinpoint citation points at: in the cited work's version in force on ``at_date``
    (default: the citing document's date; the latest version without one; the oldest when every version
    is later), in the citing document itself for 本条例第十条 and 第十条 alone, in the citing article for
    前款 and 本条第二款.  None when the work is not in the corpus or has no such article."""
    if citation.scope == "relative":
        if citing is None:
            return None
        art = _article_of(citing, citation.clause)
        if art is not None and citation.article_sub == -1:  # 前条
            arts = articles(citing)
            k = next((i for i, a in enumerate(arts) if a is art), 0)
            art = arts[k - 1] if k > 0 else None
        return (citing, art) if art is not None else None
    number = citation.article_number
    if number is None:
        return None
    if citation.scope == "self" and not citation.title:
        if citing is None:
            return None
        art = find_article(citing, number)
        return (citing, art) if art is not None else None
    versions = cited_versions(citation, candidates)
    if not versions:
        return None
    when = at_date or _citing_date(citing)
    doc = in_force(versions, when) if when else versions[-1]
    doc = doc or versions[0]
    art = find_article(doc, number)
    return (doc, art) if art is not None else None


def paragraphs(article: Clause) -> list[str]:
    """An article's paragraphs (款): its lines that are not items, each with the items that follow it."""
    out: list[str] = []
    for line in full_text(article).split("\n"):
        if not line.strip():
            continue
        if out and re.match(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[)）]", line):
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def pinpoint_text(article: Clause, paragraph: int | None = None, item: int | None = None) -> str | None:
    """The text a pinpoint names: the article, its paragraph, or an item of it (None if it has none)."""
    text = full_text(article)
    if paragraph:
        paras = paragraphs(article)
        if not 1 <= paragraph <= len(paras):
            return None
        text = paras[paragraph - 1]
    if item:
        m = re.search(rf"^\s*[（(]\s*{cn_numeral(item)}\s*[)）].*$", text, re.MULTILINE)
        if m is None:
            return None
        text = m.group(0).strip()
    return text


def article_citation(doc: Document, article: Clause, paragraph: int | None = None, item: int | None = None) -> str:
    """The form to paste: 《不动产登记暂行条例》第八条第二款第（一）项."""
    number = article_number(article)
    label = article_label(number) if number else article.label
    out = f"《{to_simplified(doc.title)}》{label}"
    if paragraph:
        out += f"第{cn_numeral(paragraph)}款"
    if item:
        out += f"第（{cn_numeral(item)}）项"
    return out


def _pair_of(old: Document, new: Document, article: Clause,
             cache: dict[tuple[str, str], Comparison] | None) -> ClausePair | None:
    from ..compare.changes import compare  # only for an article's versions: 50 ms of a `cite` process otherwise

    key = (old.id, new.id)
    comparison = cache.get(key) if cache is not None else None
    if comparison is None:
        comparison = compare(old, new, by_article=True)
        if cache is not None:
            cache[key] = comparison
    for p in comparison.pairs:
        if p.a_clause == article.path and not p.relation:
            return p
    return None


def check_pinpoint(citation: Citation, candidates: list[Document], at_date: str | None = None,
                   citing: Document | None = None,
                   cache: dict[tuple[str, str], Comparison] | None = None) -> dict[str, Any]:
    """Check a pinpoint against the cited work: ``missing`` (no such article, paragraph or item in the
    version cited), ``renumbered`` (the latest version has that text under another number: the current
    one is given), ``amended`` (the latest version changed it), ``deleted``, ``ok``, or ``unknown`` (the
    work is not in the corpus).  The version cited is the one in force on ``at_date`` (default: the
    citing document's date; without one, the latest)."""
    result: dict[str, Any] = {"as_written": citation.as_written, "status": "unknown", "message": "",
                              "expected": None, "version": None, "latest": None, "current": None}
    if citation.scope in ("self", "relative") and not citation.title:
        target = resolve_pinpoint(citation, candidates, at_date, citing)
        if target is None:
            result.update(status="missing", message=f"this document has no {citation.pinpoint}")
        else:
            result.update(status="ok", message="article of this document", current=target[1].label)
        return result
    versions = cited_versions(citation, candidates)
    if not versions or citation.article_number is None:
        if versions:
            result.update(status="ok", message="work known", version=versions[-1].id, latest=versions[-1].id)
        else:
            result["message"] = "the cited work is not in the corpus"
        return result
    latest = versions[-1]
    when = at_date or _citing_date(citing)
    cited = (in_force(versions, when) if when else latest) or versions[0]
    result.update(version=cited.id, latest=latest.id)
    number = citation.article_number
    assert number is not None  # checked above
    art = find_article(cited, number)
    label = article_label(number)
    if art is None:
        have = [n for n in (article_number(a) for a in articles(cited)) if n is not None]
        span = f" (it has {article_label(have[0])} to {article_label(have[-1])})" if have else ""
        result.update(status="missing", message=f"《{cited.title}》 ({version_date(cited)}) has no {label}{span}")
        return result
    if (citation.paragraph or citation.item) and pinpoint_text(art, citation.paragraph, citation.item) is None:
        result.update(status="missing", message=f"{label} of 《{cited.title}》 has no {citation.pinpoint[len(label):]}")
        return result
    if cited is latest:
        result.update(status="ok", message=f"{label} of the latest version ({version_date(latest)})", current=label,
                      expected=article_citation(latest, art, citation.paragraph, citation.item))
        return result
    pair = _pair_of(cited, latest, art, cache)
    if pair is None or pair.b_clause is None:
        result.update(status="deleted", message=f"{label} of the {version_date(cited)} version was deleted in the "
                      f"{version_date(latest)} version")
        return result
    now = latest.clause(pair.b_clause)
    assert now is not None
    current = pair.b_label or now.label
    expected = article_citation(latest, now, citation.paragraph, citation.item)
    result.update(current=current, expected=expected)
    if pair.substantive:
        moved = f", now {current}" if pair.renumbered else ""
        result.update(status="amended", message=f"{label} was amended in the {version_date(latest)} version{moved}")
    elif pair.renumbered:
        result.update(status="renumbered", message=f"{label} of the {version_date(cited)} version is {current} in the "
                      f"{version_date(latest)} version")
    else:
        result.update(status="ok", message=f"{label} unchanged in the latest version ({version_date(latest)})")
    return result


@dataclass
class ArticleLink:
    """A pinpoint citation resolved: which clause of which document cites which article."""

    from_doc: str
    from_clause: str
    as_written: str
    to_doc: str
    to_clause: str
    to_label: str
    scope: str

    def to_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


def article_links(docs: list[Document]) -> list[ArticleLink]:
    """Every pinpoint citation of a corpus that resolves to an article (refs DOC both ways: filter on
    ``from_doc`` for what a document cites, on ``to_doc`` for who cites it)."""
    by_key: dict[str, list[Document]] = {}
    for d in docs:
        if not d.attachment_of:
            by_key.setdefault(work_title_key(d.title), []).append(d)
    out = []
    for d in docs:
        for c, cit in document_citations(d, pinpoints=True):
            if cit.article is None and cit.scope != "relative":
                continue
            cands = by_key.get(work_title_key(cit.title), []) if cit.title else []
            if cit.title and not cands:  # a close title: let cited_versions decide
                cands = [x for x in docs if not x.attachment_of]
            target = resolve_pinpoint(cit, cands, None, d)
            if target is not None:
                out.append(ArticleLink(d.id, c.path, cit.as_written, target[0].id, target[1].path,
                                       target[1].label, cit.scope))
    return out


def cite_article(ref: str, docs: list[Document], at_date: str | None = None) -> dict[str, Any] | None:
    """What `cite "《不动产登记暂行条例》第八条"` shows: the article's text, the form to paste, the version and
    who cites it; None when the reference names no article of a work in the corpus."""
    cits = [c for c in extract(ref, pinpoints=True) if c.article is not None and c.title]
    if not cits:
        return None
    cit = cits[0]
    target = resolve_pinpoint(cit, docs, at_date)
    if target is None:
        return None
    doc, art = target
    versions = cited_versions(cit, docs)
    cited_by = [link.to_dict() for link in article_links(docs)
                if link.to_doc in {v.id for v in versions} and article_number_of(doc, link.to_clause) ==
                article_number(art)]
    return {"doc_id": doc.id, "title": to_simplified(doc.title), "version": version_date(doc), "clause": art.path,
            "article": art.label, "text": pinpoint_text(art, cit.paragraph, cit.item) or full_text(art),
            "citation": article_citation(doc, art, cit.paragraph, cit.item),
            "versions": [{"doc_id": v.id, "version": version_date(v)} for v in versions], "cited_by": cited_by}


def article_number_of(doc: Document, path: str) -> tuple[int, int] | None:
    c = next((a for a in articles(doc) if a.path == path), None)
    return article_number(c) if c is not None else None
