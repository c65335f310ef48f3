"""Scale and realism: a sample of the bench corpus (long reports, both scripts, full-width digits)."""

from __future__ import annotations

import json
import random

import pytest

from policysearch.config import Settings

from .conftest import BENCH, bench_rows, open_searcher, run_ingest, stored_documents

pytestmark = pytest.mark.skipif(not BENCH.exists(), reason="../shared/bench-corpus is not beside the checkout")

SAMPLE_YEARS = {"2025", "2024", "2016", "2013", "1954", "1956", "1979", "1998"}


@pytest.fixture(scope="module")
def bench_index(tmp_path_factory):
    rows = [r for r in bench_rows() if r.get("year") in SAMPLE_YEARS]
    rows += [r for r in bench_rows() if r.get("congress") in (18, 20)]
    base = tmp_path_factory.mktemp("bench")
    (base / "corpus").mkdir()
    (base / "corpus" / "reports.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    settings = Settings(base / "corpus", base / "index")
    report = run_ingest(settings)
    assert report.problems == []
    return settings, report, rows


def test_clause_counts_are_plausible(bench_index):
    settings, report, rows = bench_index
    stored = stored_documents(settings)
    by_title = {d.title: d for d in stored.values()}
    d2025 = by_title["2025年中华人民共和国国务院政府工作报告"]
    top = [c.path for c in d2025.clauses]
    assert top[:4] == ["preamble", "一", "二", "三"]
    assert [c.heading for c in d2025.clauses[1:4]] == ["2024年工作回顾", "2025年经济社会发展总体要求和政策取向",
                                                       "2025年政府工作任务"]
    assert len(d2025.clause("三").children) == 10  # the ten tasks of 2025
    structured = [d for d in stored.values() if sum(1 for _ in d.walk()) >= 3
                  and max(len(c.text) for c in d.walk()) < 0.8 * len(d.text)]
    assert len(structured) >= len(stored) - 1  # the 1954 report has no numbered sections at all
    assert sum(1 for d in stored.values() for _ in d.walk()) > 15 * len(stored)
    assert 1954 in {d.year for d in stored.values()}


def test_traditional_report_and_full_width_digits(bench_index):
    settings, _, _ = bench_index
    s = open_searcher(settings)
    stored = stored_documents(settings)
    d1954 = next(d for d in stored.values() if d.year == 1954)
    assert d1954.script == "traditional"
    # 1956 writes its years in full-width digits; a query in ASCII digits finds them
    hits = s.search('"1955年国家决算"', limit=0)
    assert any(stored[h.doc_id].year == 1956 and "１９５５年" in h.text for h in hits.hits)
    # a simplified query finds the traditional 1954 report
    assert any(h.doc_id == d1954.id for h in s.search("宪法草案", limit=0).hits)


def test_literal_recall_on_a_bench_sample(bench_index):
    """Random substrings (1–6 characters) of the originals against a plain substring scan."""
    settings, _, _ = bench_index
    s = open_searcher(settings)
    stored = stored_documents(settings)
    rnd = random.Random(20261122)
    clauses = [(d, c) for d in stored.values() for c in d.walk() if len(c.text) > 8]
    misses = []
    for _ in range(300):
        d, c = rnd.choice(clauses)
        k = rnd.randint(1, 6)
        i = rnd.randrange(0, len(c.text) - k)
        needle = c.text[i:i + k]
        if "\n" in needle or '"' in needle or not needle.strip() or not any(ch.isalnum() for ch in needle):
            continue
        expected = {(x.id, y.path) for x in stored.values() for y in x.walk() if needle.strip() in y.text}
        got = {(h.doc_id, h.clause) for h in s.search(f'"{needle.strip()}"', limit=0).hits}
        if not expected <= got:
            misses.append(needle)
    assert misses == []


def test_a_phrase_only_in_titles_finds_each_document_by_its_title(bench_index):
    """Titles are text of the document: a quoted phrase that only a title holds names every such document
    (clause ``title``), and the documents' clause trees do not gain a clause for it."""
    settings, report, _ = bench_index
    stored = stored_documents(settings)
    s = open_searcher(settings)
    phrase = "国务院政府工作报告"
    titled = {d.id for d in stored.values() if phrase in d.title}
    assert len(titled) >= 5
    hits = s.search(f'"{phrase}"', limit=0).hits
    assert {h.doc_id for h in hits if h.clause == "title"} == titled
    assert all(h.text == stored[h.doc_id].title for h in hits if h.clause == "title")
    assert report.clauses == sum(len(list(d.walk())) for d in stored.values())
    assert not any(c.path in ("title", "info") for d in stored.values() for c in d.walk())


@pytest.mark.timeout(300)
def test_trend_counts_are_the_search_totals_of_each_year(bench_index):
    """trend on reports of 1954–2025: each year's clauses are what `search "Q year:Y" --json` totals, its documents
    the distinct documents of those hits, and the years are in order."""
    from .test_cli_user import entry, where

    settings, _, _ = bench_index
    out = json.loads(entry("trend", "改革开放", "人民代表大会", "--json", *where(settings)).stdout)
    assert [q["query"] for q in out["queries"]] == ["改革开放", "人民代表大会"]
    for q in out["queries"]:
        years = [p["period"] for p in q["periods"] if p["period"].isdigit()]
        assert years == sorted(years) and {"1954", "2025"} <= set(years)
        for p in q["periods"]:
            if not p["period"].isdigit():
                continue
            found = json.loads(entry("search", f'{q["query"]} year:{p["period"]}', "--limit", "0", "--json",
                                     *where(settings)).stdout)
            assert p["clauses"] == found["total"], (q["query"], p["period"])
            assert p["documents"] == len({h["doc_id"] for h in found["hits"]}), (q["query"], p["period"])
        assert sum(p["clauses"] for p in q["periods"]) == q["clauses"] > 0
