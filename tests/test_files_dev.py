"""Files of city and county governments (../shared/real/files-dev, truth read by hand): every field right, pages
without a usable text layer read by OCR, what cannot be read refused with its reason, never ingested as junk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policysearch.config import Limits
from policysearch.errors import SourceError
from policysearch.ingest.pipeline import read_documents
from policysearch.ingest.readers import read_source
from tests.pdfdoc import scan_of

FILES = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "files-dev"

pytestmark = pytest.mark.skipif(not FILES.is_dir(), reason="../shared/real/files-dev is not beside the checkout")


def truth() -> dict[str, dict]:
    return json.loads((FILES / "truth.json").read_text("utf-8"))


@pytest.mark.timeout(300)
def test_pdfs_without_a_usable_text_layer_are_read_by_ocr(tmp_path):
    """A scan (every page a picture) and a PDF whose fonts map their glyphs to ASCII are read by OCR: title, number,
    issuers, date, first and last sentence as read by hand; a seal's ring of text over the signature is no issuer;
    the document says which pages OCR read.  A real notice scanned here (its pages as pictures only) reads the
    same; more pages than the OCR limit refuse it, saying so."""
    bad = {name: t for name, t in truth().items() if t.get("pdf_text") in ("scanned", "garbage")}
    assert {t["pdf_text"] for t in bad.values()} == {"scanned", "garbage"}
    garbled = next(name for name, t in bad.items() if t["pdf_text"] == "garbage")
    (tmp_path / "scan").mkdir()
    scanned_here = scan_of(FILES / garbled, tmp_path / "scan" / garbled)
    for path, t in [*((FILES / name, t) for name, t in bad.items()), (scanned_here, bad[garbled])]:
        docs = read_documents(path, path.parent)
        doc = docs[0]
        assert (doc.title.replace(" ", ""), doc.doc_number, doc.issuers, doc.date) == (
            t["title"].replace(" ", ""), t["doc_number"], t["issuers"], t["date"]), path
        body = "".join(c.text for d in docs for c in d.walk()).replace(" ", "")
        assert t["first"].replace(" ", "") in body and t["last"].replace(" ", "") in body, path
        assert doc.extra["OCR"].endswith("read by OCR"), path
    with pytest.raises(SourceError) as e:
        read_source(scanned_here, scanned_here.parent, Limits(ocr_pages=1))
    assert str(e.value).startswith("too large for OCR: 2 pages without a text layer (scanned images), over the "
                                   "limit for OCR (1 pages) by 1; raise it with --max-ocr-pages")


def test_pdfs_with_a_good_text_layer_are_read_whole():
    for name, t in truth().items():
        if t.get("pdf_text") != "good":
            continue
        docs = read_documents(FILES / name, FILES)
        body = "".join(c.text for d in docs for top in d.clauses for c in top.walk()).replace(" ", "")
        assert t["last"].replace(" ", "") in body or t["first"].replace(" ", "")[:12] in body, name


@pytest.mark.parametrize("name,phrase", [  # the truth has no fields for forms: a line of the file as Word shows it
    ("42bffd62ee9a.wps", "新增医疗服务价格项目规范表"), ("3172fd2f52c4.doc", "的起草说明"),
    ("64fbd75ec8b5.doc", "为认真贯彻落实党中央、国务院关于城镇房屋安全管理工作的决策部署"),
    ("6aa12234c616.doc", "北京市商业步行街高质量发展评价指标体系（试行）")])
def test_legacy_word_and_wps_files_are_read_without_a_converter(name, phrase, monkeypatch):
    """legacy-doc (pure Python) reads them: nothing to install."""
    from policysearch.ingest.readers import word

    monkeypatch.setattr(word, "doc_converters", lambda: [])
    docs = read_documents(FILES / name, FILES)
    text = "".join(d.text for d in docs)
    assert phrase in text and len(text) > 1000, name


def test_a_legacy_file_legacy_doc_cannot_read_goes_to_antiword():
    import shutil

    if not shutil.which("antiword"):
        pytest.skip("antiword is not installed (.ci/run installs it)")
    t = truth()["796224c97cfb.doc"]
    docs = read_documents(FILES / "796224c97cfb.doc", FILES)
    text = "".join(d.text for d in docs).replace(" ", "")
    assert t["first"].replace(" ", "")[:15] in text


@pytest.mark.parametrize("name", ["1b08154c7a72.html", "586c664b3733.html", "7b3f26211f1f.html", "1c23f92c67fc.html"])
def test_a_number_a_site_gives_only_as_a_labelled_field_is_read(name):
    """<li>备注/文号：…</li>, <h1>文件编号：</h1><p>…</p>, <strong>文　　号：</strong>…, [发文字号] …: outside any
    table, often in the page's chrome."""
    [doc, *_] = read_documents(FILES / name, FILES)
    assert doc.doc_number == truth()[name]["doc_number"]


@pytest.mark.parametrize("name", ["45a677fa0a40.docx", "9c6b5e731b0a.docx"])
def test_a_rules_history_in_the_parenthesis_under_its_title(name):
    """（2022年12月23日北京市人民政府第307号令公布　自2023年3月1日起施行）: number as printed, issuer, date and the
    date it takes effect; the parenthesis is not body text."""
    t = truth()[name]
    [doc] = read_documents(FILES / name, FILES)
    assert (doc.title, doc.doc_number, doc.issuers, doc.date) == (t["title"], t["doc_number"], t["issuers"], t["date"])
    assert doc.effective and doc.effective > doc.date
    assert not doc.clauses[0].text.startswith("（")


def test_an_order_number_written_either_way_is_one_number():
    from policysearch.text.docnumber import order_matches, parse_order

    assert parse_order("2022年12月23日北京市人民政府第307号令公布") == "北京市人民政府第307号令"
    assert order_matches("北京市人民政府令第307号", "北京市人民政府第307号令")
    assert not order_matches("北京市人民政府令第306号", "北京市人民政府第307号令")


def test_pdf_notices_have_their_title_number_and_date():
    """Sizes as pdfium reports them can be the font's before the text matrix scales it (439 for a 27 pt title):
    lines, titles and the 发文字号 are found from the characters' boxes then."""
    checked = 0
    for name, t in truth().items():
        if t["format"] != "pdf" or t.get("pdf_text") != "good" or t["kind"] != "notice":
            continue
        [doc, *_] = read_documents(FILES / name, FILES)
        assert (doc.title, doc.doc_number, doc.date) == (t["title"], t["doc_number"], t["date"]), name
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("name", ["dc1a811bb966.html", "b8fe8397e0a6.html", "a783c350af75.docx"])
def test_titles_and_issuers_as_issued(name):
    """A site's name in the page title (长沙市政府门户网站-…) and a number in brackets after the title (…的通知
    （沪教委规〔2021〕2号）) are not the title; two bodies set as one name in a signature are two issuers."""
    t = truth()[name]
    [doc, *_] = read_documents(FILES / name, FILES)
    assert doc.title.replace(" ", "") == t["title"].replace(" ", "")  # a joint title's issuers set apart or not
    assert doc.doc_number == t["doc_number"] and doc.issuers == t["issuers"]


def test_helpers_for_names_and_titles():
    from policysearch.ingest.metadata import split_joined
    from policysearch.ingest.readers.web import page_title

    assert split_joined(["海南省住房和城乡建设厅海南省住房公积金管理局", "国务院办公厅"]) == [
        "海南省住房和城乡建设厅", "海南省住房公积金管理局", "国务院办公厅"]
    assert split_joined(["上海市人民政府"]) == ["上海市人民政府"]
    assert page_title("长沙市政府门户网站-长沙市人民政府办公厅关于进一步加强房地产市场调控工作的通知") == \
        "长沙市人民政府办公厅关于进一步加强房地产市场调控工作的通知"
    assert page_title("关于印发《2024-2026年行动计划》的通知") == "关于印发《2024-2026年行动计划》的通知"


def test_a_crawlers_record_beside_a_page_gives_its_address_and_is_no_document(tmp_path):
    import shutil

    from policysearch.config import Settings
    from policysearch.store import open_store
    from tests.conftest import run_ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("045d30563805.html", "045d30563805.html.metadata.json", "1b08154c7a72.html",
                 "1b08154c7a72.html.metadata.json"):
        shutil.copy(FILES / name, corpus / name)
    (corpus / "orphan.metadata.json").write_text("{}", "utf-8")  # beside no file: reported like any .json
    settings = Settings(corpus, tmp_path / "index")
    report = run_ingest(settings)
    assert [p.source for p in report.problems] == ["orphan.metadata.json"]
    assert sorted(report.added) == ["045d30563805.html", "1b08154c7a72.html"]
    store = open_store(settings.index)
    try:
        doc = store.info("045d30563805")
        assert doc is not None and doc.url == json.loads(
            (FILES / "045d30563805.html.metadata.json").read_text("utf-8"))["final_url"]
    finally:
        store.close()


@pytest.mark.parametrize("name", ["eaf5f7ef9566.html", "56a456134fc2.docx"])
def test_a_label_table_without_colons_and_a_signature_set_on_one_line(name):
    """A ministry page's information table labels its cells without colons (名 称 | …, 发布机构 | 部委联合发文):
    its fields are read, a category is no issuer, and the table is no part of the text (it made a second
    document and a signature of its labels); a joint signature set on one line with its date gives each body
    and the date."""
    t = truth()[name]
    docs = read_documents(FILES / name, FILES)
    doc = docs[0]
    assert (doc.title, doc.doc_number, doc.issuers, doc.date) == (t["title"], t["doc_number"], t["issuers"],
                                                                   t["date"])
    assert not [d for d in docs[1:] if not d.attachment_of or "体裁" in d.title]
    assert "发布机构" not in doc.text and "部委联合发文" not in doc.text
    assert doc.clauses[-1].path == "signature" and "【打印】" not in doc.text


@pytest.mark.parametrize("name", ["89a792a9873b.html", "4304184b38a6.html", "b998e5cf9382.html",
                                  "1970f401a1a5.html"])
def test_numbers_and_signature_dates_pages_set_their_own_way(name):
    """A number alone on its line under a title the header rules could not place (a site's links glued to
    it); a signature spaced with EN SPACES and its date sharing a line with （此件公开发布）; a property line
    of several fields between bars (印发日期：… | 文号：… | 发文机关：…)."""
    t = truth()[name]
    [doc, *_] = read_documents(FILES / name, FILES)
    assert doc.doc_number == t["doc_number"]
    if name == "b998e5cf9382.html":  # and a table's 文号 "-" is no number
        [other, *_] = read_documents(FILES / "cb168cb2547f.html", FILES)
        assert other.doc_number is None and truth()["cb168cb2547f.html"]["doc_number"] is None
    if name != "1970f401a1a5.html":  # its date is in a signature that pairs two issuers a line
        assert doc.date == t["date"] and doc.metadata_source["date"] == "layout"


@pytest.mark.parametrize("name", ["ac4c7809270a.docx", "ef43d94f742b.html"])
def test_a_seal_note_and_a_legislature_are_issuers(name):
    """A signature with its seal's note (…厅际联席会议（代章）) is the signature, its date the notice's; a local
    regulation adopted at 北京市第十六届人民代表大会常务委员会第十三次会议 is that body's (its term left out)."""
    t = truth()[name]
    [doc, *_] = read_documents(FILES / name, FILES)
    assert (doc.issuers, doc.date) == (t["issuers"], t["date"])


def test_meeting_bodies_in_a_history():
    from policysearch.ingest.metadata import parse_info_block

    info = parse_info_block(["2017年11月4日第十二届全国人民代表大会常务委员会第三十次会议通过"])
    assert info.issuers == ["全国人民代表大会常务委员会"]
    assert parse_info_block(["2018年9月6日 国务院第23次常务会议修订通过"]).issuers == ["国务院"]
    assert parse_info_block(["1996年9月19日 经国务院批准"]).issuers == []


def test_a_page_titles_book_marks_come_back_from_the_text():
    """The page's <title> drops the 《》 of 关于印发《…若干措施》的通知; the text's title line has them (joint issuers
    letter-spaced before it): the title keeps them; a line citing a title whole (《…的通知》政策解读) adds none."""
    from policysearch.ingest.metadata import _marked_title

    name = "1970f401a1a5.html"
    [doc, *_] = read_documents(FILES / name, FILES)
    assert doc.title == truth()[name]["title"]
    assert _marked_title("关于调整我市住房公积金贷款有关支持政策的通知",
                         ["《关于调整我市住房公积金贷款有关支持政策的通知》政策解读"]) is None


@pytest.mark.parametrize("name", ["524b381def4e.html", "d96e8642cfa7.html", "cb168cb2547f.html", "96982f8dc95c.html",
                                  "1970f401a1a5.html"])
def test_a_pages_paragraphs_stay_apart_and_its_own_words_name_it(name):
    """A page's <p>s are paragraphs, not wrapped lines: the attachment line, the issuer under it and the date stay
    three lines (they ran together as one, and the notice had no signature); a 规范性文件's registration note
    under the date still closes the signature; the bodies that sign a notice are its issuers, not the body a site
    names as its publisher (发布机构, ContentSource); the title its own title line gives, issuer and 《》 too,
    over a page title without them, even across the lines it is set on."""
    t = truth()[name]
    [doc, *_] = read_documents(FILES / name, FILES)
    assert (doc.title, doc.issuers, doc.date) == (t["title"], t["issuers"], t["date"])
    signature = next(c for c in doc.clauses if c.path == "signature")
    assert t["issuers"][-1] in signature.text


@pytest.mark.parametrize("name", ["b8fe8397e0a6.html", "4c4d70d534b0.html", "a2259deed490.html"])
def test_a_page_wrapped_in_a_form_a_number_set_as_a_heading_and_empty_labels_under_the_signature(name):
    """A page whose notice sits inside one <form> keeps its notice (it was dropped as a search box: the
    document was 无障碍 and 繁体版); a number set as a heading under the title (<h3>) is the number; a page's
    empty labels under the date (关联稿件：, 相关附件：) do not hide the signature (its four bodies are the issuers,
    not the title's 等部门)."""
    t = truth()[name]
    docs = read_documents(FILES / name, FILES)
    doc = docs[0]
    assert (doc.title, doc.doc_number, doc.issuers, doc.date) == (t["title"], t["doc_number"], t["issuers"], t["date"])
    body = "".join(c.text for d in docs for c in d.walk()).replace(" ", "")  # with the 办法 it issues
    assert t["first"].replace(" ", "") in body and t["last"].replace(" ", "") in body


@pytest.mark.timeout(300)
def test_a_scan_ingested_is_searchable_and_shown_as_read_by_ocr(tmp_path):
    import shutil

    from click.testing import CliRunner

    from policysearch.cli import cli

    name = next(n for n, t in truth().items() if t.get("pdf_text") == "scanned")
    (tmp_path / "corpus").mkdir()
    shutil.copy(FILES / name, tmp_path / "corpus" / name)
    where = ["--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")]
    run = CliRunner().invoke
    assert run(cli, [*where, "ingest"]).exit_code == 0
    found = run(cli, [*where, "search", "燕赵英才卡"])
    assert found.output.startswith("1 clause matches 燕赵英才卡") and "二/3" in found.output
    shown = run(cli, [*where, "show", name.removesuffix(".pdf")]).output.splitlines()
    assert shown[2] == "pages 1–3 read by OCR"


def test_a_red_header_drawn_as_shapes_is_read_by_ocr():
    """A 发文机关标志 drawn as red shapes, not text (two bodies and 文件 on the right): read by OCR above the
    page's first text, it gives the issuers; a page with a text mark, or no red above its text, is not read."""
    name = "cb72a9fad5a0.pdf"
    t = truth()[name]
    [doc, *_] = read_documents(FILES / name, FILES)
    assert doc.issuers == t["issuers"] == ["上海市住房和城乡建设管理委员会", "上海市房屋管理局"]
    assert doc.text.split("\n", 1)[0] == "上海市住房和城乡建设管理委员会 上海市房屋管理局文件"
    assert "OCR" not in doc.extra  # the notice's own text is its text layer
