"""Formats: PDF with a text layer, scanned PDF refused, legacy .doc, .docx tables in place, control characters.

The PDFs are built here with reportlab (tests/pdfdoc.py) as official documents laid out by GB/T 9704; the
text they carry comes from the bundled seeds, and reading the PDF must give the same clauses as reading
the seed's text.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policysearch.ingest.clean import FORBIDDEN_RE, clean, drop_page_furniture, is_page_number, strip_controls
from policysearch.ingest.metadata import iso_date
from policysearch.ingest.pipeline import read_documents
from policysearch.ingest.readers import SourceError, read_source
from policysearch.ingest.readers.word import doc_converters
from policysearch.model import Document
from policysearch.text.docnumber import DOC_NUMBER_RE

from .conftest import CORPUS
from .pdfdoc import CENTRED, OfficialDocument, build_pdf, build_scanned_pdf

SHARED = CORPUS.parent.parent / "shared"


def _ws(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _clauses(doc: Document) -> list[tuple[str, str]]:
    return [(c.path, _ws(c.text)) for top in doc.clauses for c in top.walk()]


def _is_name(line: str) -> bool:
    return len(line) <= 12 and not re.search(r"[，。、；：:]", line)


def official_layout(doc: Document, **extra) -> OfficialDocument:
    """Lay out a document read from text as GB/T 9704 would: title on two centred lines, 发文字号 above it,
    the 主送 line flush left, the body indented, the signature names and the date right-aligned."""
    lines = doc.text.split("\n")
    title = lines.pop(0)
    number = lines.pop(0) if lines and DOC_NUMBER_RE.fullmatch(lines[0].strip()) else ""
    date = lines.pop() if iso_date(lines[-1]) and len(lines[-1]) <= 12 else ""
    signature: list[str] = []
    while lines and _is_name(lines[-1]):
        signature.insert(0, lines.pop())
    cut = len(title) * 3 // 5
    body = [("\t" + ln if ln.endswith(("：", ":")) and k == 0 else ln) for k, ln in enumerate(lines)]
    return OfficialDocument(title_lines=[title[:cut], title[cut:]], body=body, doc_number=number,
                            signature=signature, date=date, **extra)


@pytest.fixture(scope="module")
def seed_1772() -> Document:
    [doc] = read_documents(CORPUS / "2013-ndrc-1772.txt", CORPUS)
    return doc


@pytest.fixture(scope="module")
def pdf_1772(tmp_path_factory, seed_1772) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "1772.pdf"
    layout = official_layout(
        seed_1772, issuer_mark="国家发展和改革委员会文件", running_header="国家发展和改革委员会行政规范性文件",
        banji=["抄送：国务院办公厅，各省、自治区、直辖市人民政府。", "国家发展改革委办公厅  2013年9月16日印发"])
    return build_pdf(path, layout)


def test_a_seed_laid_out_as_a_pdf_reads_to_the_same_clauses(pdf_1772, seed_1772):
    [doc] = read_documents(pdf_1772, pdf_1772.parent)
    text_clauses = [c for c in _clauses(seed_1772) if c[0] not in ("preamble", "signature")]
    pdf_clauses = [c for c in _clauses(doc) if c[0] not in ("preamble", "signature")]
    assert len(text_clauses) >= 15
    assert pdf_clauses == text_clauses
    # the preamble (主送 and the opening paragraph) and the closing hold the same text, plus the header
    preamble = dict(_clauses(doc))["preamble"]
    assert preamble.endswith(dict(_clauses(seed_1772))["preamble"].split("1772号")[-1])
    assert doc.doc_number == seed_1772.doc_number == "发改高技〔2013〕1772号"
    assert doc.date == seed_1772.date == "2013-09-13"


def test_pdf_page_furniture_is_dropped_and_the_issuer_mark_is_the_first_line(pdf_1772):
    [src] = read_source(pdf_1772, pdf_1772.parent)
    lines = src.text.split("\n")
    assert lines[0] == "国家发展和改革委员会文件"
    assert lines[1] == "发改高技[2013]1772号"
    assert lines[2] == "关于启动第二批国家电子商务示范城市创建工作有关事项的通知"  # two centred lines, one title
    assert "行政规范性文件" not in src.text  # running header
    assert not [ln for ln in lines if re.fullmatch(r"—\s*\d+\s*—", ln)]  # page numbers
    assert lines[-2:] == ["抄送：国务院办公厅，各省、自治区、直辖市人民政府。", "国家发展改革委办公厅　2013年9月16日印发"]
    # a paragraph broken across a page keeps its words together
    text = clean(src.text, "pdf")
    assert "有利于电子商务健康快速发展的法规政策，编制电子商务发展规划" in text


def test_pdf_without_justification_and_with_other_page_numbers(tmp_path, seed_1772):
    layout = official_layout(seed_1772, justify=False, page_numbers="第{n}页 共9页", chars_per_line=26)
    path = build_pdf(tmp_path / "ragged.pdf", layout)
    [doc] = read_documents(path, tmp_path)
    assert "第2页" not in doc.text and "共9页" not in doc.text
    assert [c for c in _clauses(doc) if c[0] != "preamble"][:-1] == \
        [c for c in _clauses(seed_1772) if c[0] != "preamble"][:-1]


def test_a_scanned_pdf_without_text_is_refused_in_one_line(tmp_path):
    path = build_scanned_pdf(tmp_path / "扫描件.pdf", pages=2)  # grey bars where lines would be, no letters
    with pytest.raises(SourceError) as e:
        read_source(path, tmp_path)
    assert str(e.value) == "no text layer (scanned image), and OCR found no text on its 2 pages"


def test_a_broken_pdf_is_refused_in_one_line(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF")
    with pytest.raises(SourceError) as e:
        read_source(path, tmp_path)
    assert "not a readable PDF file" in str(e.value) or "no text layer" in str(e.value)
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("line,positional,expected", [
    ("— 3 —", False, True), ("- 12 -", False, True), ("－ 3 －", False, True), ("第3页 共5页", False, True),
    ("第 3 页", False, True), ("共5页 第3页", False, True), ("Page 3 of 5", False, True),
    ("3", False, False), ("3", True, True), ("3/5", True, True), ("3、网商发展指数百强城市", True, False),
    ("第三条 本办法自发布之日起施行。", True, False), ("2013年9月13日", True, False),
])
def test_page_numbers(line, positional, expected):
    assert is_page_number(line, positional) is expected


def test_text_from_another_pdf_tool_loses_page_numbers_and_running_headers():
    page = ["国家发展和改革委员会文件汇编", "一、总体要求", "（一）指导思想。深入贯彻落实。", "— {n} —"]
    lines = [ln.format(n=n) for n in range(1, 4) for ln in page]
    assert drop_page_furniture(lines) == [page[0]] + [ln for ln in lines if ln.startswith(("一", "（"))]
    # a line repeated away from any page number stays
    body = ["（一）加强领导。", "附件：", "（一）加强领导。", "— 1 —"]
    assert drop_page_furniture(body) == body[:3]


def test_a_long_pdf_is_read_whole(tmp_path, seed_1772):
    """A notice of twenty-odd pages comes back with every paragraph of every page (its speed is measured by
    bench/score_real.py on real PDFs, not here)."""
    layout = official_layout(seed_1772)
    layout.body = layout.body * 6
    path = build_pdf(tmp_path / "long.pdf", layout)
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(str(path)))
    [src] = read_source(path, tmp_path)
    assert pages >= 20
    text = re.sub(r"\s", "", src.text)
    para = re.sub(r"\s", "", max(layout.body, key=len))
    assert text.count(para) == 6


# --- Word ---------------------------------------------------------------------------------------------

def test_docx_table_stays_inside_its_clause(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("关于开展示范基地创建工作的通知")
    d.add_paragraph("各省、自治区、直辖市商务主管部门：")
    d.add_paragraph("一、申报条件")
    d.add_paragraph("申报单位应具备以下条件。")
    d.add_paragraph("二、名额分配")
    d.add_paragraph("各地推荐名额如下表：")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["地区", "名额", "备注"], ["东部", "3", ""], ["中部", "2", "含东北"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = d.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合计"
    merged.cell(1, 0).text = "5"
    merged.cell(1, 1).text = "个"
    d.add_paragraph("三、工作要求")
    d.add_paragraph("请于11月底前报送。")
    d.save(tmp_path / "n.docx")
    [src] = read_source(tmp_path / "n.docx", tmp_path)
    lines = src.text.split("\n")
    assert lines[lines.index("各地推荐名额如下表：") + 1:lines.index("三、工作要求")] == [
        "地区\t名额\t备注", "东部\t3", "中部\t2\t含东北", "合计", "5\t个"]
    [doc] = read_documents(tmp_path / "n.docx", tmp_path)
    two = doc.clause("二")
    assert two is not None and "中部\t2\t含东北" in two.text and "合计" in two.text
    assert "东部" not in doc.clause("三").text and "东部" not in doc.clause("一").text


def test_docx_nested_table_and_vertical_merge_are_not_doubled(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("一、名单")
    table = d.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "东部地区"
    for r, city in enumerate(["上海", "杭州", "南京"]):
        table.cell(r, 1).text = city
    d.save(tmp_path / "m.docx")
    [src] = read_source(tmp_path / "m.docx", tmp_path)
    assert src.text.count("东部地区") == 1
    assert src.text.split("\n")[1:] == ["东部地区\t上海", "\t杭州", "\t南京"]


def test_docx_automatic_article_numbers_are_written_out(tmp_path):
    """A regulation drafted with Word's automatic numbering (第%1条 in Chinese numerals, items （%2）) keeps
    its article and item numbers."""
    import docx

    d = docx.Document()
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    num_id = d.styles["List Number"].element.find(f"{w}pPr/{w}numPr/{w}numId").get(f"{w}val")
    numbering = d.part.numbering_part.element
    [num] = [n for n in numbering.iter(f"{w}num") if n.get(f"{w}numId") == num_id]
    abstract_id = num.find(f"{w}abstractNumId").get(f"{w}val")
    [abstract] = [a for a in numbering.iter(f"{w}abstractNum") if a.get(f"{w}abstractNumId") == abstract_id]
    levels = {lvl.get(f"{w}ilvl"): lvl for lvl in abstract.iter(f"{w}lvl")}
    if "1" not in levels:  # the template's list has one level: add the item level
        levels["1"] = copy.deepcopy(levels["0"])
        levels["1"].set(f"{w}ilvl", "1")
        levels["0"].addnext(levels["1"])
    for ilvl, lvl in levels.items():
        if ilvl in ("0", "1"):
            lvl.find(f"{w}numFmt").set(f"{w}val", "chineseCounting")
            lvl.find(f"{w}lvlText").set(f"{w}val", "第%1条" if ilvl == "0" else "（%2）")
    d.add_paragraph("某某管理办法")
    d.add_paragraph("第一章 总则")
    for k, text in enumerate(["为了规范管理，制定本办法。", "本办法适用于下列单位：", "机关；", "事业单位。",
                              "本办法自发布之日起施行。"] + ["其他规定。"] * 8):
        para = d.add_paragraph(text, style="List Number")
        if k in (2, 3):
            numpr = para._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = 1
    d.save(tmp_path / "rules.docx")
    [src] = read_source(tmp_path / "rules.docx", tmp_path)
    lines = src.text.split("\n")
    assert lines[2:7] == ["第一条 为了规范管理，制定本办法。", "第二条 本办法适用于下列单位：", "（一）机关；",
                          "（二）事业单位。", "第三条 本办法自发布之日起施行。"]
    assert lines[-1] == "第十一条 其他规定。"
    [doc] = read_documents(tmp_path / "rules.docx", tmp_path)
    assert "第一条" in doc.text and "第十一条" in doc.text


@pytest.mark.parametrize("n,cn", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"),
                                  (110, "一百一十"), (1001, "一千零一")])
def test_chinese_numerals_as_word_writes_them(n, cn):
    from policysearch.ingest.readers.word import chinese_numeral

    assert chinese_numeral(n) == cn


def test_legacy_doc_without_a_converter_says_how_to_convert(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "旧通知.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(SourceError) as e:
        read_source(path, tmp_path)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("a legacy Word file that could not be read")
    assert "save it as .docx" in msg


def test_a_docx_saved_under_the_doc_name_is_read(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("关于测试的通知")
    d.add_paragraph("一、总体要求")
    d.save(tmp_path / "real.docx")
    (tmp_path / "n.doc").write_bytes((tmp_path / "real.docx").read_bytes())
    [src] = read_source(tmp_path / "n.doc", tmp_path)
    assert src.text == "关于测试的通知\n一、总体要求"


@pytest.mark.skipif(not any(shutil.which(n) for n in ("soffice", "libreoffice")), reason="LibreOffice not installed")
def test_legacy_doc_through_libreoffice(tmp_path):
    import docx

    d = docx.Document()
    for line in (CORPUS / "2013-ndrc-1772.txt").read_text("utf-8").splitlines()[:8]:
        d.add_paragraph(line)
    d.save(tmp_path / "n.docx")
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([exe, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path / "out"),
                    str(tmp_path / "n.docx")], check=True, capture_output=True, timeout=180)
    assert doc_converters()
    [doc] = read_documents(tmp_path / "out" / "n.doc", tmp_path / "out")
    assert doc.doc_number == "发改高技〔2013〕1772号"
    assert doc.clause("二/(一)") is not None


# --- control characters ------------------------------------------------------------------------------

ATTACK = ("关于\x1b]52;c;ZWNobyBoYWNrZWQ=\x07加强\x1b[2J\x1b[H管理的通知\n一、总体要求\x1b[31m红色\x1b[0m"
          "\x9b2J\x1bP1;2q\x1b\\\x07\x00\x7f\x85（一）工作目标。\x1b(B到2025年。")


def test_escape_sequences_are_removed_whole():
    assert strip_controls(ATTACK) == "关于加强管理的通知\n一、总体要求红色\n（一）工作目标。到2025年。"
    assert strip_controls("a\r\nb\rc\fd\te") == "a\nb\nc\nd\te"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".jsonl", ".docx"])
def test_no_format_lets_a_control_character_through(tmp_path, suffix):
    path = tmp_path / f"n{suffix}"
    attack = ATTACK.replace("\x00", "")  # a NUL makes a text file binary (refused as such)
    if suffix == ".jsonl":
        path.write_text(json.dumps({"title": "标题\x1b[2J", "content": ATTACK}, ensure_ascii=False), "utf-8")
        path.write_text(path.read_text("utf-8").replace("\\u001b", "\x1b"), "utf-8")  # raw ESC in the file too
    elif suffix == ".html":
        path.write_text(f"<html><body><article><p>{attack.replace(chr(10), '</p><p>')}</p></article></body></html>",
                        "utf-8")
    elif suffix == ".docx":
        import docx

        d = docx.Document()
        for line in strip_controls(ATTACK).split("\n"):
            d.add_paragraph(line)
        d.paragraphs[0].runs[0]._r.append(d.paragraphs[0].runs[0]._r.makeelement(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t", {}))
        d.paragraphs[0].runs[0]._r[-1].text = "x"  # python-docx refuses control characters; the text is safe
        d.save(path)
    else:
        path.write_text(attack, "utf-8")
    srcs = read_source(path, tmp_path)
    for src in srcs:
        assert not FORBIDDEN_RE.search(src.text)
        assert not any(FORBIDDEN_RE.search(v) for v in src.fields.values())
    docs = read_documents(path, tmp_path)
    for doc in docs:
        assert not FORBIDDEN_RE.search(doc.text)
        assert not FORBIDDEN_RE.search(doc.title)
        for top in doc.clauses:
            for c in top.walk():
                assert doc.text[c.start:c.start + len(c.text)] == c.text  # offsets into the stored text hold


def test_control_characters_in_a_pdf(tmp_path):
    layout = OfficialDocument(title_lines=["关于加强管理的通知"], body=["一、总体要求\x1b[2J", "加强\x07管理。"])
    path = build_pdf(tmp_path / "c.pdf", layout)
    [src] = read_source(path, tmp_path)
    assert not FORBIDDEN_RE.search(src.text)
    assert "加强管理。" in src.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=None, exclude_categories=("Cs",)), max_size=200)
       | st.text(alphabet="\x1b[]();?0123456789PX^_\\\x07\x9b\x9c\x9dJmHa中文\n\r\t\x00\x7f\x85", max_size=120))
def test_stripped_text_never_holds_a_control_character(text):
    out = strip_controls(text)
    assert not FORBIDDEN_RE.search(out)
    assert strip_controls(out) == out


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([".txt", ".md", ".html", ".jsonl"]),
       st.binary(max_size=400) | st.text(max_size=200).map(lambda s: ("通知\n" + s).encode("utf-8"))
       | st.text(max_size=200).map(lambda s: json.dumps({"title": s, "content": "通知" + s}).encode("utf-8")))
def test_read_source_on_arbitrary_bytes_never_returns_a_control_character(tmp_path_factory, suffix, data):
    path = tmp_path_factory.mktemp("bytes") / f"n{suffix}"
    path.write_bytes(data)
    try:
        srcs = read_source(path, path.parent)
    except SourceError:
        return
    for src in srcs:
        assert not FORBIDDEN_RE.search(src.text)
        assert not any(FORBIDDEN_RE.search(v) for v in src.fields.values())


# --- real documents ----------------------------------------------------------------------------------

@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds absent")
def test_every_seed_as_a_pdf_keeps_its_numbered_clauses(tmp_path):
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        docs = read_documents(seed, seed.parent)
        doc = docs[0]
        if len(doc.text.split("\n")) < 4:
            continue
        path = build_pdf(tmp_path / f"{seed.stem}.pdf", official_layout(doc))
        [pdf_doc, *_] = read_documents(path, tmp_path)
        want = [p for p, _ in _clauses(doc) if p not in ("preamble", "signature")]
        got = [p for p, _ in _clauses(pdf_doc) if p not in ("preamble", "signature")]
        assert got[:len(want)] == want, seed.name


def law_layout(md: str, **extra) -> OfficialDocument:
    """A regulation as printed: title, its information block centred under it, chapter headings centred,
    articles and their paragraphs indented."""
    lines = [ln.strip() for ln in md.split("\n") if ln.strip()]
    k = lines.index("<!-- INFO END -->") if "<!-- INFO END -->" in lines else 1
    body = [CENTRED + ln for ln in lines[1:k]]
    body += [CENTRED + ln.lstrip("# ") if ln.startswith("#") else ln for ln in lines[k + 1:]]
    return OfficialDocument(title_lines=[lines[0].lstrip("# ")], body=body, **extra)


LAWS = SHARED / "real" / "laws"


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws absent")
@pytest.mark.parametrize("extra", [
    {}, {"justify": False, "chars_per_line": 30, "page_numbers": "第{n}页 共99页", "running_header": "国务院公报"},
], ids=["justified", "ragged"])
def test_regulations_as_pdfs_read_to_the_same_text_and_clauses(tmp_path, extra):
    """Every article, chapter and paragraph of a regulation printed to PDF comes back as in its text."""
    files = sorted(LAWS.glob("*.md"))[::85]  # eight regulations spread over the set
    for f in files:
        [doc, *_] = read_documents(f, LAWS)
        path = build_pdf(tmp_path / f"{f.stem}.pdf", law_layout(f.read_text("utf-8"), **extra))
        [pdf_doc, *_] = read_documents(path, tmp_path)
        want = doc.text.split("\n")
        info_end = [k for k, ln in enumerate(want) if "INFO END" in ln]
        want = want[info_end[0] + 1:] if info_end else want[1:]  # the text after the information block
        got = pdf_doc.text.split("\n")
        assert got[-len(want):] == want, f.name
        # the preamble differs (the PDF has no information block): every chapter, article and paragraph agrees
        assert [c for c in _clauses(pdf_doc) if c[0] != "preamble"] == \
            [c for c in _clauses(doc) if c[0] != "preamble"], f.name


def _renders_chinese(pdf: Path) -> bool:
    """Whether pdfium draws the CID font's Chinese here (it needs a CJK font installed to stand in for it)."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(pdf))[0]
    gray = page.render(scale=1).to_pil().convert("L")
    return sum(gray.histogram()[:128]) > 20_000  # the page's text, not only its rules and page number


@pytest.mark.timeout(300)
@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds absent")
@pytest.mark.parametrize("stem", ["001_", "003_"])
def test_ocr_reads_a_seed_rendered_as_a_scan(tmp_path, stem):
    """A seed laid out by GB/T 9704, its pages rendered to pictures at 150 dpi as a scanner makes them, is read by
    OCR to the same fields as its text layer gives, with ≥ 98% of the characters right (1 - edit distance over
    the length of the text-layer reading, whitespace aside, punctuation width unified); page numbers as OCR reads
    them ("一2一") are page furniture, not text."""
    import unicodedata

    from rapidfuzz.distance import Levenshtein

    from .pdfdoc import scan_of

    seed = next((SHARED / "seeds").glob(f"{stem}*.txt"))
    pdf = build_pdf(tmp_path / "seed.pdf", official_layout(read_documents(seed, seed.parent)[0]))
    if not _renders_chinese(pdf):
        pytest.skip("no CJK font to render the seed's Chinese with (CI installs fonts-wqy-microhei)")
    scan = scan_of(pdf, tmp_path / "scan.pdf")
    layer, ocr = read_documents(pdf, tmp_path), read_documents(scan, tmp_path)
    assert "OCR" not in layer[0].extra and ocr[0].extra["OCR"].endswith("read by OCR")
    fields = [(unicodedata.normalize("NFKC", d.title), d.doc_number, d.issuers, d.date) for d in (layer[0], ocr[0])]
    assert fields[1] == fields[0] and fields[0][0]

    def flat(docs: list[Document]) -> str:
        return _ws(unicodedata.normalize("NFKC", "".join(c.text for d in docs for c in d.walk())))

    want, got = flat(layer), flat(ocr)
    accuracy = 1 - Levenshtein.distance(want, got) / len(want)
    assert accuracy >= 0.98, f"{seed.name}: {accuracy:.4f}"
    assert not re.search(r"[-—一]\d{1,3}[-—一]", got)


@pytest.mark.timeout(300)
@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds absent")
def test_ocr_reads_a_traditional_scan_in_its_own_script(tmp_path):
    """The traditional-script seed rendered as a 150-dpi scan: the recognition model reads some characters in their
    simplified form (稅 as 税, 規 as 规); on a page in traditional script those come back in it (93.9% → 95.7% of
    the characters right; the rest are characters the model does not know and drops, or reads as a look-alike).
    No character that traditional script never writes is left where the text layer has its traditional form."""
    import unicodedata

    from rapidfuzz.distance import Levenshtein

    from policysearch.text.variants import simplified_only

    from .pdfdoc import scan_of

    seed = next((SHARED / "seeds").glob("002_*.txt"))
    [doc, *_] = read_documents(seed, seed.parent)
    assert doc.traditional
    pdf = build_pdf(tmp_path / "seed.pdf", official_layout(doc))
    if not _renders_chinese(pdf):
        pytest.skip("no CJK font to render the seed's Chinese with (CI installs fonts-wqy-microhei)")
    layer, ocr = read_documents(pdf, tmp_path), read_documents(scan_of(pdf, tmp_path / "scan.pdf"), tmp_path)

    def flat(docs: list[Document]) -> str:
        return _ws(unicodedata.normalize("NFKC", "".join(c.text for d in docs for c in d.walk())))

    want, got = flat(layer), flat(ocr)
    assert 1 - Levenshtein.distance(want, got) / len(want) >= 0.95
    only = simplified_only()
    assert only, "OpenCC's dictionary tool is part of the opencc wheel"
    wrong = [op for op in Levenshtein.editops(want, got) if op.tag == "replace" and got[op.dest_pos] in only]
    assert len(wrong) <= 3, [(want[op.src_pos], got[op.dest_pos]) for op in wrong]
