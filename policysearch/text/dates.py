"""Dates as notices write them: 2019年1月16日, 2016-5-20, 2012.01.09, and in Chinese numerals 二○一二年一月九日."""

from __future__ import annotations

import re
import unicodedata

from .markers import cn_number

_CN_DIGITS = "〇一二三四五六七八九"
# zero is written 〇 (U+3007), ○ (U+25CB, a circle), 零, or a full-width Ｏ/O
_CN_YEAR = r"[〇○◯零ＯO一二三四五六七八九]{4}"
_CN_MD = r"[一二三四五六七八九十]{1,3}"
DATE_RE = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|{_CN_YEAR})\s*年\s*(?P<m>\d{{1,2}}|{_CN_MD})\s*月\s*(?P<d>\d{{1,2}}|{_CN_MD})\s*日"
)
_ISO_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")
# a line that is a date and nothing else (a signature date, a date under a title)
DATE_LINE_RE = re.compile(rf"^[\s\u3000]*{DATE_RE.pattern}[\s\u3000]*$")


def _year(y: str) -> int:
    if y.isdigit():
        return int(y)
    return int("".join(str(_CN_DIGITS.index(c)) if c in _CN_DIGITS else "0" for c in y))


def _iso(y: int, mo: int | None, d: int | None) -> str | None:
    if mo and d and 1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """Every date in text as (start, end, ISO date), in order."""
    t = unicodedata.normalize("NFKC", text) if len(unicodedata.normalize("NFKC", text)) == len(text) else text
    out = []
    for m in DATE_RE.finditer(t):
        iso = _iso(_year(m.group("y")), cn_number(m.group("m")), cn_number(m.group("d")))
        if iso:
            out.append((m.start(), m.end(), iso))
    for m in _ISO_RE.finditer(t):
        if any(s <= m.start() < e for s, e, _ in out):
            continue
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((m.start(), m.end(), iso))
    return sorted(out)


def iso_date(text: str) -> str | None:
    """The first date in text, as an ISO date."""
    found = find_dates(text)
    return found[0][2] if found else None


def is_date_line(line: str) -> bool:
    return bool(DATE_LINE_RE.match(unicodedata.normalize("NFKC", line))) and iso_date(line) is not None
