"""Word files: .docx (python-docx) and legacy .doc (through antiword or LibreOffice when installed).

A .docx is read in body order: paragraphs and tables interleaved as they stand, each table row one line
with its cells joined by a tab, so a table's text belongs to the clause or attachment it sits in.  Text
boxes (where a 发文机关标志 is often set) are read where they are anchored.  A horizontally merged cell is
written once per row and a vertically merged one once per table, so no text is doubled.  Numbers that Word
generates (automatic lists: 第%1条 in 中文 numerals, （%1）, %1.) are written out, since they are the
document's article and item numbers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import SourceError
from ..limits import Limits
from . import SourceText, read_bytes, reader

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERT_TIMEOUT = 120  # seconds for one legacy .doc


@reader(".docx")
def read_docx(path: Path, rel: str, limits: Limits) -> list[SourceText]:
    text = docx_text(path)
    if not text.strip():
        raise SourceError("empty file (the document has no text)")
    return [SourceText(rel, text, "docx", "docx")]


def docx_text(path: Path) -> str:
    """The text of a .docx in body order, one paragraph or table row a line."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    _refuse_declarations(path)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise SourceError(f"not a readable Word .docx file ({type(e).__name__})") from e
    except etree.LxmlError as e:  # malformed XML, or entities that expand without end ("billion laughs")
        reason = str(e).splitlines()[0].split(", line ")[0][:120] if str(e) else type(e).__name__
        raise SourceError(f"not a readable Word .docx file: its XML is malformed or hostile ({reason})") from e
    lines: list[str] = []
    _block_lines(document, lines, _Numbering(document))
    return "\n".join(lines)


def _refuse_declarations(path: Path) -> None:
    """Word never writes a DOCTYPE: a part that declares one (entities that expand, or that name files or
    addresses outside the document) is a crafted file, refused before its XML is parsed."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    with z.open(info) as f:
                        head = f.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise SourceError(f"not a readable Word .docx file: its part {info.filename} declares XML "
                                          "entities (a DOCTYPE), which Word never writes")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise SourceError(f"not a readable Word .docx file ({type(e).__name__})") from e


def _block_lines(container, lines: list[str], numbering: _Numbering) -> None:  # noqa: ANN001 - Document/_Cell
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(table_lines(block, numbering))
        else:
            lines.extend(_text_boxes(block._p))
            text = block.text
            label = numbering.label(block._p)
            lines.append(label + text if label and text.strip() else text)


_CN_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int, traditional_zero: bool = False) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting writes them)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for value, name in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
                zero = False
            out += ("" if value == 10 and d == 1 and not out else _CN_DIGITS[d]) + name
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _CN_DIGITS[n]
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese_numeral(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = ""
        for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
            while n >= value:
                roman, n = roman + sym, n - value
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering: the label each numbered paragraph shows, counted in document order."""

    def __init__(self, document) -> None:  # noqa: ANN001 - python-docx Document
        self.levels: dict[str, dict[int, tuple[int, str, str, str]]] = {}  # numId → ilvl → (start, fmt, text, suff)
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        w = f"{{{_W}}}"
        abstract: dict[str, dict[int, tuple[int, str, str, str]]] = {}
        for an in root.iter(f"{w}abstractNum"):
            lv: dict[int, tuple[int, str, str, str]] = {}
            for lvl in an.iter(f"{w}lvl"):
                def val(tag: str, default: str, lvl=lvl) -> str:  # noqa: ANN001 - lxml element
                    el = lvl.find(f"{w}{tag}")
                    return el.get(f"{w}val", default) if el is not None else default
                start = val("start", "1")
                lv[int(lvl.get(f"{w}ilvl", "0"))] = (int(start) if start.isdigit() else 1, val("numFmt", "decimal"),
                                                      val("lvlText", ""), val("suff", "tab"))
            abstract[an.get(f"{w}abstractNumId", "")] = lv
        for num in root.iter(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            if ref is None:
                continue
            lv = dict(abstract.get(ref.get(f"{w}val", ""), {}))
            for ov in num.iter(f"{w}lvlOverride"):
                so = ov.find(f"{w}startOverride")
                k = int(ov.get(f"{w}ilvl", "0"))
                if so is not None and k in lv and so.get(f"{w}val", "").isdigit():
                    lv[k] = (int(so.get(f"{w}val")), *lv[k][1:])
            self.levels[num.get(f"{w}numId", "")] = lv
        for style in document.styles.element.iter(f"{w}style"):
            num_id = style.find(f"{w}pPr/{w}numPr/{w}numId")
            if num_id is not None:
                ilvl = style.find(f"{w}pPr/{w}numPr/{w}ilvl")
                self.style_num[style.get(f"{w}styleId", "")] = (
                    num_id.get(f"{w}val", ""), int(ilvl.get(f"{w}val", "0")) if ilvl is not None else 0)

    def label(self, p) -> str:  # noqa: ANN001 - lxml element of a w:p
        if not self.levels:
            return ""
        w = f"{{{_W}}}"
        num_id_el = p.find(f"{w}pPr/{w}numPr/{w}numId")
        ilvl_el = p.find(f"{w}pPr/{w}numPr/{w}ilvl")
        style_el = p.find(f"{w}pPr/{w}pStyle")
        num_id, ilvl = None, int(ilvl_el.get(f"{w}val", "0")) if ilvl_el is not None else None
        if num_id_el is not None:
            num_id = num_id_el.get(f"{w}val", "")
        elif style_el is not None and style_el.get(f"{w}val", "") in self.style_num:
            num_id, style_lvl = self.style_num[style_el.get(f"{w}val", "")]
            ilvl = style_lvl if ilvl is None else ilvl
        ilvl = ilvl or 0
        levels = self.levels.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""  # numId 0 switches numbering off
        counts = self.counters.setdefault(num_id or "", [0] * 9)
        while len(counts) <= ilvl:
            counts.append(0)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else levels[ilvl][0]
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = 0
        start, fmt, text, suff = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""

        def level_value(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            return _format_number(counts[k] or levels[k][0], levels[k][1])

        label = re.sub(r"%(\d)", level_value, text)
        return label + ("" if suff == "nothing" or label.endswith(("、", "．", "）", ")")) else " ")


def _text_boxes(p) -> list[str]:  # noqa: ANN001 - lxml element of a w:p
    """Paragraphs of the text boxes anchored in a paragraph (the fallback copy of each box skipped)."""
    out = []
    for box in p.iter(f"{{{_W}}}txbxContent"):
        if any(a.tag == f"{{{_MC}}}Fallback" for a in box.iterancestors()):
            continue
        for bp in box.iter(f"{{{_W}}}p"):
            text = "".join(t.text or "" for t in bp.iter(f"{{{_W}}}t"))
            if text.strip():
                out.append(text)
    return out


def table_lines(table, numbering: _Numbering | None = None) -> list[str]:  # noqa: ANN001 - python-docx Table
    """One line per row, cells joined by a tab; merged cells written once."""
    lines = []
    above: list[object] = []
    for row in table.rows:
        cells = []
        seen: list[object] = []
        for col, cell in enumerate(row.cells):
            tc = cell._tc
            if seen and seen[-1] is tc:
                continue  # spans several grid columns
            seen.append(tc)
            if col < len(above) and above[col] is tc:
                cells.append("")  # merged with the cell above: its text is there
                continue
            cells.append(_cell_text(cell, numbering))
        above = [c._tc for c in row.cells]
        if any(c.strip() for c in cells):
            lines.append("\t".join(cells).rstrip("\t"))
    return lines


def _cell_text(cell, numbering: _Numbering | None) -> str:  # noqa: ANN001 - python-docx _Cell
    parts: list[str] = []
    _block_lines(cell, parts, numbering or _Numbering(None))
    return " ".join(p.strip() for p in parts if p.strip()).replace("\t", " ")


@reader(".doc", ".wps")
def read_doc(path: Path, rel: str, limits: Limits) -> list[SourceText]:
    """A legacy Word file, or a WPS Writer file (most are Word 97 inside).  Many sites serve a .docx, a web page
    or RTF under the .doc name; those are read as what they are.  A Word 97–2003 file is read by legacy-doc
    (pure Python, paragraphs whole), else by LibreOffice or antiword when installed."""
    data = read_bytes(path)
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        text = docx_text(path)
    elif head.startswith((b"<html", b"<!doctype", b"<?xml")) or b"<html" in head:
        from .decode import decode
        from .web import html_text

        text, _ = html_text(decode(data)[0])
    elif data.startswith(_OLE2):
        text = convert_doc(path, data)
    elif head.startswith(b"{\\rtf"):
        text = convert_doc(path)
    else:
        raise SourceError("not a Word document (no Word, RTF or web-page signature)")
    if not text.strip():
        raise SourceError("empty file (the document has no text)")
    return [SourceText(rel, text, "doc", "doc")]


def doc_converters() -> list[str]:
    """The installed converters for legacy .doc files, in the order they are tried."""
    return [name for name in ("soffice", "libreoffice", "antiword") if shutil.which(name)]


def convert_doc(path: Path, data: bytes | None = None) -> str:
    """The text of a legacy .doc: legacy-doc for a Word 97–2003 file (``data`` given), then the first installed
    converter that works."""
    failures: list[str] = []
    if data is not None:
        text = _legacy_doc(data, failures)
        if text:
            return text
    converters = doc_converters()
    if not converters:
        tried = f" ({'; '.join(failures)})" if failures else ""
        raise SourceError(f"a legacy Word file that could not be read{tried} and no converter is "
                          "installed (LibreOffice or antiword): open it in Word or WPS and save it as .docx, or run "
                          f"`soffice --headless --convert-to docx {path.name}`")
    for name in converters:
        try:
            text = _antiword(path) if name == "antiword" else _soffice(name, path)
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError) as e:
            failures.append(f"{name}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
            continue
        if text.strip():
            return text
        failures.append(f"{name}: no text")
    raise SourceError(f"the legacy .doc could not be converted ({'; '.join(failures)}); "
                      "save it as .docx")


def _legacy_doc(data: bytes, failures: list[str]) -> str:
    """A Word 97–2003 file's text by legacy-doc (pure Python: no converter to install); "" if it cannot."""
    try:
        import legacy_doc
    except ImportError:
        return ""
    try:
        return str(legacy_doc.extract_text(data).text)
    except Exception as e:  # noqa: BLE001 - any failure of the parser: the next converter is tried
        failures.append(f"legacy-doc: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
        return ""


def _soffice(exe: str, path: Path) -> str:
    """LibreOffice headless: .doc → .docx (tables kept in place), read as any .docx."""
    with tempfile.TemporaryDirectory(prefix="policysearch-doc-") as tmp:
        profile = Path(tmp, "profile").as_uri()  # its own profile: works beside a running LibreOffice
        subprocess.run([shutil.which(exe) or exe, f"-env:UserInstallation={profile}", "--headless",
                        "--convert-to", "docx", "--outdir", tmp, str(path.resolve())],
                       check=True, capture_output=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL)
        out = Path(tmp, path.stem + ".docx")
        if not out.exists():
            raise subprocess.SubprocessError("no output")
        return docx_text(out)


def _antiword(path: Path) -> str:
    done = subprocess.run([shutil.which("antiword") or "antiword", "-m", "UTF-8.txt", "-w", "0", str(path)],
                          check=True, capture_output=True, timeout=CONVERT_TIMEOUT, stdin=subprocess.DEVNULL)
    return done.stdout.decode("utf-8")
