"""The index: incremental updates, crash safety, one ingest at a time, schema versions."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from policysearch.search.searcher import Searcher
from policysearch.store.generations import SCHEMA_VERSION, IndexBusy, IngestLock, current_generation, ingest

from .conftest import BENCH, run_ingest


def test_first_ingest_then_unchanged(tmp_corpus):
    first = run_ingest(tmp_corpus)
    assert len(first.added) == 5 and first.documents == 7
    again = run_ingest(tmp_corpus)
    assert again.added == again.updated == again.removed == []
    assert len(again.unchanged) == 5 and again.generation == first.generation
    assert again.seconds < 1.0


def test_changed_added_and_deleted_files(tmp_corpus):
    run_ingest(tmp_corpus)
    src = tmp_corpus.corpus / "2014-mofcom-767.md"
    src.write_text(src.read_text("utf-8").replace("于洪森", "张三丰"), "utf-8")
    (tmp_corpus.corpus / "extra.txt").write_text("关于测试增量更新的通知\n一、总体要求\n推进量子纠缠通信试点。\n", "utf-8")
    (tmp_corpus.corpus / "2013-chengdu-ecommerce-plan.txt").unlink()
    r = run_ingest(tmp_corpus)
    assert r.updated == ["2014-mofcom-767.md"] and r.added == ["extra.txt"]
    assert r.removed == ["2013-chengdu-ecommerce-plan.txt"]
    s = Searcher(tmp_corpus.index)
    assert {h.doc_id for h in s.search("张三丰").hits} == {"2014-mofcom-767"}
    assert s.search("于洪森").total == 0
    assert {h.doc_id for h in s.search("量子纠缠").hits} == {"extra"}
    assert s.search("成都").total == 0
    assert "2013-chengdu-ecommerce-plan" not in s.docs


def test_touched_but_unchanged_file_is_not_reindexed(tmp_corpus):
    first = run_ingest(tmp_corpus)
    os.utime(tmp_corpus.corpus / "2013-ndrc-1772.txt")
    again = run_ingest(tmp_corpus)
    assert again.updated == [] and again.generation == first.generation


def test_old_schema_is_rebuilt_with_a_message(tmp_corpus):
    run_ingest(tmp_corpus)
    gen = current_generation(tmp_corpus.index)
    meta = json.loads((gen / "meta.json").read_text())
    meta["schema_version"] = SCHEMA_VERSION - 1
    (gen / "meta.json").write_text(json.dumps(meta))
    r = run_ingest(tmp_corpus)
    assert "older version" in r.rebuilt
    assert r.documents == 7
    assert Searcher(tmp_corpus.index).search("电子商务").total > 0


def test_a_second_ingest_waits_or_says_why(tmp_corpus):
    run_ingest(tmp_corpus)
    lock = IngestLock(tmp_corpus.index)
    assert lock.acquire(wait=False)
    try:
        with pytest.raises(IndexBusy, match="another ingest"):
            list(ingest(tmp_corpus, wait=False))
        events = []
        done = threading.Event()

        def waiting():
            for ev in ingest(tmp_corpus):
                events.append(ev)
            done.set()

        t = threading.Thread(target=waiting)
        t.start()
        time.sleep(0.3)
        assert not done.is_set()
        assert events and events[0].stage == "waiting for another ingest"
    finally:
        lock.release()
    t.join(10)
    assert done.is_set()


def _big_jsonl(path):
    if (BENCH / "government_work_reports.jsonl").exists():
        shutil.copy(BENCH / "government_work_reports.jsonl", path)
    else:  # pragma: no cover - CI has the bench corpus beside the checkout
        rows = [{"title": f"报告{i}", "content": "一、回顾\n" + "推进改革发展稳定各项工作。" * 3000} for i in range(60)]
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


def test_kill_during_ingest_leaves_the_previous_index_usable(tmp_corpus):
    run_ingest(tmp_corpus)
    before = current_generation(tmp_corpus.index)
    _big_jsonl(tmp_corpus.corpus / "reports.jsonl")
    env = {**os.environ, "POLICYSEARCH_CORPUS": str(tmp_corpus.corpus), "POLICYSEARCH_INDEX": str(tmp_corpus.index)}
    proc = subprocess.Popen([sys.executable, "-m", "policysearch.cli", "ingest"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until it is writing the new generation
        gens = [p for p in tmp_corpus.index.glob("gen-*") if p != before]
        if gens and (gens[0] / "whoosh").exists():
            break
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_generation(tmp_corpus.index) == before
    s = Searcher(tmp_corpus.index)  # a reader opens the intact previous generation
    assert len(s.docs) == 7 and s.search("电子商务示范城市").total > 0
    # the next ingest runs at once: the lock died with the process (its reading workers neither hold
    # the lock nor outlive it)
    r = run_ingest(tmp_corpus, wait=False)
    assert r.added == ["reports.jsonl"] and r.documents > 70


def test_readers_keep_working_while_an_ingest_runs(tmp_corpus):
    run_ingest(tmp_corpus)
    s = Searcher(tmp_corpus.index)
    expected = s.search("信息共享", limit=0).total
    (tmp_corpus.corpus / "extra.txt").write_text("关于信息共享的通知\n一、总体要求\n推进信息共享。\n", "utf-8")
    results = []
    t = threading.Thread(target=lambda: results.append(run_ingest(tmp_corpus)))
    t.start()
    while t.is_alive():
        assert s.search("信息共享", limit=0).total == expected
        time.sleep(0.01)
    t.join()
    assert Searcher(tmp_corpus.index).search("信息共享", limit=0).total > expected


def test_manifest_adds_what_a_text_does_not_state(tmp_corpus):
    from policysearch.cite.citations import CitationIndex, format_gbt7714

    (tmp_corpus.corpus / "manifest.toml").write_text(
        '[documents."2013-chengdu-ecommerce-plan"]\nissuers = ["成都市人民政府"]\n'
        '[documents."2016-ndrc-1284"]\nurl = "https://www.example.gov.cn/2016-1284.html"\n', "utf-8")
    run_ingest(tmp_corpus)
    s = Searcher(tmp_corpus.index)
    assert s.docs["2013-chengdu-ecommerce-plan"].issuers == ["成都市人民政府"]
    [e] = CitationIndex(list(s.docs.values())).find("1284号")
    assert format_gbt7714(e, accessed="2026-11-22").endswith(
        "发改办高技〔2016〕1284号[A/OL]. (2016-05-20)[2026-11-22]. https://www.example.gov.cn/2016-1284.html.")
    # editing only the manifest is noticed by the next ingest
    (tmp_corpus.corpus / "manifest.toml").write_text(
        '[documents."2013-chengdu-ecommerce-plan"]\nissuers = ["成都市人民政府办公厅"]\n', "utf-8")
    run_ingest(tmp_corpus)
    assert Searcher(tmp_corpus.index).docs["2013-chengdu-ecommerce-plan"].issuers == ["成都市人民政府办公厅"]


def test_links_and_manifest_are_reapplied_not_remembered(tmp_corpus):
    manifest = tmp_corpus.corpus / "manifest.toml"
    manifest.write_text('[documents."2013-chengdu-ecommerce-plan"]\nissuers = ["成都市人民政府"]\n', "utf-8")
    run_ingest(tmp_corpus)
    manifest.unlink()  # the fact is withdrawn: the text states no issuer
    run_ingest(tmp_corpus)
    s = Searcher(tmp_corpus.index)
    assert s.docs["2013-chengdu-ecommerce-plan"].issuers == []
    # the stand-alone attachment follows its parent's date when only the parent changes
    parent = tmp_corpus.corpus / "2013-ndrc-1772.txt"
    parent.write_text(parent.read_text("utf-8").replace("2013年9月13日", "2013年9月16日"), "utf-8")
    run_ingest(tmp_corpus)
    s = Searcher(tmp_corpus.index)
    assert s.docs["2013-ndrc-1772"].date == s.docs["2013-ndrc-1772-attachment1"].date == "2013-09-16"
