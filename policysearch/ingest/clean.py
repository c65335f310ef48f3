"""Repairing the artefacts of PDF and web extraction, keeping the wording and script as written.

The result is the display text: one paragraph per line, characters exactly as in the source except
for layout (hard wraps, page-break fragments, spaced-out names, attachment placeholders, Markdown
syntax, site navigation) which is repaired or dropped.
"""

from __future__ import annotations

import re
from collections import Counter

from ..text.docnumber import DOC_NUMBER_RE
from ..text.lexicon import TITLE_END_RE
from ..text.markers import MARKER_RE

_ZERO_WIDTH = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                             "\u00a0": " ", "\r": None})
_PLACEHOLDER_RE = re.compile(r"★★[^☆\n]*?☆☆")
_BREADCRUMB_RE = re.compile(r"^\s*(首\s*[页頁]|当前位置|當前位置|您的位置|位置)[^\n]{0,60}[>›»][^\n]*$")
_EMPTY_FIELDS_RE = re.compile(r"^\s*((来源|來源|类型|類型|作者|字号|字號|打印|关闭|關閉)\s*[:：]\s*)+$")
_FOOTER_RE = re.compile(r"English\s*Fran|无障碍|無障礙|扫一扫|掃一掃|分享到|【打印本页】|【關閉窗口】|【关闭窗口】")
_SOURCE_NOTE_RE = re.compile(r"^\s*[（(](稿件|文章)?(来源|來源)[:：][^)）]*[)）]\s*$")
_SPACED_RE = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff])+(?![\u4e00-\u9fff])")
_TERMINAL = "。！？；：!?;:…”」』"
_OPENING_CONT = "。，、；：）」』”！？,.;:)]"
_ATTACH_START_RE = re.compile(r"^附\s*件\s*(\d+|[:：]|$)")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPH_RE = re.compile(r"(\*\*|__)(.+?)\1")


def _squeeze_spaced(line: str) -> str:
    """人　民　银　行 → 人民银行 (a name spaced out to fill a signature line)."""
    return _SPACED_RE.sub(lambda m: re.sub(r"[ \u3000]", "", m.group()), line)


def _strip_chrome(lines: list[str]) -> list[str]:
    while lines and (_BREADCRUMB_RE.match(lines[0]) or _EMPTY_FIELDS_RE.match(lines[0])
                     or not lines[0].strip()):
        lines = lines[1:]
    lines = [ln for ln in lines if not _EMPTY_FIELDS_RE.match(ln) and not _SOURCE_NOTE_RE.match(ln)]
    # Site footer: from the first language menu / accessibility link after which no attachment follows.
    for i in range(max(0, len(lines) - 60), len(lines)):
        if _FOOTER_RE.search(lines[i]) and not re.search(r"[，。；]", lines[i]) and not MARKER_RE.match(lines[i]) \
                and not any(_ATTACH_START_RE.match(ln.strip()) for ln in lines[i + 1:]):
            return lines[:i]
    return lines


def _is_heading_like(line: str) -> bool:
    return bool(MARKER_RE.match(line)) and len(line) < 30 and not re.search(r"[，。；,;]", line)


def _should_join(prev: str, nxt: str, width: int | None) -> bool:
    if not prev or not nxt:
        return False
    if nxt[0] in _OPENING_CONT:
        return True
    if re.fullmatch(r"[\[\]\d\s]{1,4}", nxt) or re.fullmatch(r"[\[\]\d\s]{1,4}", prev):
        return True  # footnote markers split over lines: [ 1 ]
    starts_new = bool(MARKER_RE.match(nxt) or _ATTACH_START_RE.match(nxt) or DOC_NUMBER_RE.match(nxt)
                      or nxt.startswith(("【", "#")))
    if starts_new:
        return False
    if width is not None and len(prev) >= width * 0.85:
        return True
    if _is_heading_like(prev) or (width is None and TITLE_END_RE.search(prev)):
        return False
    if prev[-1] in _TERMINAL:
        return False
    if width is not None:
        return len(prev) >= width * 0.85 or (len(nxt) <= 4 and nxt[-1] in _TERMINAL)
    return len(prev) >= 20 and not prev.endswith(("）", ")"))


def _wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width of PDF-extracted text, or None if lines are paragraphs."""
    lengths = [len(ln) for ln in lines if len(ln) >= 10]
    if len(lengths) < 8:
        return None
    mode, _ = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if abs(n - mode) <= 3)
    return mode if mode >= 20 and near >= 0.4 * len(lengths) else None


def reflow(lines: list[str]) -> list[str]:
    """Rebuild paragraphs from hard-wrapped lines."""
    stripped = [ln.strip(" \t\u3000") for ln in lines]
    stripped = [ln for ln in stripped if ln]
    width = _wrap_width(stripped)
    out: list[str] = []
    for ln in stripped:
        if out and _should_join(out[-1], ln, width):
            out[-1] += ln
        else:
            out.append(ln)
    return out


def clean(text: str, fmt: str = "txt") -> str:
    """The display text of a raw extracted text: one paragraph per line."""
    text = text.translate(_ZERO_WIDTH)
    text = _PLACEHOLDER_RE.sub("", text)
    lines = text.split("\n")
    if fmt == "md":
        lines = [_MD_EMPH_RE.sub(r"\2", _MD_HEADING_RE.sub("", ln)).rstrip() for ln in lines]
    lines = _strip_chrome(lines)
    # Paragraphs run together on one line, separated by two full-width spaces (the indent).
    split: list[str] = []
    for ln in lines:
        split.extend(re.split(r"(?<=\S)[ \t]*\u3000{2,}[ \t]*(?=\S)", ln))
    lines = [_squeeze_spaced(ln) for ln in split]
    return "\n".join(reflow(lines))
