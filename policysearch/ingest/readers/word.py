"""Word files: .docx (python-docx)."""

from __future__ import annotations

from pathlib import Path

from ...errors import SourceError
from . import SourceText, reader


@reader(".docx")
def read_docx(path: Path, rel: str) -> list[SourceText]:
    text = docx_text(path)
    if not text.strip():
        raise SourceError("empty file (the document has no text)")
    return [SourceText(rel, text, "docx", "docx")]


def docx_text(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise SourceError(f"not a readable Word .docx file ({type(e).__name__})") from e
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("　".join(cell.text for cell in row.cells))
    return "\n".join(lines)
