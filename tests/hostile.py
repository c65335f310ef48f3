"""Files built to hurt a reader, made in the test that uses them (never committed): XML entity tricks, zip
bombs, oversized text, deeply nested pages, broken and degenerate PDFs."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

SEED_DOCX_TEXT = "关于印发测试办法的通知"


def plain_docx(path: Path, text: str = SEED_DOCX_TEXT) -> Path:
    from docx import Document

    d = Document()
    d.add_paragraph(text)
    d.save(str(path))
    return path


def docx_with_document_xml(path: Path, make_xml) -> Path:  # noqa: ANN001 - callable(str) -> str
    """A real .docx whose word/document.xml is replaced by make_xml(original)."""
    base = plain_docx(path.with_name(path.stem + ".base.tmp"))
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = make_xml(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data)
    base.unlink()
    return path


def _without_declaration(xml: str) -> str:
    return xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml


def billion_laughs_docx(path: Path) -> Path:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return docx_with_document_xml(path, lambda xml: f'<?xml version="1.0"?>\n<!DOCTYPE w:document [{entities}]>'
                                  + _without_declaration(xml).replace(SEED_DOCX_TEXT, "&lol9;"))


def external_entity_docx(path: Path, target: Path) -> Path:
    """A .docx whose text is an external entity naming a file outside the corpus."""
    decl = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target.as_uri()}">]>'
    return docx_with_document_xml(path, lambda xml: f'<?xml version="1.0"?>\n{decl}'
                                  + _without_declaration(xml).replace(SEED_DOCX_TEXT, "关于&xxe;的通知"))


def zip_bomb_docx(path: Path, inflated: int = 1 << 30) -> Path:
    """A .docx whose word/document.xml inflates to ``inflated`` bytes (spaces after the real XML)."""
    base = plain_docx(path.with_name(path.stem + ".base.tmp"))
    chunk = b" " * (1 << 22)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "word/document.xml":
                out.writestr(item, data)
                continue
            info = zipfile.ZipInfo(item.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            with out.open(info, "w", force_zip64=True) as f:
                f.write(data)
                left = inflated - len(data)
                while left > 0:
                    f.write(chunk[:left])
                    left -= len(chunk)
    base.unlink()
    return path


def lying_zip_docx(path: Path, inflated: int = 50_000_000) -> Path:
    """A zip bomb whose directory says word/document.xml is small: its declared sizes are rewritten."""
    bomb = zip_bomb_docx(path, inflated)
    data = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as z:
        info = z.getinfo("word/document.xml")
    name = b"word/document.xml"
    # The local header: uncompressed size at 22; with zip64 the real sizes are in the extra field.
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    central = data.rfind(b"PK\x01\x02" + data[local + 4:local + 6])
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.rfind(b"PK\x01\x02", 0, central)
    for at in (local + 22, central + 24):
        if struct.unpack_from("<I", data, at)[0] != 0xFFFFFFFF:
            struct.pack_into("<I", data, at, 4096)
    for zip64 in _zip64_extras(data, local + 30 + len(name), struct.unpack_from("<H", data, local + 28)[0]):
        struct.pack_into("<Q", data, zip64, 4096)
    extra_len = struct.unpack_from("<H", data, central + 30)[0]
    for zip64 in _zip64_extras(data, central + 46 + len(name), extra_len):
        struct.pack_into("<Q", data, zip64, 4096)
    path.write_bytes(bytes(data))
    return path


def _zip64_extras(data: bytearray, start: int, length: int) -> list[int]:
    """Offsets of the uncompressed-size field of a zip64 extra block (its first field)."""
    out, at = [], start
    while at < start + length:
        tag, size = struct.unpack_from("<HH", data, at)
        if tag == 1:
            out.append(at + 4)
        at += 4 + size
    return out


def nested_html(path: Path, depth: int = 100_000) -> Path:
    path.write_text("<html><body><p>关于印发测试办法的通知</p>" + "<div>" * depth + "第一条 内容。"
                    + "</div>" * depth + "</body></html>", "utf-8")
    return path


def raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def deep_tree_pdf(path: Path, depth: int = 50_000) -> Path:
    """A PDF whose page tree nests ``depth`` levels of /Pages before its one page."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for k in range(depth):
        n = 2 + k
        parent = f" /Parent {n - 1} 0 R" if k else ""
        objs.append(f"<< /Type /Pages /Kids [{n + 1} 0 R] /Count 1{parent} >>".encode())
    page = len(objs) + 1
    objs.append(f"<< /Type /Page /Parent {page - 1} 0 R /MediaBox [0 0 595 842] /Contents {page + 1} 0 R "
                f"/Resources << /Font << /F1 {page + 2} 0 R >> >> >>".encode())
    stream = b"BT /F1 12 Tf 72 720 Td (deep) Tj ET"
    objs.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return raw_pdf(path, objs)


def empty_pages_pdf(path: Path, pages: int = 50_000) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842).close()
    pdf.save(str(path))
    pdf.close()
    return path


def same_line_pdf(path: Path, line: str = "北京市人民政府公报", pages: int = 6) -> Path:
    """Every page carries one line, the same (a site's stamp over what would be scanned pages)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from tests.pdfdoc import FONT

    c = Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        c.setFont(FONT, 10)
        c.drawString(72, A4[1] - 40, line)
        c.showPage()
    c.save()
    return path
