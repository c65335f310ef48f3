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


# an order (令): 中华人民共和国国务院令第656号, 国家医药管理局令第12号, 海关总署、公安部令第7号
ORDER_RE = re.compile(r"(?P<issuer>[\u4e00-\u9fff、]{2,80}?)\s*令\s*[(（〔]?\s*第\s*(?P<num>\d{1,5})\s*号")
# a local government's rule is often numbered the other way round: 北京市人民政府第307号令
ORDER_AFTER_RE = re.compile(r"(?P<issuer>[\u4e00-\u9fff、]{2,80}?)\s*第\s*(?P<num>\d{1,5})\s*号令")
# a reference to an order as users write it: 国务院令第656号, 国务院令656号, 北京市人民政府第307号令
_ORDER_REF_RE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff、]{2,80})令\s*第?\s*(?P<num>\d{1,5})\s*号$"
                           r"|^(?P<issuer2>[\u4e00-\u9fff、]{2,80}?)第\s*(?P<num2>\d{1,5})\s*号令$")
_ORDER_STOP_RE = re.compile(r".*(?:根据|依据|按照|经|以|由|的|及|与|或|即|为|是|见|和(?!国))")
_ORDER_PREFIX_RE = re.compile(r"^中华人民共和国|^中華人民共和國")


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
    order = order_key(t)
    if order:
        return order[0] + "令", None, order[1]
    full = DOC_NUMBER_RE.fullmatch(t)
    if full:
        return clean_code(full.group("code")), int(full.group("year")), int(full.group("num"))
    bare = BARE_NUMBER_RE.match(t)
    if bare:
        year = bare.group("year")
        return None, int(year) if year else None, int(bare.group("num"))
    return None


def reference_matches(ref: tuple[str | None, int | None, int], doc_number: str) -> bool:
    code, year, num = ref
    own_order = order_key(doc_number)
    if own_order is not None:
        return own_order[1] == num and year is None and (code is None or code == own_order[0] + "令")
    m = DOC_NUMBER_RE.fullmatch(doc_number)
    if not m:
        return False
    return (int(m.group("num")) == num and (year is None or int(m.group("year")) == year)
            and (code is None or clean_code(m.group("code")) == code))


def order_issuer(issuer: str) -> str:
    """The issuer of an order as written, without words that precede it in a sentence (根据国务院令 → 国务院)."""
    m = _ORDER_STOP_RE.match(issuer)
    if m and m.end() < len(issuer):
        issuer = issuer[m.end():]
    return issuer.strip("、")


def parse_order(text: str) -> str | None:
    """The first order number in text as written: 中华人民共和国国务院令第656号."""
    folded = re.sub(r"\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", " ", _fold(text))  # 23日北京市… is no issuer
    m = ORDER_RE.search(folded)
    after = ORDER_AFTER_RE.search(folded)
    if after is not None and (m is None or after.start() < m.start()):
        issuer = order_issuer(to_simplified(after.group("issuer")))
        return f"{issuer}第{int(after.group('num'))}号令" if issuer else None  # as written: 北京市人民政府第307号令
    if not m:
        return None
    issuer = order_issuer(to_simplified(m.group("issuer")))
    return f"{issuer}令第{int(m.group('num'))}号" if issuer else None


def order_key(number: str) -> tuple[str, int] | None:
    """(issuer without 中华人民共和国, number) of an order number, or None if it is not one."""
    m = _ORDER_REF_RE.match(re.sub(r"\s+", "", _fold(number)))
    if not m:
        return None
    issuer = _ORDER_PREFIX_RE.sub("", to_simplified(order_issuer(m.group("issuer") or m.group("issuer2"))))
    return issuer, int(m.group("num") or m.group("num2"))


def order_matches(reference: str, doc_number: str) -> bool:
    """国务院令第656号 names 中华人民共和国国务院令第656号 (and the full form names itself)."""
    ref, own = order_key(reference), order_key(doc_number)
    return ref is not None and own is not None and ref == own
