"""Reading the pages of a PDF that carry no usable text layer (a scan; a font that maps its glyphs to ASCII) by
OCR: RapidOCR on onnxruntime, whose models ship inside its package (nothing is downloaded at run time).

A page is rendered so that its longer side is about :data:`LONG_SIDE` pixels, read into text boxes, and each box
becomes a :class:`~.pdf.Line` in the page's own coordinates (points, baseline up), so that the layout rules of
the PDF reader (margins, indents, centred titles, the red 发文机关标志) apply to it as to a text layer.

Trust first: a box read with less than :data:`MIN_SCORE` confidence is dropped, and a page whose text reads with
less than :data:`PAGE_SCORE` mean confidence refuses the file ("OCR could not read page 2 reliably"), never a
document of guessed characters.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...errors import SourceError

if TYPE_CHECKING:
    from .pdf import Line

LONG_SIDE = 2000  # pixels: an A4 page at about 170 dpi; body text is then 40 pixels high
MIN_SCORE = 0.5  # a box read with less confidence is dropped (a seal's ring of text, a smudge)
PAGE_SCORE = 0.8  # mean confidence, weighted by characters, below which a page is not trusted
_CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef《》“”‘’]"
_PUNCT = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})


@lru_cache(maxsize=1)
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as e:  # the package is a dependency; a platform without its wheels has no OCR
        raise SourceError("it needs OCR, which is not available here (rapidocr-onnxruntime is not installed)") from e
    return RapidOCR()


def _cjk_punctuation(text: str) -> str:
    """ASCII punctuation OCR gives inside Chinese text as the full-width marks the page shows (，：；（）)."""
    return re.sub(rf"(?<={_CJK})[,:;?!)]|[(](?={_CJK})|[,:;?!)](?={_CJK})",
                  lambda m: m.group(0).translate(_PUNCT), text)


def ocr_page(page: Any, page_no: int, above: float | None = None) -> tuple[list[Line], float, int]:
    """The lines of one pypdfium2 page read by OCR, the mean confidence of its characters and their number.
    With ``above`` (a height on the page, in points): only the red lines drawn above it (a 发文机关标志 drawn
    as shapes, not text)."""
    from .pdf import Line, _merge_same_baseline

    width, height = page.get_size()
    scale = min(4.0, LONG_SIDE / max(width, height, 1.0))
    bitmap = page.render(scale=scale)  # BGR(A), as OpenCV (and so RapidOCR) reads images
    try:
        image = bitmap.to_numpy()
        if image.ndim == 3 and image.shape[2] == 4:
            image = image[:, :, :3]
        page_rows = image.shape[0]
        if above is not None:
            image = image[:max(1, int((height - above) * scale))]
        result, _ = _engine()(image)
        result = [*(result or []), *(_missed(image, result or []) if above is None else ())]
        lines: list[Line] = []
        weighted, chars = 0.0, 0
        for box, text, score in result:
            text = _cjk_punctuation(str(text).strip())
            n = sum(1 for ch in text if not ch.isspace())
            if not n:
                continue
            weighted += float(score) * n
            chars += n
            if float(score) < MIN_SCORE or not any(ch.isalnum() for ch in text):
                continue  # unsure, or only marks (the ★ of the red rule under the number)
            xs = [p[0] for p in box]
            ys = [p[1] for p in box]
            top, bottom, left, right = min(ys), max(ys), min(xs), max(xs)
            red = _red_share(image, top, bottom, left, right)
            if above is not None and red <= 0.5:
                continue
            if red > 0.3 and not (page_no == 0 and bottom < 0.35 * page_rows):
                continue  # red ink below the 发文机关标志: a seal's ring of text over the signature (measured:
                #           a seal's text 0.36-0.47 of its ink red, the signature under it 0.16)
            # the type size: a box's height, or its width over its characters where that is less (a box's
            # height varies with what it holds: a line ending in ：， reads a fifth taller)
            em = sum(0.5 if ch.isascii() else 1.0 for ch in text if not ch.isspace())
            size = (bottom - top) / scale
            if em >= 2:
                size = min(size, (right - left) / scale / em)
            lines.append(Line(text, left / scale, right / scale, height - bottom / scale, size, page_no, red > 0.5))
    finally:
        bitmap.close()
    return _merge_same_baseline(_even_sizes(_in_script_of_page(lines))), (weighted / chars if chars else 1.0), chars


def _in_script_of_page(lines: list[Line]) -> list[Line]:
    """On a page in traditional script (``script_of``, as a document's script is decided), the characters the
    recognition model read in their simplified form (its models know simplified text best: 稅 read as 税, 規 as
    规) back in traditional script; other pages are left as read."""
    import dataclasses

    from ...text.normalise import script_of
    from ...text.variants import in_traditional_script

    if script_of("".join(line.text for line in lines)) != "traditional":
        return lines
    return [dataclasses.replace(line, text=in_traditional_script(line.text)) for line in lines]


def has_red(page: Any, above: float) -> bool:
    """Whether a page shows red ink above a height (points): a cheap look before reading a drawn header."""
    width, height = page.get_size()
    scale = 0.5
    bitmap = page.render(scale=scale)
    try:
        image = bitmap.to_numpy()[:max(1, int((height - above) * scale)), :, :3]
    finally:
        bitmap.close()
    _, red = _ink(image, margin=60)
    return int(red.sum()) > 0.003 * red.size


def _even_sizes(lines: list[Line]) -> list[Line]:
    """What is left of the noise: lines within a fifth of the body's size (the median of lines of 8 characters
    or more) get that size, so that they read as one size of type; a title's or a header's larger type stays
    apart."""
    long = sorted(ln.size for ln in lines if len(ln.text) >= 8) or sorted(ln.size for ln in lines)
    if not long:
        return lines
    body = long[len(long) // 2]
    for ln in lines:
        if 0.8 * body <= ln.size <= 1.2 * body:
            ln.size = body
    return lines


def _missed(image: Any, found: list) -> list:
    """Lines the detector passed over: a gap between two read lines with room for a line and ink in it is read
    again on its own (measured: at some sizes of a page, one full line of 20 was not detected)."""
    boxes = sorted((min(p[1] for p in box), max(p[1] for p in box)) for box, _, _ in found)
    if len(boxes) < 3:
        return []
    heights = sorted(b - t for t, b in boxes)
    line = heights[len(heights) // 2]
    extra: list = []
    bottom = boxes[0][1]
    for top, low in boxes[1:]:
        if top - bottom > 1.2 * line:
            band = image[int(bottom) + 1:int(top)]
            ink_rows = int(((band.astype("int32").sum(axis=2) < 450).sum(axis=1) > 3).sum())
            if ink_rows >= 0.5 * line:
                # a band at least 1/7 as high as wide (the engine pads flatter images, moving its boxes); of what
                # it reads, the lines whose middle is in the gap
                half = max(int(top - bottom) // 2 + int(0.3 * line), image.shape[1] // 14)
                mid = int(bottom + top) // 2
                lo, hi = max(0, mid - half), min(image.shape[0], mid + half)
                again, _ = _engine()(image[lo:hi])
                for box, text, score in again or []:
                    middle = lo + (min(p[1] for p in box) + max(p[1] for p in box)) / 2
                    if bottom < middle < top:
                        extra.append(([[x, y + lo] for x, y in box], text, score))
        bottom = max(bottom, low)
    return extra


def _red_share(image: Any, top: float, bottom: float, left: float, right: float) -> float:
    """The share of a box's ink that is red (the 发文机关标志 of GB/T 9704; a seal, pink when a scan faded it)."""
    crop = image[int(top):int(bottom) + 1, int(left):int(right) + 1]
    if crop.size == 0:
        return 0.0
    ink, red = _ink(crop, margin=20)
    return float(red.sum()) / max(int(ink.sum()), 1)


def _ink(image: Any, margin: int) -> tuple[Any, Any]:
    """The pixels of a BGR image dark enough to be ink, and those of them that are red (red over green and blue by
    ``margin``)."""
    pixels = image.astype("int32")
    b, g, r = pixels[:, :, 0], pixels[:, :, 1], pixels[:, :, 2]
    ink = (r + g + b) < 600
    return ink, ink & (r > g + margin) & (r > b + margin)
