"""Reading files: encodings detected, formats extracted, bad files reported in one line each."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner

from policysearch.cli import cli
from policysearch.ingest.pipeline import read_documents
from policysearch.ingest.readers import SourceError, read_source

from .conftest import CORPUS, run_ingest

SEED_2013 = (CORPUS / "2013-ndrc-1772.txt").read_text("utf-8")
SEED_2016 = (CORPUS / "2016-ndrc-1284.txt").read_text("utf-8")


def write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-8-sig"])
def test_simplified_notice_in_other_encodings(tmp_path, encoding):
    p = write(tmp_path / "n.txt", SEED_2013.encode(encoding))
    [src] = read_source(p, tmp_path)
    assert src.text.replace("\r", "") == SEED_2013
    [doc] = read_documents(p, tmp_path)
    assert doc.doc_number == "发改高技〔2013〕1772号"


def test_traditional_notice_in_big5(tmp_path):
    text = SEED_2016.replace("産", "產")  # 産 (U+7523) has no Big5 code; 產 is the Big5 form
    # keep to what Big5 can encode (the seed has a few GB-only characters such as 説/于)
    data = text.encode("big5", errors="ignore")
    p = write(tmp_path / "n.txt", data)
    [src] = read_source(p, tmp_path)
    assert src.encoding == "big5"
    docs = read_documents(p, tmp_path)
    assert docs[0].doc_number == "发改办高技〔2016〕1284号"
    assert docs[0].script == "traditional"


def test_html_page_keeps_the_article_and_drops_the_chrome(tmp_path):
    html = """<html><head><meta charset="gb2312"><title>关于启动第二批国家电子商务示范城市创建工作有关事项的通知</title></head>
    <body><div class="nav">首页 | 机构设置 | 新闻发布</div><div class="breadcrumb">首页 &gt; 政策发布</div>
    <div class="article"><h1>关于启动第二批国家电子商务示范城市创建工作有关事项的通知</h1>
    <p>发改高技[2013]1772号</p><p>有关省、自治区及计划单列市发展改革委：</p>
    <p>一、深刻认识创建电子商务示范城市的重要意义</p><p>创建国家电子商务示范城市，是增强城市竞争优势的新选择。</p>
    <p>二、创建示范城市的主要工作任务</p><p>（一）完善电子商务法规政策环境。研究符合地方特点的法规政策。</p>
    </div><div id="footer">版权所有 English Français</div></body></html>"""
    p = write(tmp_path / "page.html", html.encode("gb18030"))
    [doc] = read_documents(p, tmp_path)
    assert doc.title == "关于启动第二批国家电子商务示范城市创建工作有关事项的通知"
    assert doc.doc_number == "发改高技〔2013〕1772号"
    assert [c.path for c in doc.clauses] == ["preamble", "一", "二"]
    assert "机构设置" not in doc.text and "版权所有" not in doc.text and "政策发布" not in doc.text


def test_docx(tmp_path):
    import docx

    d = docx.Document()
    for line in SEED_2013.splitlines()[:8]:
        d.add_paragraph(line)
    d.save(tmp_path / "n.docx")
    [doc] = read_documents(tmp_path / "n.docx", tmp_path)
    assert doc.doc_number == "发改高技〔2013〕1772号"
    assert doc.clause("二/(一)") is not None


def test_jsonl_one_document_per_line(tmp_path):
    rows = [{"title": "甲报告", "content": "一、总体要求\n（一）发展目标。到2015年。", "date": "2015-03-05"},
            {"title": "乙报告", "content": "一、回顾\n过去一年。", "url": "https://example.org/b"}]
    p = write(tmp_path / "r.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode())
    docs = read_documents(p, tmp_path)
    assert [(d.id, d.title, d.date, d.url) for d in docs] == [
        ("r-1", "甲报告", "2015-03-05", None), ("r-2", "乙报告", None, "https://example.org/b")]
    assert docs[0].clause("一/(一)").heading == "发展目标"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("image.txt", bytes(range(256)) * 40, "binary file, not text"),
    ("latin.txt", "Ceci n'est pas du chinois: éàü ".encode("latin-1") * 50 + bytes([0x81, 0x30]),
     "cannot decode"),
    ("notes.pdf", b"%PDF-1.4", "not a readable PDF file (data format error)"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word .docx file"),
    ("bad.jsonl", b'{"title": "x", "content": "y"}\n{oops', "line 2: not valid JSON"),
], ids=["empty", "blank", "binary", "undecodable", "pdf", "broken-docx", "bad-jsonl"])
def test_unreadable_files_give_one_clear_reason(tmp_path, name, data, reason):
    p = write(tmp_path / name, data)
    with pytest.raises(SourceError) as e:
        read_documents(p, tmp_path)
    assert reason in str(e.value)
    assert "\n" not in str(e.value)


def test_a_2mb_single_line_file(tmp_path):
    para = "加快推进电子商务示范城市建设，促进信息消费扩大内需。"
    text = "关于测试的通知\n" + para * (2_000_000 // len(para.encode()))
    p = write(tmp_path / "big.txt", text.encode())
    assert p.stat().st_size > 2_000_000
    [doc] = read_documents(p, tmp_path)
    assert doc.title == "关于测试的通知"
    assert len(doc.text) > 600_000


def test_ingest_reports_bad_files_and_keeps_the_rest(tmp_corpus):
    write(tmp_corpus.corpus / "empty.txt", b"")
    write(tmp_corpus.corpus / "photo.md", bytes(range(256)) * 10)
    write(tmp_corpus.corpus / "notes.pdf", b"%PDF-1.4")
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_corpus.corpus), "--index", str(tmp_corpus.index),
                                      "ingest", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    skipped = {s["source"]: s["reason"] for s in report["skipped"]}
    assert skipped == {"empty.txt": "empty file", "photo.md": "binary file, not text",
                       "notes.pdf": skipped["notes.pdf"]}
    assert skipped["notes.pdf"].startswith("not a readable PDF file")
    assert report["documents"] == 7


def test_a_file_that_turns_bad_keeps_its_previous_version(tmp_corpus):
    run_ingest(tmp_corpus)
    src = tmp_corpus.corpus / "2013-ndrc-1772.txt"
    before = src.read_bytes()
    write(src, bytes(range(256)) * 10)
    report = run_ingest(tmp_corpus)
    assert report.kept == ["2013-ndrc-1772.txt"]
    assert report.documents == 7
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_corpus.corpus), "--index", str(tmp_corpus.index),
                                      "show", "1772号", "--json"])
    assert json.loads(result.output)["doc_number"] == "发改高技〔2013〕1772号"
    write(src, before)


def test_source_files_are_never_modified(tmp_corpus):
    stats = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in tmp_corpus.corpus.iterdir()}
    run_ingest(tmp_corpus)
    assert {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in tmp_corpus.corpus.iterdir()} == stats
    shutil.rmtree(tmp_corpus.index)
