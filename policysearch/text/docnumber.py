"""Document numbers (发文字号) in any bracket, script or width, to the GB/T 9704 form 发改高技〔2013〕1772号."""

from __future__ import annotations

import re
import unicodedata

from .normalise import to_simplified

_OPEN = r"[〔\[［【(（〖]"
_CLOSE = r"[〕\]］】)）〗]"
# issuer code (CJK, 1–10 chars) + bracketed year + number + 号
DOC_NUMBER_RE = re.compile(
    rf"(?P<code>[\u4e00-\u9fff]{{1,12}})\s*{_OPEN}\s*(?P<year>(?:19|20)\d{{2}})\s*{_CLOSE}\s*第?\s*"
    rf"(?P<num>\d{{1,5}})\s*[号號]"
)
# a number without its code: 894号, [2013]894号
BARE_NUMBER_RE = re.compile(
    rf"^(?:{_OPEN}\s*(?P<year>(?:19|20)\d{{2}})\s*{_CLOSE})?\s*第?\s*(?P<num>\d{{1,5}})\s*[号號]$"
)
# words that cannot be part of an issuer code; a code is cut after the last of them
_CODE_STOP_RE = re.compile(
    r".*(?:的|和|与|及|按照|根据|依据|印发|文件|通知|意见|决定|办法|规定|转发|参照|见|号|以及|或)"
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def clean_code(code: str) -> str:
    code = to_simplified(code)
    m = _CODE_STOP_RE.match(code)
    if m:
        code = code[m.end():]
    return code[-10:]


def format_number(code: str, year: str | int, num: str | int) -> str:
    return f"{clean_code(code)}〔{int(year)}〕{int(num)}号"


def parse_doc_number(text: str) -> str | None:
    """The GB/T 9704 form of the (first) document number in text, or None."""
    m = DOC_NUMBER_RE.search(_fold(text))
    if not m:
        return None
    return format_number(m.group("code"), m.group("year"), m.group("num"))


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every document number in text: (start, end, GB/T 9704 form), offsets into text."""
    folded = _fold(text)
    if len(folded) != len(text):  # NFKC changed lengths: fall back to per-character folding
        folded = "".join(_fold(ch) if len(_fold(ch)) == 1 else ch for ch in text)
    out = []
    for m in DOC_NUMBER_RE.finditer(folded):
        code = clean_code(m.group("code"))
        start = m.end("code") - len(code) if code else m.start()
        out.append((start, m.end(), format_number(code, m.group("year"), m.group("num"))))
    return out


def parse_reference(text: str) -> tuple[str | None, int | None, int] | None:
    """A user's number reference: (code or None, year or None, number), or None if not a number."""
    t = re.sub(r"\s+", "", _fold(text))
    full = DOC_NUMBER_RE.fullmatch(t)
    if full:
        return clean_code(full.group("code")), int(full.group("year")), int(full.group("num"))
    bare = BARE_NUMBER_RE.match(t)
    if bare:
        year = bare.group("year")
        return None, int(year) if year else None, int(bare.group("num"))
    return None


def reference_matches(ref: tuple[str | None, int | None, int], doc_number: str) -> bool:
    m = DOC_NUMBER_RE.fullmatch(doc_number)
    if not m:
        return False
    code, year, num = ref
    return (int(m.group("num")) == num and (year is None or int(m.group("year")) == year)
            and (code is None or clean_code(m.group("code")) == code))
