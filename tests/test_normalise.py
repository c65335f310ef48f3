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
