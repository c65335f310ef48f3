"""Text reuse: which passages a document shares with others, on the seeds (a traditional copy of an attachment),
on planted copies with local edits, and boilerplate that is never reuse."""

from __future__ import annotations

import json
import random
import shutil
import threading

import pytest

from policysearch.config import Settings
from policysearch.search.reuse import BOILERPLATE_DOCS, MIN_CHARS, trace
from policysearch.store import open_store
from policysearch.text.normalise import norm
from tests.conftest import run_ingest
from tests.test_cli_user import LAWS, entry, where


def test_a_traditional_copy_traces_to_its_simplified_source(seed_index, stored_docs):
    store = open_store(seed_index.index)
    copy = stored_docs["2016-ndrc-1284-att1"]
    traces = trace(store, copy)
    source = stored_docs["2013-ndrc-1772-attachment1"]
    matched = 0
    for t in traces:
        twin = source.clause(t.clause)
        if twin is None or len(norm(twin.text)) < 40 or norm(twin.text) != norm(copy.clause(t.clause).text,
                                                                               traditional=True):
            continue
        best = t.passages[0]
        assert (best.doc_id, best.clause, best.direction, best.relation) == (source.id, t.clause, "source", "reuse")
        assert best.share > 0.95
        a0, a1 = best.span
        b0, b1 = best.other_span
        assert norm(t.text[a0:a1], traditional=True) == norm(twin.text[b0:b1])  # spans into each clause's text
        matched += 1
    assert matched >= 10
    back = {p.doc_id: p.direction for t in trace(store, source) for p in t.passages}
    assert back[copy.id] == "echo"  # seen from the 2013 text, the 2016 copy is later
    closed = threading.Event()  # a reader closed before its trace ends: the trace stops at the next clause
    closed.set()
    assert trace(store, copy, cancel=closed) == []


def _notice(title: str, date: str, body: str) -> str:
    return f"{title}\n\n各区人民政府：\n{body}\n\n上海市人民政府\n{date}\n"


PASSAGE = ("一、加快建设统一开放、竞争有序的市场体系，建立公平开放透明的市场规则，完善主要由市场决定价格的机制，"
           "建立城乡统一的建设用地市场，完善金融市场体系，深化科技体制改革，提高资源配置效率和公平性。")


def test_a_passage_survives_a_local_name_a_changed_number_and_a_deletion(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_notice("关于深化改革的通知", "2016年3月1日", PASSAGE), "utf-8")
    edited = PASSAGE.replace("建立城乡统一", "在本市建立城乡统一").replace("完善金融市场体系，", "").replace(
        "一、", "三、")
    (corpus / "b.txt").write_text(_notice("关于本市深化改革的实施意见", "2020年5月1日", "二、总体要求。\n" + edited),
                                  "utf-8")
    settings = Settings(corpus, tmp_path / "index")
    run_ingest(settings)
    store = open_store(settings.index)
    b = store.document("b")
    [t] = [t for t in trace(store, b) if t.clause.startswith("三")]
    [p] = t.passages
    assert (p.doc_id, p.direction) == ("a", "source") and p.share > 0.85
    r = entry("trace", "b", "--json", *where(settings))
    out = json.loads(r.stdout)
    passages = [p for c in out["clauses"] for p in c["sources"]]
    assert {(p["doc_id"], p["direction"], p["relation"]) for p in passages} == {("a", "source", "reuse")}
    assert set(passages[0]) == {"doc_id", "title", "date", "clause", "span", "other_span", "share", "score",
                                "direction", "relation"}
    bad = entry("trace", "b", "--clause", "九", *where(settings))
    assert bad.returncode == 2 and bad.stderr.strip() == "policysearch: b has no clause '九' (see `policysearch show b`)"


SHIPS = "防治船舶污染海洋环境管理条例(2018-03-09).md"
# bench_reuse's copy of 60 characters of 国务院关于特大安全事故行政责任追究的规定, a fifth of them replaced by others
NOISY_DUTIES = "应(定、州)、县(市、区特按民政府依照本规事应当履行职责而的履行，或者未按照规定责职责和程市履行，本地区发生特地安全未责"


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not beside the checkout")
def test_boilerplate_is_never_reuse_and_versions_are_versions(tmp_path):
    """违反本条例规定，构成犯罪的，依法追究刑事责任 closes chapters of many regulations: in more than a bounded number
    of documents, it seeds nothing, so such an article shares nothing.  Two versions of one regulation share
    their articles as versions, not as reuse by another body.  A penalty formula is no reuse for its amounts, nor
    a sentence of formula phrases that only two regulations join the same way; a copy with a fifth of its characters
    changed is found."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for law in LAWS.glob("*.md"):
        shutil.copy(law, corpus)
    # a notice that copies an article with a fifth of its characters changed, and closes with a formula whose
    # phrases are in hundreds of regulations (the whole sentence is in two)
    article = next(ln for ln in (LAWS / "危险化学品安全管理条例(2013-12-07).md").read_text("utf-8").splitlines()
                   if ln.startswith("第三十五条"))[6:156]
    rng = random.Random(5)  # a fifth of the characters, at random places, each another character of the article
    noisy = list(article)
    for k in rng.sample(range(len(article)), len(article) // 5):
        noisy[k] = rng.choice(article)
    noisy = "".join(noisy)
    formula = "未按规定办理的，构成犯罪的，依法追究刑事责任；给他人造成损失的，依法承担赔偿责任。"
    crew = next(ln for ln in (LAWS / SHIPS).read_text("utf-8").splitlines() if ln.startswith("第六十八条"))
    crew = crew[6:].replace("构处1万元以上5", "")  # a penalty article copied with a phrase deleted
    assert sum(a != b for a, b in zip(article, noisy, strict=True)) >= len(article) // 6
    (corpus / "copy.txt").write_text(_notice("关于加强本市危险物品经营管理的通知", "2020年5月1日",
                                             f"一、{noisy}\n二、各区要加快建设智慧园区监管平台。{formula}\n"
                                             f"三、{crew}\n四、{NOISY_DUTIES}"), "utf-8")
    settings = Settings(corpus, tmp_path / "index")
    run_ingest(settings)
    store = open_store(settings.index)
    traces = {t.clause: t for t in trace(store, store.document("copy"))}
    traced = {clause: t.passages for clause, t in traces.items()}
    assert {p.doc_id for p in traced["一"]} >= {"危险化学品安全管理条例-2013-12-07"}
    assert sum(p.share for p in traced["一"] if p.doc_id == "危险化学品安全管理条例-2013-12-07") > 0.7
    assert traced["二"] == []
    assert traces["二"].boilerplate_seeds >= 3  # what the filter removed: the formula's seeds, in hundreds of laws
    # a copy with a fifth of its characters changed keeps no phrase of 4 equal characters that few regulations
    # hold (规事应当履行职责而的履行); the words of the source it was copied from are specific
    assert any(p.doc_id.startswith("国务院关于特大安全事故行政责任追究的规定") for p in traced["四"])
    # the penalty article is 防治船舶污染海洋环境管理条例's (内河交通安全管理条例 words its crew penalty alike); the
    # formula in it (直接负责的主管人员和其他直接责任人员属于…的，依法给予) is in hundreds of regulations, and an equal
    # run that goes two characters past the formula is no reuse of another regulation
    assert "防治船舶污染海洋环境管理条例-2018-03-09" in {p.doc_id for p in traced["三"]}
    assert {p.doc_id for p in traced["三"]} <= {"防治船舶污染海洋环境管理条例-2018-03-09", "内河交通安全管理条例-2019-03-02"}
    boiler = "违反本条例规定,构成犯罪的,依法追究刑事责任。"
    found = [(d, c) for d in (store.document(i) for i in store.document_ids()) if d is not None
             for c in d.walk() if c.kind == "article" and c.norm.endswith(boiler) and len(c.norm) < len(boiler) + 8]
    assert len({d.id for d, _ in found}) > BOILERPLATE_DOCS
    d, c = found[0]
    assert len(norm(c.text)) >= MIN_CHARS and all(not t.passages for t in trace(store, d, c.path))
    newer = store.document("道路运输条例-2023-07-20")
    passages = [p for t in trace(store, newer) for p in t.passages]
    assert passages and all(p.relation == "version" for p in passages if p.doc_id.startswith("道路运输条例"))
    assert {p.direction for p in passages if p.doc_id == "道路运输条例-2022-03-29"} == {"source"}
    # a penalty formula with its own amounts (没收违法所得；违法所得5万元以上的，并处违法所得5倍以上10倍以下的罚款) is
    # no reuse: 稀土管理条例 (2024) took nothing from 电影管理条例 (2001); 法规规章备案审查条例 took its predecessor's text
    rare_earth = store.document("稀土管理条例-2024-06-22")
    rare_traces = trace(store, rare_earth)
    assert not [p for t in rare_traces for p in t.passages if p.doc_id.startswith("电影管理条例")]
    assert any(t.formula for t in rare_traces)  # refused as formula language, not missed
    # phrases of formula language that several regulations each hold are no reuse of one of them: 公平竞争审查条例's
    # 坚持中国共产党的领导，贯彻党和国家路线方针政策和决策部署 (消耗臭氧层物质管理条例 has it too),
    # 应当向社会公开受理举报的电话、信箱或者电子邮件地址 (无证无照经营查处办法) and
    # 机关和法律、法规授权的具有管理公共事务职能的组织 (10 regulations, 汶川地震灾后恢复重建条例 among them)
    fair = store.document("公平竞争审查条例-2024-06-06")
    assert not [p for t in trace(store, fair) for p in t.passages
                if p.doc_id.startswith(("消耗臭氧层物质管理条例", "无证无照经营查处办法", "汶川地震灾后恢复重建条例"))]
    # while the regulation that replaced four export-control regulations took their words
    dual = store.document("两用物项出口管制条例-2024-09-30")
    sources = {p.doc_id.split("-")[0] for t in trace(store, dual) for p in t.passages}
    assert {"核出口管制条例", "核两用品及相关技术出口管制条例", "导弹及相关物项和技术出口管制条例"} <= sources
    review = store.document("法规规章备案审查条例-2024-08-30")
    taken = [p for t in trace(store, review) for p in t.passages if p.doc_id == "法规规章备案条例-2001-12-14"]
    assert len({p.clause for p in taken}) >= 10 and {p.relation for p in taken} == {"reuse"}


def test_reuse_across_the_corpus(seed_index):
    """reuse --to FILTERS [--from FILTERS]: the 2016 notices took their attachment from the 2013 one (its
    traditional copy: 90%+ of its text), 980 days later; --from keeps only sources among those documents."""
    out = json.loads(entry("reuse", "--to", "year:2016", "--json", *where(seed_index)).stdout)["pairs"]
    top = out[0]
    assert (top["to_doc"], top["from_doc"]) == ("2016-ndrc-1284-att1", "2013-ndrc-1772-attachment1")
    assert top["share"] > 0.9 and top["lag_days"] == 980 and top["clauses"] >= 20 and top["passages"] >= top["clauses"]
    assert [b["share"] for b in out] == sorted((b["share"] for b in out), reverse=True)
    assert all(b["to_date"] > b["from_date"] for b in out)  # the source came first
    only = json.loads(entry("reuse", "--to", "year:2016", "--from", "doc:1772号", "--json",
                            *where(seed_index)).stdout)["pairs"]
    assert {b["from_doc"] for b in only} == {"2013-ndrc-1772"}
    from policysearch.model import Progress
    from policysearch.service import Library

    events = list(Library(seed_index).reuse_events("year:2016"))  # what the CLI's progress bar draws
    *steps, found = events
    assert all(isinstance(e, Progress) and e.stage == "tracing" for e in steps)
    assert [e.done for e in steps] == list(range(len(steps))) and steps[-1].done == steps[-1].total == len(steps) - 1
    assert [b.to_dict() for b in found] == out


def test_a_short_run_in_a_long_clause_and_a_reordered_copy_are_found():
    """A real article's sentence (26 characters verbatim, then a local name, then the rest) inside a long clause of
    other text: the shared passage is found whole (a global alignment had scattered it over the long clause); a
    copy with its two halves swapped is two passages, both found."""
    from policysearch.search.reuse import shared_runs

    law = next(LAWS.glob("民兵武器装备管理条例*.md")).read_text("utf-8")
    article = next(ln for ln in law.splitlines() if ln.startswith("第二十二条"))
    sentence = "企业事业单位民兵武器装备仓库的修建和改建所需的经费，按照国家有关规定解决。"
    assert sentence in article
    report = next(LAWS.glob("信访工作条例*.md")).read_text("utf-8")
    long_clause = report[2000:2300] + sentence.replace("，按照", "，市人民政府按照") + report[2300:2500]
    runs = shared_runs(norm(long_clause), norm(article))
    (a0, a1), _, same, _ = runs[0]
    assert same >= 30 and norm(long_clause)[a0:a1].startswith("企业事业单位民兵武器装备仓库的修建和改建所需的经费")
    first, second = article[:60], article[60:120]
    copy = norm(second + first)
    swapped = shared_runs(copy, norm(article))
    assert len(swapped) == 2 and sum(r[2] for r in swapped) >= len(copy) - 4  # both halves, nearly every character
    (x, y, *_), (u, v, *_) = swapped
    assert (x[0] < u[0]) != (y[0] < v[0])  # the two passages stand in one order in the copy, the other in the law


def test_naming_another_document_is_no_reuse_of_its_title(seed_index):
    """The 2016 notice lists its attachments by title (附件：1.國家電子商務示範城市創建工作方案編制要點…): naming a
    document is citing it, not copying its text; the titles and information blocks of other documents, which are
    searched like clauses, are never a passage's other side."""
    store = open_store(seed_index.index)
    notice = store.document("2016-ndrc-1284")
    signature = next(t for t in trace(store, notice) if t.clause == "signature")
    assert "國家電子商務示範城市創建工作方案編制要點" in signature.text
    assert all(p.clause not in ("title", "info") for p in signature.passages)
    for doc_id in store.document_ids():
        doc = store.document(doc_id)
        assert doc is not None
        assert all(p.clause not in ("title", "info") for t in trace(store, doc) for p in t.passages)
