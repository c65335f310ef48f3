"""Trends: a query's documents and clauses per year, issuer, batch or work, against what search finds, and the
trend command as a user runs it (table, JSON, CSV, a pipe)."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from policysearch.search.trends import NONE, trend
from tests.test_cli_user import entry, where


@pytest.fixture(scope="module")
def docs(searcher):
    return searcher.store.documents()


def test_counts_per_year_are_what_search_finds(searcher, docs):
    t = trend(searcher, docs, "电子商务", "year")
    hits = searcher.search("电子商务", limit=0)
    assert t.clauses == hits.total and t.documents == len({h.doc_id for h in hits.hits})
    per_year = Counter(str(d.year) if d.year else NONE for d in docs if d.id in {h.doc_id for h in hits.hits})
    assert {p.period: p.documents for p in t.periods if p.documents} == dict(per_year)
    years = [p.period for p in t.periods if p.period != NONE]
    assert years == sorted(years) and t.periods[-1].period == NONE  # in order, the undated last
    for p in t.periods:
        assert p.corpus_documents == sum(1 for d in docs if (str(d.year) if d.year else NONE) == p.period)
        assert p.per_1000 == pytest.approx(1000 * p.documents / p.corpus_documents)
    assert t.first is not None and t.first.date == min(h.date for h in hits.hits if h.date)


def test_a_year_without_a_match_is_a_period_too(searcher, docs):
    t = trend(searcher, docs, '"智慧物流"', "year")
    by = {p.period: p for p in t.periods}
    assert by["2014"].documents == 0 and by["2014"].corpus_documents == 1 and by["2014"].first is None
    assert by["2016"].documents == 2 and by["2016"].first.doc_id.startswith("2016-ndrc-1284")


def test_issuers_in_either_script_are_one_issuer(searcher, docs):
    t = trend(searcher, docs, "电子商务", "issuer")
    by = {p.period: p for p in t.periods}
    assert "商務部辦公廳" not in by
    # 商务部办公厅 signs the 2014 notice and its attachment, and (in traditional script) the 2016 notice and its
    # attachment: one issuer
    assert by["商务部办公厅"].documents == 4
    assert [p.documents for p in t.periods] == sorted((p.documents for p in t.periods), reverse=True)


def test_the_trend_command(seed_index, tmp_path):
    r = entry("trend", "电子商务", '"智慧物流"', "--json", *where(seed_index))
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["by"] == "year" and [q["query"] for q in out["queries"]] == ["电子商务", '"智慧物流"']
    assert set(out["queries"][0]["periods"][0]) == {"period", "documents", "clauses", "corpus_documents",
                                                    "per_1000_docs", "first"}
    piped = entry("trend", "电子商务", "--by", "issuer", *where(seed_index))
    head, *rows = piped.stdout.splitlines()
    assert head == "query\tissuer\tdocuments\tclauses\tcorpus_documents\tper_1000_docs"
    assert "电子商务\t商务部办公厅\t4\t" in piped.stdout and all(len(r.split("\t")) == 6 for r in rows)
    table = tmp_path / "trend.csv"
    r = entry("trend", "电子商务", "--csv", str(table), *where(seed_index))
    assert r.returncode == 0 and r.stdout.strip() == f"wrote {table}"
    written = list(csv.DictReader(table.open(encoding="utf-8")))
    assert {w["year"] for w in written} >= {"2013", "2014", "2016"} and written[0]["query"] == "电子商务"
    bad = entry("trend", "电子商务 year:20x", *where(seed_index))
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "year:20x" in bad.stderr
