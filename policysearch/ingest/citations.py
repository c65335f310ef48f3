"""Extracting citations from a clause's text: 《title》（number）, 《title》 alone, and bare document numbers.

Extraction runs at ingest (the store keeps every citation row); resolving citations to documents and
formatting them is the cite stage's work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.docnumber import find_doc_numbers
from ..text.lexicon import DOC_KIND_RE, ISSUER_SUFFIX
from ..text.titles import title_key

_TITLE_RE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
_AFTER_RE = re.compile(r"^\s*[（(]\s*(?P<inner>[^（()）]{4,40})\s*[)）]")
_PREFIX_CUT_RE = re.compile(r".*(?:[，。；：,;:（()）“”\"》\n]|按照|根据|依据|落实|贯彻|为|对|在|以|和|与|及|是|的)",
                            re.DOTALL)
_ISSUER_END_RE = re.compile(ISSUER_SUFFIX + "$")
_SEVERAL_ISSUERS_RE = re.compile(r"等[一二三四五六七八九十\d]+个?部(委|门)$")


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


def _issuer_prefix(text: str, start: int) -> str | None:
    before = text[max(0, start - 40):start]
    m = _PREFIX_CUT_RE.match(before)
    cand = before[m.end():] if m else before
    cand = cand.strip()
    if len(cand) >= 2 and (_ISSUER_END_RE.search(cand) or _SEVERAL_ISSUERS_RE.search(cand)):
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
        if not number and not DOC_KIND_RE.search(title):
            continue  # a book, newspaper or slogan in 《》, not a document
        out.append(Citation(doc_id, clause, text[start:end], title, number, prefix_text, start))
        taken.append((m.start(), end))
    for s, e, number in find_doc_numbers(text):
        if any(a <= s < b for a, b in taken):
            continue
        out.append(Citation(doc_id, clause, text[s:e], None, number, None, s))
    out.sort(key=lambda c: c.start)
    return out
