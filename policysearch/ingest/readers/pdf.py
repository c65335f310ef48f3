"""PDF with a text layer (pypdfium2): lines rebuilt from character positions, page furniture dropped,
paragraphs rebuilt from the layout.

What the layout tells, and the text alone does not:

* a paragraph's first line is indented (two characters in GB/T 9704) and a paragraph's last line stops
  short of the right margin, so a line that starts at the left margin after a full line continues the
  paragraph (Chinese lines join without a space, Latin words with one);
* page numbers (— 3 —, - 3 -, 第3页 共5页, a bare number) and running headers or footers sit above or below
  the text block of a page; the latter repeat on most pages (see :func:`..clean.page_furniture`);
* the 发文机关标志 (the red header, XX文件) is the large first line(s) of the first page above the 发文字号:
  it is kept as a separate first line (the names of a joint header on one line, 文件 at the end) so the
  metadata stage can read the issuer, never joined to the body;
* a title set over several centred lines in a larger size is one line.

Pages without a usable text layer — a scan (no text, an image over the page), a font that maps its glyphs to
ASCII (garbage), a text layer without a Unicode map — are read by OCR (:mod:`.ocr`), at most
``Limits.ocr_pages`` of them a file; a file whose pages carry neither text nor images is refused.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ...config import ENV_MAX_OCR_PAGES, Limits
from ...errors import SourceError
from ...text.docnumber import DOC_NUMBER_RE
from ...text.markers import MARKER_RE
from ..clean import joiner, page_furniture
from . import SourceText, reader

_TERMINAL = "。！？!?；;：:"


@dataclass
class Line:
    """One visual line of a page: its text, left and right edge, baseline and font size (points)."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    page: int
    red: bool = False  # drawn in red (the 发文机关标志 of GB/T 9704)


@reader(".pdf")
def read_pdf(path: Path, rel: str, limits: Limits) -> list[SourceText]:
    pages, ocr = pdf_lines(path, limits)
    text = layout_text(pages)
    if not text.strip():
        lines = {ln.text for page in pages for ln in page}
        if lines:  # text there is, but only what every page repeats (a site's stamp over blank pages)
            sample = min(lines, key=len)[:40]
            raise SourceError(f"no body text: its pages carry only the line repeated on each («{sample}»)")
        if ocr:
            raise SourceError(f"no text layer (scanned image), and OCR found no text on its {len(ocr)} "
                              f"page{'s' if len(ocr) > 1 else ''}")
        raise SourceError("no text layer and no page images (blank pages)")
    fields = {"OCR": f"page{'s' if len(ocr) > 1 else ''} {_pages(ocr)} read by OCR"} if ocr else {}
    return [SourceText(rel, text, "pdf", "pdf", fields)]


def _pages(numbers: list[int]) -> str:
    """0-based page numbers as a reader counts them: 1–3, 5."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0] + 1}–{r[-1] + 1}" if len(r) > 1 else str(r[0] + 1) for r in runs)


def pdf_lines(path: Path, limits: Limits | None = None) -> tuple[list[list[Line]], list[int]]:
    """The visual lines of each page, top to bottom, and the pages (0-based) read by OCR."""
    import pypdfium2 as pdfium

    limits = limits or Limits.from_env()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        reason = _reason(e)
        if "password" in reason:
            raise SourceError("encrypted (a password is needed to read it)") from e
        raise SourceError(f"not a readable PDF file ({reason})") from e
    try:
        pages: list[list[Line]] = []
        scanned: list[int] = []
        for n in range(len(pdf)):
            page = pdf[n]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_page_lines(textpage, n))
                finally:
                    textpage.close()
                if sum(len(ln.text.strip()) for ln in pages[-1]) < 20 and _image_share(page) >= 0.3:
                    scanned.append(n)  # a scan (a site's stamp over it at most)
            finally:
                page.close()
        need = _unreadable(pages, scanned)
        if need:
            _ocr(pdf, pages, need, limits)
        if pages and pages[0] and 0 not in need:
            pages[0] = _drawn_mark(pdf, pages[0]) + pages[0]
    except pdfium.PdfiumError as e:
        raise SourceError(f"not a readable PDF file ({_reason(e)})") from e
    finally:
        pdf.close()
    return pages, need


def _drawn_mark(pdf, first: list[Line]) -> list[Line]:  # noqa: ANN001 - PdfDocument
    """A 发文机关标志 drawn as shapes (red letters that are no text) above the first text of the first page: read
    by OCR; [] when the page has a text mark, no room above its text, no red there, or no OCR here."""
    from .ocr import has_red, ocr_page

    if any(ln.red for ln in first[:3]):
        return []
    page = pdf[0]
    try:
        height = page.get_size()[1]
        top = max(ln.y + ln.size for ln in first)
        if height - top < 0.15 * height or not has_red(page, top):
            return []
        try:
            lines, _, _ = ocr_page(page, 0, above=top)
        except SourceError:
            return []  # no OCR here: the notice reads without its mark, as before
    finally:
        page.close()
    return lines


def _image_share(page) -> float:  # noqa: ANN001 - pypdfium2 PdfPage
    """The share of the page that its largest image covers."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    best = 0.0
    for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        best = max(best, max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0)))
    return best / max(width * height, 1.0)


def _unreadable(pages: list[list[Line]], scanned: list[int]) -> list[int]:
    """The pages to read by OCR: scans, and pages whose text layer is garbage or has no Unicode map."""
    chars = [ch for page in pages for ln in page for ch in ln.text if not ch.isspace()]
    bad = sum(1 for ch in chars if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd" or ord(ch) < 32)
    if chars and bad > 0.3 * len(chars):  # fonts without a Unicode map: every page with text
        return sorted({n for n, page in enumerate(pages) if page} | set(scanned))
    return sorted(set(garbage_pages(pages)) | set(scanned))


def _ocr(pdf, pages: list[list[Line]], need: list[int], limits: Limits) -> None:  # noqa: ANN001 - PdfDocument
    """Read the pages ``need`` by OCR in place; SourceError if there are too many or one cannot be read."""
    from .ocr import PAGE_SCORE, ocr_page

    why = _why(pages, need)
    if len(need) > limits.ocr_pages:
        raise SourceError(f"too large for OCR: {len(need):,} pages {why}, over the limit for OCR "
                          f"({limits.ocr_pages:g} pages) by {len(need) - limits.ocr_pages:,.0f}; raise it with "
                          f"--max-ocr-pages or {ENV_MAX_OCR_PAGES}")
    for n in need:
        page = pdf[n]
        try:
            try:
                lines, confidence, chars = ocr_page(page, n)
            except SourceError as e:
                raise SourceError(f"{why[0].upper()}{why[1:]}: {e}") from None
        finally:
            page.close()
        if chars >= 10 and confidence < PAGE_SCORE:
            raise SourceError(f"OCR could not read page {n + 1} reliably (mean confidence {confidence:.2f}; "
                              f"{why})")
        pages[n] = lines


def _why(pages: list[list[Line]], need: list[int]) -> str:
    """Why pages need OCR, for a refusal: 'scanned', or the garbage of a text layer, with a sample."""
    junk = [n for n in need if pages[n]]
    if not junk:
        return "without a text layer (scanned images)"
    lines = pages[junk[0]]
    sample = max(lines, key=lambda ln: sum(c in _RARE_ASCII for c in ln.text)).text[:24]
    return f"whose text layer is garbage (a font that maps its glyphs to ASCII: «{sample}»)"


# ASCII punctuation a Chinese notice hardly ever uses.  A font whose glyphs map to codes from 0x21 up (the
# Beijing gazette's, among others) turns every Chinese character into one of these, digits and Latin letters.
_RARE_ASCII = frozenset('!"#$&\'*+;<=>?@[\\]^_`{|}~')
GARBAGE_SHARE = 0.1  # of a page's characters; real pages of files-dev: 0.002 at most, garbled ones 0.21-0.29


def garbage_pages(pages: list[list[Line]]) -> list[int]:
    """The pages (0-based) whose text layer is garbage: at least 20 characters, over GARBAGE_SHARE of them
    punctuation a notice hardly uses."""
    out = []
    for n, page in enumerate(pages):
        chars = [c for ln in page for c in ln.text if not c.isspace()]
        if len(chars) >= 20 and sum(c in _RARE_ASCII for c in chars) > GARBAGE_SHARE * len(chars):
            out.append(n)
    return out


def _reason(e: Exception) -> str:
    """pdfium's reason, short: 'Failed to load document (PDFium: Data format error)' → 'data format error'."""
    m = re.search(r"PDFium:\s*([^)]+)", str(e))
    return (m.group(1) if m else str(e)).strip().rstrip(".").lower() or type(e).__name__


def _page_lines(textpage, page_no: int) -> list[Line]:  # noqa: ANN001 - pypdfium2 PdfTextPage
    import pypdfium2.raw as raw

    tp = textpage.raw
    n = raw.FPDFText_CountChars(tp)
    x, y = ctypes.c_double(), ctypes.c_double()
    rect = raw.FS_RECTF()  # the loose box: the character's advance, not its glyph's ink
    lines: list[Line] = []
    chars: list[str] = []
    box: list[float] = []  # x0, x1, y, size of the current line
    sizes: Counter[float] = Counter()
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    red = [0]
    last_right = [0.0]
    pending = [False]

    def flush() -> None:
        text = "".join(chars).strip()
        if text and box:
            size = sizes.most_common(1)[0][0] if sizes else 0.0
            lines.append(Line(text, box[0], box[1], box[2], size, page_no, red[0] > 0.5 * sum(sizes.values())))
        chars.clear()
        box.clear()
        sizes.clear()
        red[0] = 0
        pending[0] = False

    for i in range(n):
        code = raw.FPDFText_GetUnicode(tp, i)
        ch = chr(code) if 0 < code < 0x110000 else ""
        if ch in ("\r", "\n"):
            flush()
            continue
        if not ch:
            continue
        if ch.isspace() and raw.FPDFText_IsGenerated(tp, i) == 1:
            pending[0] = True  # pdfium saw a gap: a space between Latin words, nothing between CJK
            continue
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
            continue
        raw.FPDFText_GetCharOrigin(tp, i, x, y)
        raw.FPDFText_GetLooseCharBox(tp, i, rect)
        size = round(raw.FPDFText_GetFontSize(tp, i), 1)
        height = rect.top - rect.bottom
        if height > 1 and not 0.5 * height <= size <= 1.6 * height:
            size = round(height, 1)  # a size pdfium reads before the text matrix scales it (439 for 27 pt)
        em = max(size, 1.0)
        if box and (abs(y.value - box[2]) > em * 0.5 or rect.left < box[0] - 2 * em):
            flush()  # pdfium did not break the line, but the character sits on another line
        if box and chars and chars[-1] != " ":
            latin = ch.isascii() and chars[-1].isascii()
            if rect.left - last_right[0] > 0.8 * em:  # a wide gap: columns of a table, a date set apart
                chars.append(" " if latin else "\u3000")
            elif pending[0] and latin:
                chars.append(" ")
        pending[0] = False
        last_right[0] = rect.right
        if not box:
            box.extend((rect.left, rect.right, y.value))
        else:
            box[0] = min(box[0], rect.left)
            box[1] = max(box[1], rect.right)
        sizes[size] += 1
        if page_no == 0 and raw.FPDFText_GetFillColor(tp, i, r, g, b, a) and r.value >= 150 and g.value < 110 \
                and b.value < 110:  # colour matters only for the issuer mark on the first page
            red[0] += 1
        chars.append(ch)
    flush()
    return _merge_same_baseline(lines)


def _merge_same_baseline(lines: list[Line]) -> list[Line]:
    """Lines top to bottom; runs on one baseline (drawn separately) become one line."""
    lines.sort(key=lambda ln: (-round(ln.y, 0), ln.x0))
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev and abs(prev.y - ln.y) < 0.3 * max(prev.size, ln.size, 1.0):
            first, second = (prev, ln) if prev.x0 <= ln.x0 else (ln, prev)
            sep = "　" if second.x0 - first.x1 > max(first.size, second.size) else ""
            out[-1] = Line(first.text + sep + second.text, first.x0, max(first.x1, second.x1), prev.y,
                           max(first.size, second.size), prev.page, first.red and second.red)
        else:
            out.append(ln)
    return out


@dataclass
class _Frame:
    """The text block: left and right margin and the body font size (the same on every page of an
    official document)."""

    left: float
    right: float
    size: float


def _frame(pages: list[list[Line]]) -> _Frame:
    all_lines = [ln for p in pages for ln in p]
    weights: Counter[float] = Counter()
    for ln in all_lines:
        weights[round(ln.size)] += len(ln.text)
    size = float(weights.most_common(1)[0][0]) if weights else 12.0
    body = [ln for ln in all_lines if abs(ln.size - size) <= 0.08 * size] or all_lines
    # the left margin: the leftmost position many lines share (not a stray outdented line)
    counts = Counter(round(ln.x0) for ln in body)
    common = [v for v, c in counts.items() if c >= max(2, 0.1 * len(body))]
    left = float(min(common)) if common else min(ln.x0 for ln in body)
    rights = sorted(ln.x1 for ln in body)
    return _Frame(left, rights[int(0.9 * (len(rights) - 1))], size)


def layout_text(pages: list[list[Line]]) -> str:
    """The text of the pages: furniture dropped, one paragraph a line, the issuer mark first."""
    keep = page_furniture([[ln.text for ln in p] for p in pages], positional=True,
                          heights=[[ln.y for ln in p] for p in pages])
    pages = [[ln for k, ln in enumerate(p) if (n, k) in keep] for n, p in enumerate(pages)]
    if not any(pages):
        return ""
    fr = _frame(pages)
    body_size = fr.size
    indented = sum(1 for p in pages for ln in p if 1.5 * fr.size <= ln.x0 - fr.left <= 2.6 * fr.size)
    indent_used = indented >= max(2, 0.05 * sum(len(p) for p in pages))
    out: list[str] = []
    mark, start = _issuer_mark(pages[0], body_size)
    if mark:
        out.append(mark)
    prev: Line | None = None
    for n, page in enumerate(pages):
        for ln in page[start if n == 0 else 0:]:
            if prev is not None and out and _continues(prev, ln, fr, indent_used):
                out[-1] += joiner(out[-1], ln.text) + ln.text
            elif prev is not None and out and _title_continues(prev, ln, fr):
                out[-1] += ln.text
            else:
                out.append(ln.text)
            prev = ln
    return "\n".join(out)


def _continues(prev: Line, cur: Line, fr: _Frame, indent_used: bool) -> bool:
    """Whether ``cur`` carries on the paragraph of the full line ``prev`` (hard wrap or page break)."""
    size = fr.size
    if abs(cur.size - prev.size) > 0.08 * max(cur.size, prev.size):
        return False
    if abs(cur.x0 - fr.left) > 0.6 * size:
        return False  # indented, centred or right-aligned: a paragraph (or heading, signature) of its own
    # How far short of the margin a wrapped line may stop: a word processor pulls a character back so that
    # no line starts with closing punctuation, and ragged-right text stops up to a character short; where
    # paragraphs are indented the indent marks their starts, so a shorter line may still be wrapped.
    slack = (2.6 if indent_used else 1.6) * size
    if prev.x1 < fr.right - slack or abs(prev.x0 - fr.left) > 3 * size:
        return False  # the previous line stops short: its paragraph ended there; or it is not body text
    if prev.page == cur.page and prev.y - cur.y > 2.5 * max(size, prev.size):
        return False  # a blank line between them
    if not indent_used and prev.text[-1] in _TERMINAL and (MARKER_RE.match(cur.text)
                                                           or DOC_NUMBER_RE.match(cur.text)):
        return False  # unindented paragraphs: a numbered item after a finished sentence starts anew
    return True


def _title_continues(prev: Line, cur: Line, fr: _Frame) -> bool:
    """A title set over several centred lines, larger than the body text, is one line."""
    size = fr.size
    if cur.page != prev.page or cur.size < 1.15 * size or abs(cur.size - prev.size) > 0.05 * cur.size:
        return False
    centre = (fr.left + fr.right) / 2
    for ln in (prev, cur):
        if abs((ln.x0 + ln.x1) / 2 - centre) > 1.5 * size or ln.x0 - fr.left < 0.6 * size and \
                ln.x1 < fr.right - 0.6 * size:
            return False
    if prev.text.endswith(("文件", "。")) or DOC_NUMBER_RE.search(prev.text) or DOC_NUMBER_RE.search(cur.text):
        return False
    return prev.y - cur.y < 2.5 * cur.size


def _issuer_mark(first_page: list[Line], body_size: float) -> tuple[str, int]:
    """The 发文机关标志: the red lines (or a large line ending in 文件) at the top of the first page.
    Returns the mark as one line (a joint mark's names in order, 文件 at the end) and the index of the
    first line after it."""
    k = 0
    while k < min(len(first_page), 6):
        ln = first_page[k]
        if not (ln.red or (ln.size >= 1.2 * body_size and re.sub(r"\s+", "", ln.text).endswith("文件"))):
            break
        if DOC_NUMBER_RE.search(ln.text):
            break  # a red 发文字号 is not part of the mark
        k += 1
    if k == 0:
        return "", 0
    names = [re.sub(r"\s+", "", ln.text) for ln in first_page[:k]]
    has_wenjian = any(n.endswith("文件") for n in names)
    names = [n for n in (n.removesuffix("文件") for n in names) if n]
    return " ".join(names) + ("文件" if has_wenjian else ""), k
