"""Build official-document PDFs (GB/T 9704 layout) for tests, with reportlab's CID font STSong-Light.

The layout follows the standard: a red 发文机关标志 centred at the top of the first page, the 发文字号 under
it, a title of one or more centred lines in a larger size, the body at 28 characters a line (justified) with paragraphs
indented two characters, the signature and date right-aligned, a 版记 (抄送, 印发机关 and 印发日期) at the
end, a page number "— N —" centred under the text of every page, and (here, so that tests can check it is
dropped) a running header line at the top of every page.  Lines are broken as a word processor does:
at the line width, never starting a line with closing punctuation (the character is pulled back), and
justified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import black, red
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
CENTRED = "^^"
_NO_LINE_START = "，。、；：？！）》」』”’〕】…—"

pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass
class OfficialDocument:
    """What goes on the pages.  ``body`` holds paragraphs; a paragraph starting with a tab is set flush
    left (a 主送 line), one starting with ``CENTRED`` is centred (a chapter heading)."""

    title_lines: list[str]
    body: list[str]
    issuer_mark: str = ""  # 发文机关标志, e.g. 国家发展和改革委员会文件
    doc_number: str = ""
    signature: list[str] = field(default_factory=list)  # issuer lines, right-aligned
    date: str = ""
    banji: list[str] = field(default_factory=list)  # 版记 lines: 抄送：…, 印发机关  印发日期
    running_header: str = ""
    page_numbers: str = "— {n} —"  # format of the page number, "" for none
    chars_per_line: int = 28
    lines_per_page: int = 22
    justify: bool = True  # False: ragged right


def wrap(paragraph: str, width: float, size: float, indent: int = 2) -> list[str]:
    """Break a paragraph into lines at most ``width`` points wide (the first indented by ``indent``
    characters), never starting a line with closing punctuation (it is pulled back with its predecessor)."""
    lines: list[str] = []
    rest = paragraph
    room = width - indent * size
    while rest:
        if pdfmetrics.stringWidth(rest, FONT, size) <= room:
            lines.append(rest)
            break
        cut = 1
        while cut < len(rest) and pdfmetrics.stringWidth(rest[:cut + 1], FONT, size) <= room:
            cut += 1
        while cut > 1 and rest[cut] in _NO_LINE_START:
            cut -= 1
        lines.append(rest[:cut])
        rest = rest[cut:]
        room = width
    return lines


def build_pdf(path: Path, doc: OfficialDocument) -> Path:
    """Write ``doc`` as a PDF at ``path``."""
    width, height = A4
    left, top, size = 28 * mm, 37 * mm, 16
    line_h = 225 * mm / doc.lines_per_page
    text_w = doc.chars_per_line * size
    c = Canvas(str(path), pagesize=A4)
    page = 1
    y = height - top

    def furniture() -> None:
        if doc.running_header:
            c.setFont(FONT, 10.5)
            c.drawCentredString(width / 2, height - 20 * mm, doc.running_header)
        if doc.page_numbers:
            c.setFont(FONT, 14)
            c.drawCentredString(width / 2, 20 * mm, doc.page_numbers.format(n=page))

    def newline(step: float = line_h) -> None:
        nonlocal y, page
        y -= step
        if y < height - top - 225 * mm:
            furniture()
            c.showPage()
            page += 1
            y = height - top - line_h

    def centred(text: str, font_size: float, colour=black) -> None:  # noqa: ANN001 - reportlab colour
        c.setFillColor(colour)
        c.setFont(FONT, font_size)
        c.drawCentredString(left + text_w / 2, y, text)
        c.setFillColor(black)

    if doc.issuer_mark:
        centred(doc.issuer_mark, 26, red)
        newline(line_h * 2)
    if doc.doc_number:
        centred(doc.doc_number, size)
        newline()
        c.setStrokeColor(red)
        c.line(left, y + line_h * 0.4, left + text_w, y + line_h * 0.4)
        newline()
    for t in doc.title_lines:
        centred(t, 22)
        newline(line_h * 1.3)
    newline()
    c.setFont(FONT, size)
    for para in doc.body:
        if para.startswith(CENTRED):
            for ln in wrap(para.removeprefix(CENTRED), text_w - 4 * size, size, 0):
                centred(ln, size)
                newline()
            continue
        flush = para.startswith("\t")
        para = para.lstrip("\t")
        lines = wrap(para, text_w, size, 0 if flush else 2)
        for k, ln in enumerate(lines):
            c.setFont(FONT, size)
            x = left + (2 * size if k == 0 and not flush else 0)
            spacing = 0.0
            if doc.justify and k < len(lines) - 1 and len(ln) > 1:  # justified, as word processors set it
                spacing = (left + text_w - x - pdfmetrics.stringWidth(ln, FONT, size)) / (len(ln) - 1)
            # pdfium drops a text object of one character of a font it has no glyphs for (STSong-Light is
            # not embedded and no CJK font need be installed): a lone last character gets a space after it
            c.drawString(x, y, ln + " " if len(ln) == 1 else ln, charSpace=spacing)
            newline()
    newline()
    for ln in [*doc.signature, doc.date]:
        if ln:
            c.setFont(FONT, size)
            c.drawRightString(left + text_w - 4 * size, y, ln)
            newline()
    if doc.banji:
        newline()
        c.line(left, y + line_h * 0.6, left + text_w, y + line_h * 0.6)
        for ln in doc.banji:
            c.setFont(FONT, 14)
            parts = ln.split("  ")
            c.drawString(left + size, y, parts[0])
            if len(parts) > 1:
                c.drawRightString(left + text_w - size, y, parts[-1])
            newline()
        c.line(left, y + line_h * 0.6, left + text_w, y + line_h * 0.6)
    furniture()
    c.showPage()
    c.save()
    return path


def build_scanned_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF of page images only (as a scanner makes): no text layer."""
    from reportlab.lib.utils import ImageReader

    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        Image = None  # noqa: N806
    c = Canvas(str(path), pagesize=A4)
    width, height = A4
    for n in range(pages):
        if Image is not None:
            img = Image.new("L", (620, 877), 255)
            draw = ImageDraw.Draw(img)
            for row in range(40, 800, 30):  # grey bars where lines of text would be
                draw.rectangle((60, row, 560 - (n * 37 + row) % 90, row + 14), fill=60)
            c.drawImage(ImageReader(img), 0, 0, width, height)
        c.showPage()
    c.save()
    return path


def scan_of(pdf_path: Path, path: Path, dpi: int = 150) -> Path:
    """A scan of a PDF: each page rendered to a picture (as a scanner would make it) in a PDF of images only."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    src = pdfium.PdfDocument(str(pdf_path))
    c = Canvas(str(path), pagesize=A4)
    width, height = A4
    for n in range(len(src)):
        image = src[n].render(scale=dpi / 72).to_pil().convert("RGB")
        c.drawImage(ImageReader(image), 0, 0, width, height)
        c.showPage()
    c.save()
    src.close()
    return path
