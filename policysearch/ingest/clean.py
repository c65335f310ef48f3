"""Repairing the artefacts of PDF and web extraction, keeping the wording and script as written.

The result is the display text: one paragraph per line, characters exactly as in the source except
for layout (hard wraps, page-break fragments, page numbers and running headers, spaced-out names,
attachment placeholders, Markdown syntax, site navigation) which is repaired or dropped, and control
characters and terminal escape sequences, which never reach the stored or displayed text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..text.docnumber import DOC_NUMBER_RE
from ..text.lexicon import TITLE_END_RE
from ..text.markers import MARKER_RE

_ZERO_WIDTH = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                             "\u00a0": " ", "\r": None,
                             # en, em, thin … spaces (a page's indents and signature gaps): plain spaces
                             **{chr(c): " " for c in (*range(0x2000, 0x200B), 0x202F, 0x205F)}})
_PLACEHOLDER_RE = re.compile(r"★★[^☆\n]*?☆☆")
_BREADCRUMB_RE = re.compile(r"^\s*(首\s*[页頁]|当前位置|當前位置|您的位置|位置)[^\n]{0,60}[>›»][^\n]*$")
_EMPTY_FIELDS_RE = re.compile(r"^\s*((来源|來源|类型|類型|作者|字号|字號|打印|关闭|關閉)\s*[:：]\s*)+$")
_FOOTER_RE = re.compile(r"English\s*Fran|无障碍|無障礙|扫一扫|掃一掃|分享到|【打印本页】|【關閉窗口】|【关闭窗口】")
_PAGE_TOOLS_RE = re.compile(r"^【\s*(?:字号|字號|打印|仅内容打印|僅內容打印|关闭|關閉|下载|下載)\s*[】:：]")
_SOURCE_NOTE_RE = re.compile(r"^\s*[（(](稿件|文章)?(来源|來源)[:：][^)）]*[)）]\s*$")
_SPACED_RE = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:[ \u3000][\u4e00-\u9fff])+(?![\u4e00-\u9fff])")
_TERMINAL = "。！？；：!?;:…”」』"
_OPENING_CONT = "。，、；：）」』”！？,.;:)]"
_ATTACH_START_RE = re.compile(r"^附\s*件\s*(\d+|[:：]|$)")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPH_RE = re.compile(r"(\*\*|__)(.+?)\1")

# --- control characters -------------------------------------------------------------------------------
# Whole escape sequences first (so their parameters go too), then every C0 control but tab and newline,
# DEL and every C1 control.  CR, VT, FF, NEL and the Unicode line/paragraph separators are line breaks.
_ESCAPE_SEQ_RE = re.compile(
    r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI: ESC [ parameters intermediates final
    r"|\x9b[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # 8-bit CSI
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]{0,4096}?(?:\x07|\x1b\\|\x9c)"  # OSC/DCS/… to BEL or ST
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[\x20-\x7e]*"  # the same left unterminated: its ASCII payload
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # any other escape: ESC intermediates final
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n",
                              "\u2029": "\n"})
FORBIDDEN_RE = _CONTROL_RE  # what no stored or displayed text may contain


def strip_controls(text: str) -> str:
    """``text`` without control characters or terminal escape sequences (tab and newline kept; CR, VT, FF
    and NEL become newlines).  Idempotent; the result never matches :data:`FORBIDDEN_RE`."""
    if not _CONTROL_RE.search(text) and "\u2028" not in text and "\u2029" not in text:
        return text
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS)
    text = _ESCAPE_SEQ_RE.sub("", text)
    return _CONTROL_RE.sub("", text)


# --- page furniture ---------------------------------------------------------------------------------------
_DASH = "-－—–―‒─"
PAGE_NUMBER_RE = re.compile(
    rf"^[\s\u3000]*(?:[{_DASH}]{{1,2}}[\s\u3000]*\d{{1,4}}[\s\u3000]*[{_DASH}]{{1,2}}"  # — 3 —  - 3 -
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"  # 第3页 共5页
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r")[\s\u3000]*$", re.I)
# only where the layout shows it is outside the text block (a PDF page's first or last line): a bare number, and
# — 3 — as OCR reads it (a dash read as 一: "一2一", "-1一")
_BARE_PAGE_NUMBER_RE = re.compile(rf"^[\s\u3000]*(?:\d{{1,4}}|\d{{1,4}}\s*/\s*\d{{1,4}}"
                                  rf"|[{_DASH}一]{{1,2}}[\s\u3000]*\d{{1,4}}[\s\u3000]*[{_DASH}一]{{1,2}})[\s\u3000]*$")


def is_page_number(line: str, positional: bool = False) -> bool:
    """A page number as printed (— 3 —, - 3 -, 第3页 共5页, Page 3 of 5; with ``positional``, where the
    line is known to stand above or below a page's text, also a bare 3 or 3/5)."""
    return bool(PAGE_NUMBER_RE.match(line) or (positional and _BARE_PAGE_NUMBER_RE.match(line)))


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"[\s\u3000]+", "", line))


def _may_be_furniture(line: str) -> bool:
    t = line.strip()
    return 0 < len(t) <= 50 and not MARKER_RE.match(t) and not _ATTACH_START_RE.match(t)


def page_furniture(pages: list[list[str]], positional: bool = True, zone: int = 2,
                   heights: list[list[float]] | None = None) -> set[tuple[int, int]]:
    """The (page, line) positions to KEEP of pages of lines given top to bottom.  Left out: page numbers,
    and running headers or footers: a short line in the first or last ``zone`` lines of a page that is
    the same but for its digits on at least half the pages (two at least) and, where ``heights`` gives
    each line's height on its page, at the same height on each of them."""
    drop: set[tuple[int, int]] = set()
    zones: list[list[int]] = []
    for n, lines in enumerate(pages):
        idx = [k for k, ln in enumerate(lines) if ln.strip()]
        for k in idx[:zone] + idx[-zone:]:
            if is_page_number(lines[k], positional):
                drop.add((n, k))
        rest = [k for k in idx if (n, k) not in drop]
        zones.append(sorted(set(rest[:zone] + rest[-zone:])))
    if len(pages) >= 2:
        seen: dict[tuple[str, int], dict[int, int]] = {}
        for n, ks in enumerate(zones):
            for k in ks:
                if _may_be_furniture(pages[n][k]):
                    where = round(heights[n][k] / 3) if heights is not None else 0
                    seen.setdefault((_furniture_key(pages[n][k]), where), {})[n] = k
        for on in seen.values():
            if len(on) >= max(2, 0.5 * len(pages)):
                drop.update(on.items())
    return {(n, k) for n, lines in enumerate(pages) for k in range(len(lines))} - drop


def drop_page_furniture(lines: list[str]) -> list[str]:
    """Page numbers and the running headers and footers beside them in text extracted from a PDF by some
    other tool (pages not marked): a page-number line goes, and so does a short line repeated (but for
    its digits) whose every occurrence stands within two lines of a page number; an occurrence as the
    very first line is kept (it may be the title the header repeats)."""
    nonblank = [k for k, ln in enumerate(lines) if ln.strip()]
    numbers = {k for k in nonblank if is_page_number(lines[k])}
    if not numbers:
        return lines
    pos = {k: i for i, k in enumerate(nonblank)}
    near = {nonblank[j] for k in numbers for j in range(max(0, pos[k] - 2), min(len(nonblank), pos[k] + 3))}
    groups: dict[str, list[int]] = {}
    for k in nonblank:
        if k not in numbers and _may_be_furniture(lines[k]):
            groups.setdefault(_furniture_key(lines[k]), []).append(k)
    drop = set(numbers)
    for ks in groups.values():
        by_number = [k for k in ks if k in near]
        if len(by_number) >= 2 and all(k in near or k == nonblank[0] for k in ks):
            drop.update(by_number)
    return [ln for k, ln in enumerate(lines) if k not in drop]


def _squeeze_spaced(line: str) -> str:
    """人　民　银　行 → 人民银行 (a name spaced out to fill a signature line)."""
    return _SPACED_RE.sub(lambda m: re.sub(r"[ \u3000]", "", m.group()), line)


def _is_footer(line: str) -> bool:
    """A site footer's line (language menu, accessibility link, share buttons): not a sentence, a numbered
    heading or a title (a regulation on 无障碍环境 names it in its title, headings and articles)."""
    t = line.strip()
    if re.search(r"English\s*Fran", t) or _PAGE_TOOLS_RE.match(t):
        return True  # a language menu, the page's tools (【字号：大 中 小】【打印】【关闭】) are never article text
    return bool(_FOOTER_RE.search(t)) and not re.search(r"[，。；：,;:]", t) and not MARKER_RE.match(t) \
        and not TITLE_END_RE.search(t)


def _strip_chrome(lines: list[str]) -> list[str]:
    while lines and (_BREADCRUMB_RE.match(lines[0]) or _EMPTY_FIELDS_RE.match(lines[0])
                     or not lines[0].strip()):
        lines = lines[1:]
    lines = [ln for ln in lines if not _EMPTY_FIELDS_RE.match(ln) and not _SOURCE_NOTE_RE.match(ln)]
    # Site footer: from the first language menu / accessibility link after which no attachment follows
    # (in the second half of the page: the first lines are the article's title and header).
    for i in range(max(1, len(lines) // 2, len(lines) - 60), len(lines)):
        if _is_footer(lines[i]) and not any(_ATTACH_START_RE.match(ln.strip()) for ln in lines[i + 1:]):
            return lines[:i]
    return lines


def _is_heading_like(line: str) -> bool:
    return bool(MARKER_RE.match(line)) and len(line) < 30 and not re.search(r"[，。；,;]", line)


# The header lines crawlers and export tools put above a notice (**发布日期**: …, 检索关键词: …), their Markdown
# emphasis already gone: read as fields in the header, never as body text.
_CRAWL_LABELS = ("发布日期", "发布机构", "发布单位", "发文机关", "发文字号", "文件编号", "文号", "成文日期", "实施日期",
                 "原文链接", "来源链接", "检索关键词", "关键词", "检索时间", "抓取时间", "来源", "索引号", "主题分类",
                 "时效性", "效力级别", "法宝引证码")
LABEL_FIELD_RE = re.compile(r"^[\s\u3000]*(?:[-*]\s+)?(?P<key>" + "|".join(_CRAWL_LABELS)
                             + r")[\s\u3000]*[:：][\s\u3000]*(?P<value>\S.*)$")


def _should_join(prev: str, nxt: str, width: int | None, paragraphs: bool = False) -> bool:
    if not prev or not nxt:
        return False
    if nxt[0] in _OPENING_CONT:
        return True
    if re.fullmatch(r"[\[\]\d\s]{1,4}", nxt) or re.fullmatch(r"[\[\]\d\s]{1,4}", prev):
        return True  # footnote markers split over lines: [ 1 ]
    starts_new = bool(MARKER_RE.match(nxt) or _ATTACH_START_RE.match(nxt) or DOC_NUMBER_RE.match(nxt)
                      or nxt.startswith(("【", "#")) or LABEL_FIELD_RE.match(nxt) or LABEL_FIELD_RE.match(prev))
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
    # lines that are a format's own paragraphs (a page's <p>, a Word paragraph) are not wrapped lines: an
    # attachment line, the issuer under it and the date are three
    return not paragraphs and len(prev) >= 20 and not prev.endswith(("）", ")"))


def _wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width of PDF-extracted text, or None if lines are paragraphs."""
    lengths = [len(ln) for ln in lines if len(ln) >= 10]
    if len(lengths) < 8:
        return None
    mode, _ = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if abs(n - mode) <= 3)
    return mode if mode >= 20 and near >= 0.4 * len(lengths) else None


PARAGRAPH_FORMATS = ("html", "docx", "doc", "wps")  # formats whose lines are paragraphs of their own


def reflow(lines: list[str], paragraphs: bool = False) -> list[str]:
    """Rebuild paragraphs from hard-wrapped lines (``paragraphs``: lines the format gave as paragraphs, joined
    only where they are evidently wrapped: a common line width, a line opening with closing punctuation)."""
    stripped = [ln.strip(" \t\u3000") for ln in lines]
    stripped = [ln for ln in stripped if ln]
    width = _wrap_width(stripped)
    out: list[str] = []
    for ln in stripped:
        if out and _should_join(out[-1], ln, width, paragraphs):
            out[-1] += joiner(out[-1], ln) + ln
        else:
            out.append(ln)
    return out


def joiner(prev: str, nxt: str) -> str:
    """What goes between two parts of a hard-wrapped line: nothing in Chinese (and no hyphen is added),
    nothing inside a number broken over two lines, a space between two Latin words (Latin text is broken
    at its spaces)."""
    a, b = prev[-1:], nxt[:1]
    latin = a.isascii() and a.isalnum() and b.isascii() and b.isalnum()
    return " " if latin and (a.isalpha() or b.isalpha()) else ""


def clean(text: str, fmt: str = "txt") -> str:
    """The display text of a raw extracted text: one paragraph per line.  A PDF read by
    :mod:`.readers.pdf` comes with its paragraphs already rebuilt from the layout and its page furniture
    dropped; other text gets both from the text alone."""
    text = strip_controls(text).translate(_ZERO_WIDTH)
    text = _PLACEHOLDER_RE.sub("", text)
    lines = text.split("\n")
    if fmt == "md":
        lines = [_MD_EMPH_RE.sub(r"\2", _MD_HEADING_RE.sub("", ln)).rstrip() for ln in lines]
    lines = _strip_chrome(lines)
    if fmt != "pdf":
        lines = drop_page_furniture(lines)
    # Paragraphs run together on one line, separated by two full-width spaces (the indent).
    split: list[str] = []
    for ln in lines:
        split.extend(re.split(r"(?<=\S)[ \t]*\u3000{2,}[ \t]*(?=\S)", ln))
    lines = [_squeeze_spaced(ln) for ln in split]
    if fmt == "pdf":  # paragraphs come from the layout
        return "\n".join(bounded(s for s in (ln.strip(" \t\u3000") for ln in lines) if s))
    return "\n".join(bounded(reflow(lines, fmt in PARAGRAPH_FORMATS)))


LONG_LINE = 2_000  # characters: no paragraph of a notice is this long; a file with no structure is
PARAGRAPH = 1_000  # what such a line is cut into, at sentence ends


def bounded(lines: Iterable[str]) -> list[str]:
    """Lines as they are, but a line longer than LONG_LINE (a file with no line breaks, a dump) cut into
    paragraphs of at most about PARAGRAPH characters at sentence ends, a sentence that opens with a marker
    (第五条, 三、) starting a paragraph of its own, so that no clause is the whole file."""
    out: list[str] = []
    for ln in lines:
        if len(ln) <= LONG_LINE:
            out.append(ln)
            continue
        chunk = ""
        for sentence in re.split(r"(?<=[。！？!?；;])", ln):
            while len(sentence) > PARAGRAPH:  # a sentence without an end: cut where it must be
                if chunk:
                    out.append(chunk)
                    chunk = ""
                out.append(sentence[:PARAGRAPH])
                sentence = sentence[PARAGRAPH:]
            if chunk and (len(chunk) + len(sentence) > PARAGRAPH or MARKER_RE.match(sentence)):  # 第X条 … starts one
                out.append(chunk)
                chunk = ""
            chunk += sentence
        if chunk:
            out.append(chunk)
    return out
