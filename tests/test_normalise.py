"""Normalisation: script, width, brackets and whitespace compare equal; offsets map back."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policysearch.text.normalise import norm, normalise, normalise_raw, query_forms, script_of


def body(doc) -> str:
    return "".join(c.norm for c in doc.walk())


def test_2013_attachment_and_2016_embedded_copy_normalise_to_the_same_text(seed_docs):
    a = seed_docs["2013-ndrc-1772-attachment1"]
    b = seed_docs["2016-ndrc-1284-att1"]
    assert a.script == "simplified" and b.script == "traditional"
    assert len(list(a.walk())) == len(list(b.walk()))
    for ca, cb in zip(a.walk(), b.walk(), strict=True):
        assert ca.path == cb.path
        assert re.sub(r"\s", "", ca.norm) == re.sub(r"\s", "", cb.norm), ca.path
    assert body(a) == body(b)


def test_plain_t2s_would_leave_differences_the_variant_table_removes(seed_docs):
    b = seed_docs["2016-ndrc-1284-att1"]
    without = "".join(norm(c.text) for c in b.walk())
    assert without != body(seed_docs["2013-ndrc-1772-attachment1"])


def test_width_brackets_and_spaces():
    assert norm("发改高技[2011]463 号") == norm("發改高技〔2011〕463號") == "发改高技〔2011〕463号"
    assert norm("发改高技［２０１１］４６３号") == "发改高技〔2011〕463号"
    assert norm("金融 IC 卡　推广") == "金融ic卡推广"
    assert norm("3500 字以内") == "3500字以内"
    assert norm("Tokenization 技术") == "tokenization技术"
    assert norm("big data  analytics") == "big data analytics"


def test_offset_map_points_at_the_original_in_its_own_script():
    text = "建設智慧物流資訊平臺，網際網路寬頻基礎設施"
    n = normalise(text, traditional=True)
    assert n.text == "建设智能物流信息平台,互联网宽带基础设施"
    i = n.text.index("信息平台")
    s, e = n.to_original(i, i + 4)
    assert text[s:e] == "資訊平臺"
    i = n.text.index("互联网")
    s, e = n.to_original(i, i + 3)
    assert text[s:e] == "網際網路"
    assert [text[a:b] for _, _, a, b in n.variant_spans] == ["智慧物流", "資訊", "網際網路", "寬頻"]


def test_query_forms_apply_the_variant_table_whatever_the_script():
    assert query_forms("資訊共用").norm == "信息共享"
    assert query_forms("资讯").norm == "信息"
    assert query_forms("资讯").raw == "资讯"  # the literal form keeps what was typed


def test_script_detection(seed_docs):
    assert script_of("關於推動電子商務發展有關工作的通知") == "traditional"
    assert script_of("关于推动电子商务发展有关工作的通知") == "simplified"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("發展改革委〔〕[]（）()１２3 　\n資訊網路的是ABCabc，。、")), max_size=40))
def test_every_normalised_character_maps_into_the_original(text):
    for n in (normalise(text, traditional=True), normalise_raw(text)):
        assert len(n.starts) == len(n.ends) == len(n.text)
        for i in range(len(n.text)):
            s, e = n.to_original(i, i + 1)
            assert 0 <= s < e <= len(text)


def test_variant_spans_stay_true_after_whitespace_is_removed():
    text = "科研 專案、 資訊 系統，支援 海南"
    n = normalise(text, traditional=True)
    assert n.text == "科研项目、信息系统,支持海南"
    assert [(n.text[a:b], text[c:d]) for a, b, c, d in n.variant_spans] == [
        ("项目", "專案"), ("信息", "資訊"), ("支持", "支援")]


def test_query_forms_render_taiwan_phrasing_for_traditional_documents():
    f = query_forms("数据安全")
    assert f.norm == "数据安全" and "资料安全" in f.for_traditional and f.for_all == ()
    assert "使用者" in query_forms("用户").for_traditional
    assert "著力" in query_forms("着力").for_traditional  # s2tw
    assert f.matching(traditional=False) == ("数据安全",)
    assert "资料安全" in f.matching(traditional=True)
    assert all(isinstance(x, str) for x in (*f.for_traditional, *f.for_all))


def test_a_taiwan_phrased_query_gets_its_mainland_wording_for_every_document():
    f = query_forms("資料安全")
    assert f.norm == "资料安全" and f.raw == "資料安全"
    assert "数据安全" in f.for_all
    assert "数据安全" in f.matching(traditional=False)
    # asked with a plain traditional reading it finds the Taiwan phrasing in traditional copies too
    assert "稽核结果" in query_forms("審核結果").for_traditional


def test_hong_kong_phrasing_is_equal_in_both_directions():
    """OpenCC's s2hkp phrases: a simplified query finds a Hong Kong copy's wording, a Hong Kong-phrased query
    finds the mainland wording (both checked forwards, as for Taiwan)."""
    assert "搜寻引擎" in query_forms("搜索引擎").for_traditional
    assert "作业系统" in query_forms("操作系统").for_traditional
    assert "搜索引擎" in query_forms("搜尋引擎").matching(traditional=False)
    assert query_forms("搜索引擎").matching(traditional=False) == ("搜索引擎",)


def test_mainland_wording_is_not_rewritten():
    for q in ("整合资源", "线上线下", "智慧城市"):
        f = query_forms(q)
        assert f.norm == q and f.for_traditional == () and f.for_all == ()
    assert query_forms("智能物流").norm == query_forms("智慧物流").norm == "智能物流"
    # a simplified query never gains forms for simplified documents
    for q in ("数据安全", "用户", "优化营商环境", "创建"):
        assert query_forms(q).matching(traditional=False) == (query_forms(q).norm,)


def test_the_switch_turns_the_extra_forms_off(monkeypatch):
    monkeypatch.setenv("POLICYSEARCH_OPENCC_VARIANTS", "0")
    assert query_forms("数据安全").for_traditional == () and query_forms("資料安全").for_all == ()


def test_a_taiwan_rendering_is_found_and_highlighted_on_the_original():
    text = "加強資料安全管理，保護使用者權益"
    n = normalise(text, traditional=True)
    for query, word in (("数据安全", "資料安全"), ("用户", "使用者")):
        hits = [(n.text.index(f), len(f)) for f in query_forms(query).matching(traditional=True) if f in n.text]
        assert hits
        i, k = hits[0]
        s, e = n.to_original(i, i + k)
        assert text[s:e] == word
