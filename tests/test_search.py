"""Clause search: either script, variants, literal recall, operators, filters, numbers, highlights."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policysearch.model import Clause, Document
from policysearch.search.query import QueryError


def keys(result):
    return {(h.doc_id, h.clause) for h in result.hits}


def test_simplified_and_traditional_queries_give_the_same_results(searcher):
    for simp, trad in [("电子商务示范城市", "電子商務示範城市"), ("信息共享", "資訊共享"),
                       ("最后一公里", "最後一公里"), ('"物流配送"', '"物流配送"'), ("网络交易", "網路交易")]:
        a, b = searcher.search(simp, limit=0), searcher.search(trad, limit=0)
        assert a.total > 0 and keys(a) == keys(b), simp


def test_variant_table_applies_to_queries(searcher):
    hits = keys(searcher.search("智能物流", limit=0))
    assert ("2016-ndrc-1284", "一/(一)/2") in hits  # written 智慧物流 in the 2016 notice
    assert ("2013-ndrc-1772", "二/(二)") in hits
    hits = keys(searcher.search("資訊共享", limit=0))
    assert ("2013-ndrc-1772-attachment1", "五/(二)/3") in hits  # 信息共享
    assert ("2016-ndrc-1284-att1", "五/(二)/3") in hits  # 資訊共用


def test_highlights_are_in_the_original_script(searcher):
    r = searcher.search("智能物流", limit=0)
    hit = next(h for h in r.hits if h.doc_id == "2016-ndrc-1284" and h.clause == "一/(一)/2")
    assert [hit.text[s:e] for s, e in hit.spans] == ["智慧物流", "智慧物流"]
    assert all(hit.snippet[s:e] == "智慧物流" for s, e in hit.snippet_spans)
    r = searcher.search('"支持物流快递"', limit=0)
    assert {h.text[s:e] for h in r.hits for s, e in h.spans} == {"支持物流快递", "支援物流快遞"}


def literal_scan(stored_docs, needle_text: str, doc_id: str) -> set[tuple[str, str]]:
    """Ground truth: clauses of the document whose original text contains the string."""
    doc = stored_docs[doc_id]
    return {(doc_id, c.path) for c in doc.walk() if needle_text in c.text}


def random_substrings(texts, n, seed):
    rnd = random.Random(seed)
    out = []
    while len(out) < n:
        t = rnd.choice(texts)
        if len(t) < 2:
            continue
        k = rnd.randint(1, 6)
        i = rnd.randrange(0, max(1, len(t) - k))
        s = t[i:i + k]
        if s.strip() and any(ch.isalnum() for ch in s) and '"' not in s:
            out.append(s)
    return out


def draw_needle(data, stored_docs) -> tuple[Document, Clause, str | None]:
    """A random substring (1–8 characters) of a random clause of the seeds, None when it is no query."""
    doc = stored_docs[data.draw(st.sampled_from(sorted(stored_docs)))]
    clause = data.draw(st.sampled_from([c for c in doc.walk() if c.text.strip()]))
    k = data.draw(st.integers(1, 8))
    i = data.draw(st.integers(0, max(0, len(clause.text) - k)))
    needle = clause.text[i:i + k].strip()
    if not needle or not any(ch.isalnum() for ch in needle) or '"' in needle or "\n" in needle:
        return doc, clause, None
    return doc, clause, needle


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_literal_recall_on_random_substrings_of_the_seeds(searcher, stored_docs, data):
    doc, _, needle = draw_needle(data, stored_docs)
    if needle is None:
        return
    doc_id = doc.id
    expected = literal_scan(stored_docs, needle, doc_id)
    for q in (f'"{needle}"', needle if not any(c in needle for c in ' ()（）"“”') else f'"{needle}"'):
        try:
            got = keys(searcher.search(q, limit=0))
        except QueryError:
            assert needle.lstrip("-") == "" or needle.upper() in ("OR", "AND", "NOT") or needle.startswith("-")
            continue
        assert expected <= got, (q, expected - got)


def test_quoted_phrases_are_exact(searcher, stored_docs):
    for phrase in ["物流配送", "电子商务示范城市", "3-5年", "信用信息", "894号"]:
        r = searcher.search(f'"{phrase}"', limit=0)
        assert r.total > 0
        from policysearch.text.normalise import norm, raw

        for h in r.hits:
            d = stored_docs[h.doc_id]
            assert norm(phrase, traditional=True) in norm(h.text, traditional=d.traditional) or raw(phrase) in raw(h.text)


def test_operators(searcher):
    both = keys(searcher.search("物流 支付", limit=0))
    either = keys(searcher.search("物流 OR 支付", limit=0))
    only_logistics = keys(searcher.search("物流", limit=0))
    assert both < either and both <= only_logistics
    assert keys(searcher.search("物流 AND 支付", limit=0)) == both
    no_pay = keys(searcher.search("物流 -支付", limit=0))
    assert no_pay == keys(searcher.search("物流 NOT 支付", limit=0))
    assert no_pay == only_logistics - keys(searcher.search("支付", limit=0))
    grouped = keys(searcher.search("(智能 OR 智慧) 物流", limit=0))
    assert grouped == keys(searcher.search("智能 物流", limit=0)) | keys(searcher.search("智慧 物流", limit=0))


def test_filters(searcher):
    r = searcher.search("电子商务 year:2016", limit=0)
    assert r.total > 0 and {h.doc_id for h in r.hits} <= {"2016-ndrc-1284", "2016-ndrc-1284-att1"}
    assert {h.doc_id for h in searcher.search("电子商务 year:2013-2014", limit=0).hits} >= {
        "2013-ndrc-1772", "2014-mofcom-767"}
    assert {h.doc_id for h in searcher.search("示范 batch:3", limit=0).hits} == {
        "2016-ndrc-1284", "2016-ndrc-1284-att1"}
    assert {h.doc_id for h in searcher.search("示范 batch:第二批", limit=0).hits} >= {"2013-ndrc-1772", "2014-mofcom-767"}
    assert {h.doc_id for h in searcher.search("示范基地 issuer:商务部办公厅", limit=0).hits} == {
        "2014-mofcom-767", "2014-mofcom-767-att1"}
    assert {h.doc_id for h in searcher.search("物流 doc:發改辦高技〔2016〕1284號", limit=0).hits} == {"2016-ndrc-1284"}
    with pytest.raises(QueryError, match="year:20x"):
        searcher.search("物流 year:20x")
    with pytest.raises(QueryError, match="no document"):
        searcher.search("物流 doc:不存在的文件")


@pytest.mark.parametrize("query", ["1772号", "发改高技[2013]1772号", "發改高技〔2013〕1772號", "发改高技〔2013〕1772号"])
def test_document_number_finds_the_notice(searcher, query):
    """The notice itself comes first, named by its title row."""
    r = searcher.search(query, limit=0)
    assert (r.hits[0].doc_id, r.hits[0].clause) == ("2013-ndrc-1772", "title")


def test_document_number_finds_every_citing_clause(searcher):
    r = searcher.search("发改办高技[2013]894号", limit=0)
    assert {h.doc_id for h in r.hits} == {"2013-ndrc-1772", "2013-ndrc-1772-attachment1",
                                           "2016-ndrc-1284-att1", "2013-chengdu-ecommerce-plan"}
    r = searcher.search("国发〔2015〕24号", limit=0)
    assert keys(r) == {("2016-ndrc-1284", "preamble")}


@pytest.mark.parametrize("query,message", [
    ("", "empty query"), ("   ", "empty query"), ('"信息', "unbalanced quote"), ("(物流", "unbalanced parenthesis"),
    ("物流)", "unbalanced parenthesis"), ("OR", "needs a term before it"), ("物流 OR", "needs a term after it"),
    ("AND 物流", "needs a term before it"), ("NOT", "needs a term after it"), ("-物流", "only excludes"),
    ("，。、", "only punctuation"), ("()", "empty parentheses"), ("foo:bar", "unknown filter"),
    ("year:", "needs a value"), ('""', "no words"),
])
def test_bad_queries_give_one_clear_error(searcher, query, message):
    with pytest.raises(QueryError, match=message):
        searcher.search(query)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('物流支付"()（）-: ORANDNOT，。、年:doc:year:batch:issuer:信息1772号“”「」\\*?')),
               max_size=30))
def test_any_query_string_runs_or_fails_cleanly(searcher, text):
    try:
        r = searcher.search(text, limit=5)
    except QueryError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert r.total >= len(r.hits)


def test_limit_zero_returns_all(searcher):
    r = searcher.search("电子商务", limit=0)
    assert len(r.hits) == r.total > 20
    assert len(searcher.search("电子商务", limit=3).hits) == 3


def test_boolean_queries_in_one_store_query_equal_combining_each_word(searcher, monkeypatch):
    """AND, OR and NOT of plain words are evaluated by the store in one go: the same clauses with the same
    scores as evaluating each word and combining them here."""
    words = ["电子商务", "物流", "支付", "示范", "城市", "跨境", "平台", "农村", "信息", "建设", '"电子商务"', "试点"]
    rng = random.Random(5)
    queries = ["支付 OR 物流", "电子商务 -物流", "(示范 OR 跨境) 城市", "平台 物流 -农村", '"电子商务" OR 试点']
    for _ in range(25):
        a, b, c = rng.sample(words, 3)
        queries.append(rng.choice([f"{a} {b}", f"{a} OR {b}", f"({a} OR {b}) {c}", f"{a} -{b}", f"{a} {b} -{c}",
                                   f"({a} OR {b}) -{c} year:2013-2016"]))
    store = type(searcher.store)
    calls = []
    one_go = store.matching_expression

    def counted(self, expr, within=None):
        if within is None:
            calls.append(expr)
        return one_go(self, expr, within=within)

    monkeypatch.setattr(store, "matching_expression", counted)
    combined = {q: [(h.clause_id, round(h.score, 6)) for h in searcher.search(q, limit=0).hits] for q in queries}
    assert len(calls) >= len(queries) - 2  # (a few draw a word that jieba cuts in two: evaluated word by word)
    monkeypatch.setattr(type(searcher), "_expression", lambda self, node: None)
    for q in queries:
        assert [(h.clause_id, round(h.score, 6)) for h in searcher.search(q, limit=0).hits] == combined[q], q
    assert sum(1 for v in combined.values() if v) > 20
