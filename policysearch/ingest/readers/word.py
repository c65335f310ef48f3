"""Word files: .docx (python-docx) and legacy .doc (through antiword or LibreOffice when installed).

A .docx is read in body order: paragraphs and tables interleaved as they stand, each table row one line
with its cells joined by a tab, so a table's text belongs to the clause or attachment it sits in.  Text
boxes (where a 发文机关标志 is often set) are read where they are anchored.  A horizontally merged cell is
written once per row and a vertically merged one once per table, so no text is doubled.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import SourceError
from . import SourceText, read_bytes, reader

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERT_TIMEOUT = 120  # seconds for one legacy .doc


@reader(".docx")
def read_docx(path: Path, rel: str) -> list[SourceText]:
    text = docx_text(path)
    if not text.strip():
        raise SourceError("empty file (the document has no text)")
    return [SourceText(rel, text, "docx", "docx")]


def docx_text(path: Path) -> str:
    """The text of a .docx in body order, one paragraph or table row a line."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise SourceError(f"not a readable Word .docx file ({type(e).__name__})") from e
    lines: list[str] = []
    _block_lines(document, lines)
    return "\n".join(lines)


def _block_lines(container, lines: list[str]) -> None:  # noqa: ANN001 - python-docx Document or _Cell
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(table_lines(block))
        else:
            lines.extend(_text_boxes(block._p))
            lines.append(block.text)


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


def table_lines(table) -> list[str]:  # noqa: ANN001 - python-docx Table
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
            cells.append(_cell_text(cell))
        above = [c._tc for c in row.cells]
        if any(c.strip() for c in cells):
            lines.append("\t".join(cells).rstrip("\t"))
    return lines


def _cell_text(cell) -> str:  # noqa: ANN001 - python-docx _Cell
    parts: list[str] = []
    _block_lines(cell, parts)
    return " ".join(p.strip() for p in parts if p.strip()).replace("\t", " ")


@reader(".doc")
def read_doc(path: Path, rel: str) -> list[SourceText]:
    """A legacy Word file.  Many sites serve a .docx, a web page or RTF under the .doc name; those are read
    as what they are.  A real Word 97–2003 file needs LibreOffice or antiword."""
    data = read_bytes(path)
    head = data[:2048].lstrip().lower()
    if data.startswith(b"PK\x03\x04"):
        text = docx_text(path)
    elif head.startswith((b"<html", b"<!doctype", b"<?xml")) or b"<html" in head:
        from .decode import decode
        from .web import html_text

        text, _ = html_text(decode(data)[0])
    elif data.startswith(_OLE2) or head.startswith(b"{\\rtf"):
        text = convert_doc(path)
    else:
        raise SourceError(f"{path.name} is not a Word document (no Word, RTF or web-page signature)")
    if not text.strip():
        raise SourceError("empty file (the document has no text)")
    return [SourceText(rel, text, "doc", "doc")]


def doc_converters() -> list[str]:
    """The installed converters for legacy .doc files, in the order they are tried."""
    return [name for name in ("soffice", "libreoffice", "antiword") if shutil.which(name)]


def convert_doc(path: Path) -> str:
    """The text of a legacy .doc through the first converter that works."""
    converters = doc_converters()
    if not converters:
        raise SourceError(f"{path.name} is a legacy Word .doc file and no converter is installed (LibreOffice or "
                          "antiword): open it in Word or WPS and save it as .docx, or run "
                          f"`soffice --headless --convert-to docx {path.name}`")
    failures = []
    for name in converters:
        try:
            text = _antiword(path) if name == "antiword" else _soffice(name, path)
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError) as e:
            failures.append(f"{name}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
            continue
        if text.strip():
            return text
        failures.append(f"{name}: no text")
    raise SourceError(f"{path.name}: the legacy .doc could not be converted ({'; '.join(failures)}); "
                      "save it as .docx")


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
