"""The store: incremental updates equal a full build, crash safety, one ingest at a time, old indexes, the
fingerprint of the parsing code, searches during an ingest."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from policysearch.config import Settings
from policysearch.errors import IndexBusy
from policysearch.search.searcher import Searcher
from policysearch.service import Library
from policysearch.store import open_store
from policysearch.store.fingerprint import fingerprint_of
from policysearch.store.sqlite import DATABASE
from policysearch.store.sqlite.build import CURRENT, current_store, ingest
from policysearch.store.sqlite.lock import IngestLock

from .conftest import BENCH, CORPUS, bench_rows, run_ingest

PACKAGE = Path(__file__).resolve().parent.parent / "policysearch"


def searcher(settings: Settings) -> Searcher:
    return Searcher(open_store(settings.index))


def docs(settings: Settings) -> dict:
    return {d.id: d for d in open_store(settings.index).documents()}


def answers(settings: Settings, queries: list[str]) -> dict[str, list[tuple[str, str]]]:
    s = searcher(settings)
    return {q: sorted((h.doc_id, h.clause) for h in s.search(q, limit=0).hits) for q in queries}


QUERIES = ["电子商务", "智能物流", '"信息共享"', "支付 OR 物流", "张三丰", "量子纠缠", "物流 -支付", "1772号",
           "year:2016 电子商务", '"最后一公里"']


def test_first_ingest_then_unchanged(tmp_corpus):
    first = run_ingest(tmp_corpus)
    assert len(first.added) == 5 and first.documents == 7
    again = run_ingest(tmp_corpus)
    assert again.added == again.updated == again.removed == []
    assert len(again.unchanged) == 5 and again.generation == first.generation
    assert again.seconds < 1.0


def test_changed_added_and_deleted_files_equal_a_full_build(tmp_corpus, tmp_path):
    run_ingest(tmp_corpus)
    src = tmp_corpus.corpus / "2014-mofcom-767.md"
    src.write_text(src.read_text("utf-8").replace("于洪森", "张三丰"), "utf-8")
    (tmp_corpus.corpus / "extra.txt").write_text("关于测试增量更新的通知\n一、总体要求\n推进量子纠缠通信试点。\n", "utf-8")
    (tmp_corpus.corpus / "2013-chengdu-ecommerce-plan.txt").unlink()
    r = run_ingest(tmp_corpus)
    assert r.updated == ["2014-mofcom-767.md"] and r.added == ["extra.txt"]
    assert r.removed == ["2013-chengdu-ecommerce-plan.txt"]
    assert r.rebuilt == "" and r.generation.endswith("000001")  # changed in place, not a new copy
    s = searcher(tmp_corpus)
    assert {h.doc_id for h in s.search("张三丰").hits} == {"2014-mofcom-767"}
    assert s.search("于洪森").total == 0
    assert {h.doc_id for h in s.search("量子纠缠").hits} == {"extra"}
    assert s.search("成都").total == 0
    assert "2013-chengdu-ecommerce-plan" not in docs(tmp_corpus)
    fresh = Settings(tmp_corpus.corpus, tmp_path / "fresh-index")
    run_ingest(fresh)
    assert answers(tmp_corpus, QUERIES) == answers(fresh, QUERIES)
    assert [d.metadata() for d in open_store(tmp_corpus.index).documents()] == \
        [d.metadata() for d in open_store(fresh.index).documents()]


def test_touched_but_unchanged_file_is_not_reindexed(tmp_corpus):
    first = run_ingest(tmp_corpus)
    os.utime(tmp_corpus.corpus / "2013-ndrc-1772.txt")
    again = run_ingest(tmp_corpus)
    assert again.updated == [] and again.generation == first.generation


def _set_meta(settings: Settings, key: str, value: str) -> None:
    gen = current_store(settings.index)
    assert gen is not None
    con = sqlite3.connect(gen / DATABASE)
    with con:
        con.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    con.close()


def test_old_schema_is_rebuilt_with_a_message(tmp_corpus):
    run_ingest(tmp_corpus)
    _set_meta(tmp_corpus, "schema_version", "1")
    r = run_ingest(tmp_corpus)
    assert "older version" in r.rebuilt
    assert r.documents == 7
    assert searcher(tmp_corpus).search("电子商务").total > 0


def test_an_index_of_json_generations_is_rebuilt_with_a_message(tmp_corpus):
    old = tmp_corpus.index / "gen-000003"
    old.mkdir(parents=True)
    (old / "docs.json").write_text("[]")
    (tmp_corpus.index / CURRENT).write_text("gen-000003")
    with pytest.raises(Exception, match="older version"):
        open_store(tmp_corpus.index)
    r = run_ingest(tmp_corpus)
    assert "older version" in r.rebuilt and r.documents == 7
    assert searcher(tmp_corpus).search("电子商务").total > 0


def test_a_change_of_the_parsing_code_or_its_data_changes_the_fingerprint(tmp_path):
    copy = tmp_path / "policysearch"
    for part in ("text", "ingest", "data"):
        shutil.copytree(PACKAGE / part, copy / part)
    (copy / "store" / "sqlite").mkdir(parents=True)
    shutil.copy(PACKAGE / "store" / "sqlite" / "literal.py", copy / "store" / "sqlite" / "literal.py")
    shutil.copy(PACKAGE / "model.py", copy / "model.py")
    before = fingerprint_of(copy)
    assert before == fingerprint_of(PACKAGE)
    with open(copy / "data" / "variants.tsv", "a", encoding="utf-8") as f:
        f.write("跨境網購\t跨境网购\n")
    assert fingerprint_of(copy) != before


def test_a_stale_fingerprint_reads_every_file_again(tmp_corpus):
    run_ingest(tmp_corpus)
    _set_meta(tmp_corpus, "fingerprint", "0000000000000000")
    _set_meta(tmp_corpus, "code_stamp", "files of an older version")
    r = run_ingest(tmp_corpus)
    assert "parsing code" in r.rebuilt and len(r.added) == 5 and r.unchanged == []


def test_code_touched_but_not_changed_keeps_the_index(tmp_corpus):
    """The index records the code's file stamps beside its fingerprint, so that a search need not hash the code;
    stamps that differ (another checkout, files touched) with the same fingerprint keep the index."""
    run_ingest(tmp_corpus)
    _set_meta(tmp_corpus, "code_stamp", "files of another checkout")
    r = run_ingest(tmp_corpus)
    assert not r.rebuilt and len(r.unchanged) == 5


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


def _big_jsonl(path: Path) -> None:
    if (BENCH / "government_work_reports.jsonl").exists():
        shutil.copy(BENCH / "government_work_reports.jsonl", path)
    else:  # pragma: no cover - CI has the bench corpus beside the checkout
        rows = [{"title": f"报告{i}", "content": "一、回顾\n" + "推进改革发展稳定各项工作。" * 3000} for i in range(60)]
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.4, 1.5, 3.0])
def test_kill_during_ingest_leaves_a_store_that_answers(tmp_corpus, delay):
    """kill -9 at several moments: the store answers (the previous state or the new one, never a mix) and the
    next ingest completes, repairing what the crash left out of step."""
    run_ingest(tmp_corpus)
    _big_jsonl(tmp_corpus.corpus / "reports.jsonl")
    env = {**os.environ, "POLICYSEARCH_CORPUS": str(tmp_corpus.corpus), "POLICYSEARCH_INDEX": str(tmp_corpus.index)}
    proc = subprocess.Popen([sys.executable, "-m", "policysearch.cli", "ingest"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    found = docs(tmp_corpus)
    assert len(found) == 7 or len(found) > 70  # before or after, never a mix
    s = searcher(tmp_corpus)
    assert s.search("电子商务示范城市").total > 0
    # the next ingest runs at once: the lock died with the process
    r = run_ingest(tmp_corpus, wait=False)
    assert r.documents > 70
    after = docs(tmp_corpus)
    assert len(after) == r.documents
    from .test_words import assert_words_in_step

    assert_words_in_step(open_store(tmp_corpus.index))


def test_readers_keep_working_while_an_ingest_runs(tmp_corpus):
    run_ingest(tmp_corpus)
    s = searcher(tmp_corpus)
    expected = s.search("信息共享", limit=0).total
    (tmp_corpus.corpus / "extra.txt").write_text("关于信息共享的通知\n一、总体要求\n推进信息共享。\n", "utf-8")
    results = []
    t = threading.Thread(target=lambda: results.append(run_ingest(tmp_corpus)))
    t.start()
    seen = set()
    while t.is_alive():
        seen.add(s.search("信息共享", limit=0).total)
        time.sleep(0.01)
    t.join()
    final = searcher(tmp_corpus).search("信息共享", limit=0).total
    assert final > expected
    assert seen <= {expected, final}  # the old state or the new one, never a mix


def test_manifest_adds_what_a_text_does_not_state(tmp_corpus):
    from policysearch.cite.citations import format_gbt7714

    (tmp_corpus.corpus / "manifest.toml").write_text(
        '[documents."2013-chengdu-ecommerce-plan"]\nissuers = ["成都市人民政府"]\n'
        '[documents."2016-ndrc-1284"]\nurl = "https://www.example.gov.cn/2016-1284.html"\n', "utf-8")
    run_ingest(tmp_corpus)
    assert docs(tmp_corpus)["2013-chengdu-ecommerce-plan"].issuers == ["成都市人民政府"]
    [e] = Library(tmp_corpus).cite("1284号")
    assert format_gbt7714(e, accessed="2026-11-22").endswith(
        "发改办高技〔2016〕1284号[A/OL]. (2016-05-20)[2026-11-22]. https://www.example.gov.cn/2016-1284.html.")
    # editing only the manifest is noticed by the next ingest
    (tmp_corpus.corpus / "manifest.toml").write_text(
        '[documents."2013-chengdu-ecommerce-plan"]\nissuers = ["成都市人民政府办公厅"]\n', "utf-8")
    run_ingest(tmp_corpus)
    assert docs(tmp_corpus)["2013-chengdu-ecommerce-plan"].issuers == ["成都市人民政府办公厅"]


def test_links_and_manifest_are_reapplied_not_remembered(tmp_corpus):
    manifest = tmp_corpus.corpus / "manifest.toml"
    manifest.write_text('[documents."2013-chengdu-ecommerce-plan"]\nissuers = ["成都市人民政府"]\n', "utf-8")
    run_ingest(tmp_corpus)
    manifest.unlink()  # the fact is withdrawn: the text states no issuer
    run_ingest(tmp_corpus)
    assert docs(tmp_corpus)["2013-chengdu-ecommerce-plan"].issuers == []
    # the stand-alone attachment follows its parent's date when only the parent changes
    parent = tmp_corpus.corpus / "2013-ndrc-1772.txt"
    parent.write_text(parent.read_text("utf-8").replace("2013年9月13日", "2013年9月16日"), "utf-8")
    run_ingest(tmp_corpus)
    found = docs(tmp_corpus)
    assert found["2013-ndrc-1772"].date == found["2013-ndrc-1772-attachment1"].date == "2013-09-16"


@pytest.fixture(scope="module")
def bench_index(tmp_path_factory) -> Settings:
    """Twelve long reports and the seeds in one store."""
    base = tmp_path_factory.mktemp("bench")
    shutil.copytree(CORPUS, base / "corpus")
    rows = bench_rows(12)
    if not rows:
        pytest.skip("../shared/bench-corpus is not beside the checkout")
    (base / "corpus" / "reports.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                                   "utf-8")
    settings = Settings(base / "corpus", base / "index")
    run_ingest(settings)
    return settings


def test_literal_recall_from_the_index_on_long_reports(bench_index):
    """Any 1–6 character string taken from a stored clause finds that clause, quoted or not (the literal
    index is exact: no clause that contains the query is missed)."""
    store = open_store(bench_index.index)
    s = Searcher(store)
    rng = random.Random(7)
    ids = [r[0] for r in store.con.execute("SELECT id FROM clauses")]
    checked = 0
    for cid in rng.sample(ids, 60):
        [row] = store.clause_rows([cid])
        text = row.text.replace("\n", "")
        if len(text) < 8:
            continue
        n = rng.randint(1, 6)
        i = rng.randrange(0, len(text) - n)
        needle = text[i:i + n]
        if not any("\u4e00" <= ch <= "\u9fff" for ch in needle) or '"' in needle or needle.strip() != needle:
            continue
        for q in (f'"{needle}"', needle):
            try:
                found = s.clause_ids(q)
            except Exception:  # a needle that is not a valid unquoted query (an operator, punctuation only)
                assert q == needle
                continue
            assert cid in found, (q, row.doc_id, row.path)
        checked += 1
    assert checked >= 30


def _index_size(directory: Path) -> int:
    return sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())


def test_removed_documents_give_their_space_back(tmp_corpus, tmp_path):
    """Issue 22: after any sequence of ingests the index stays within 1.5x of a fresh build of the same corpus.
    Real regulations are added, replaced by others, then removed; each time the index is measured beside a
    fresh build, and answers the same queries."""
    from ._laws import LAWS
    from .test_words import assert_words_in_step

    laws = sorted(LAWS.glob("*.md"))
    if len(laws) < 80:
        pytest.skip(f"needs the regulations of {LAWS}")
    first, second = laws[:40], laws[40:80]
    for p in first:
        shutil.copy(p, tmp_corpus.corpus / p.name)
    run_ingest(tmp_corpus)
    probe = first[0].stem.split("(")[0]  # the title of a regulation that will be removed
    assert searcher(tmp_corpus).search(f'"{probe}"').total > 0
    for n, (removed, added) in enumerate([(first, second), (second, [])]):
        for p in removed:
            (tmp_corpus.corpus / p.name).unlink()
        for p in added:
            shutil.copy(p, tmp_corpus.corpus / p.name)
        held = searcher(tmp_corpus)  # a reader open across the compaction keeps answering, never a mix
        before = held.search("条例", limit=0).total
        seen: set[int] = set()
        events: list = []
        t = threading.Thread(target=events.extend, args=(ingest(tmp_corpus),))
        t.start()
        while t.is_alive():
            seen.add(held.search("条例", limit=0).total)
            time.sleep(0.01)
        t.join()
        after = held.search("条例", limit=0).total
        assert seen <= {before, after}
        report = events[-1]
        assert report.removed == sorted(p.name for p in removed)
        assert_words_in_step(open_store(tmp_corpus.index))
        stages = {e.stage for e in events[:-1]}
        assert "compacting the index" in stages and report.compacted.endswith("(space of removed documents)")
        fresh = Settings(tmp_corpus.corpus, tmp_path / f"fresh-{n}")
        run_ingest(fresh)
        assert _index_size(tmp_corpus.index) <= 1.5 * _index_size(fresh.index)
        queries = [*QUERIES, f'"{probe}"', '"国务院"', "条例 施行"]
        assert answers(tmp_corpus, queries) == answers(fresh, queries)
    assert searcher(tmp_corpus).search(f'"{probe}"').total == 0
    # a small removal is not worth a compaction: the next ingest leaves the store as it is
    (tmp_corpus.corpus / "extra.txt").write_text("关于测试压缩的通知\n一、总体要求\n推进量子纠缠通信试点。\n", "utf-8")
    run_ingest(tmp_corpus)
    (tmp_corpus.corpus / "extra.txt").unlink()
    report = run_ingest(tmp_corpus)
    assert report.removed == ["extra.txt"] and report.compacted == ""


def test_literal_segments_stay_few(tmp_corpus, tmp_path):
    """A phrase look-up seeks every FTS5 segment of the literal tables (a trace seed at 16x: 0.10 ms with the 11
    segments a build left, 0.018 ms with one): a build leaves one segment a table, and files added one ingest at a
    time never leave more than SEGMENTS — the ingest merges them (with progress) and answers as a fresh build."""
    from policysearch.store.sqlite.compact import MERGE_STAGE, SEGMENTS, segments
    from policysearch.store.sqlite.schema import FTS_TABLES

    from ._laws import LAWS

    laws = sorted(LAWS.glob("*.md"))[:SEGMENTS + 2]
    if len(laws) < SEGMENTS + 2:
        pytest.skip(f"needs the regulations of {LAWS}")

    def counts() -> list[int]:
        con = sqlite3.connect(current_store(tmp_corpus.index) / DATABASE)
        try:
            return [segments(con, t) for t in FTS_TABLES]
        finally:
            con.close()

    run_ingest(tmp_corpus)
    assert counts() == [1] * len(FTS_TABLES)
    merged = 0
    for p in laws:
        shutil.copy(p, tmp_corpus.corpus / p.name)
        events = list(ingest(tmp_corpus))
        assert events[-1].added == [p.name]
        merged += any(getattr(e, "stage", "") == MERGE_STAGE for e in events[:-1])
        assert max(counts()) <= SEGMENTS
    assert merged >= 1  # without merging, each ingest's segment would have stayed
    fresh = Settings(tmp_corpus.corpus, tmp_path / "fresh")
    run_ingest(fresh)
    queries = [*QUERIES, '"国务院"', "条例 施行", f'"{laws[-1].stem.split("(")[0]}"']
    assert answers(tmp_corpus, queries) == answers(fresh, queries)
