"""The variant table, entry by entry: each written form normalises to its mainland form, which plain
OpenCC t2s does not do, and the mainland form is left alone."""

from __future__ import annotations

import pytest

from policysearch.text.normalise import norm, to_simplified, variant_table

ENTRIES = variant_table()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.written for e in ENTRIES])
def test_variant_entry(entry):
    mainland = norm(entry.mainland)
    assert norm(entry.written, traditional=True) == mainland
    assert to_simplified(entry.written) != entry.mainland, "t2s alone already does this: entry not needed"
    assert norm(entry.mainland, traditional=True) == mainland, "the mainland form must be a fixed point"
    # simplified-script documents are never rewritten by the table
    assert norm(to_simplified(entry.written)) == norm(to_simplified(entry.written), traditional=False)


def test_context_entries_leave_mainland_usage_alone():
    # 線上線下, 智慧城市, 整合资源 and 共用设施 are mainland wording and stay as they are
    assert norm("大力發展線上線下互動", traditional=True) == "大力发展线上线下互动"
    assert norm("智慧城市", traditional=True) == "智慧城市"
    assert norm("整合資源", traditional=True) == "整合资源"
    assert norm("共用設施", traditional=True) == "共用设施"


def test_table_avoids_the_errors_of_tw2sp():
    # tw2sp turns these into 指针, 创建, 进程, 文档; policy language keeps them
    for word in ("指標", "建立", "程序", "文件"):
        assert norm(word, traditional=True) == to_simplified(word)


def test_variant_table_matches_only_where_it_reads_as_a_word():
    # 品質 → 质量 and 行銷 → 营销 are words; across the words of 药品质量, 产品质量 and 自行销售 they are not
    assert norm("確保藥品質量和供應", traditional=True) == "确保药品质量和供应"
    assert norm("企業產品質量", traditional=True) == "企业产品质量"
    assert norm("企業可以自行銷售", traditional=True) == "企业可以自行销售"
    assert norm("軟體動物", traditional=True) == "软体动物"
    # … and where they are words they still apply
    assert norm("電子商務產品品質提升", traditional=True) == "电子商务产品质量提升"
    assert norm("商品行銷", traditional=True) == "商品营销"
    assert norm("客戶端軟體", traditional=True) == "客户端软件"


# -- the OpenCC equivalence (text/variants.py) ----------------------------------------------------------------

from policysearch.text import variants  # noqa: E402


@pytest.mark.parametrize(("simplified", "traditional", "config"), [
    ("数据", "資料", "s2twp"), ("用户", "使用者", "s2twp"), ("优化", "最佳化", "s2twp"), ("权限", "許可權", "s2twp"),
    ("审核、发布", "稽核、釋出", "s2twp"), ("着力", "著力", "s2tw"), ("复函", "覆函", "s2t"), ("数据", "數據", "s2t"),
])
def test_same_wording_is_forward_conversion(simplified, traditional, config):
    assert variants.same_wording(simplified, traditional) == config


def test_same_wording_never_converts_backwards():
    # tw2sp would make 指標 指针 and 建立 创建; forwards, 指标 is 指標 and 建立 is 建立, and 指针 is not 指标
    assert variants.same_wording("指标", "指針") is None
    assert variants.same_wording("建立", "創建") is None
    assert variants.same_wording("资料", "數據") is None
    # width and spacing do not count, the direction does
    assert variants.same_wording("数据 安全", "資料安全") == "s2twp"
    assert variants.same_wording("資料", "数据") is None


def test_simplified_readings_are_checked_forwards():
    assert variants.simplified_readings("資料安全")[0] == "数据安全"
    assert "用户权限" in variants.simplified_readings("使用者權限")  # 權限 alone is plain; 許可權 would be 权限
    assert "存储" in variants.simplified_readings("儲存")  # tw2sp says 保存; TWPhrases knows 存儲 → 儲存 too
    for t in ("資料安全", "儲存", "稽核、釋出", "指標"):
        for s in variants.simplified_readings(t):
            assert t in {variants.convert(s, c) for c in variants.CONFIGS}, (t, s)
    # word by word: 用户 → 使用者 (s2twp), 权限 → 權限 (s2t); s2twp of the whole would say 使用者許可權
    assert variants.convert("用户", "s2twp") + variants.convert("权限", "s2t") == "使用者權限"
    assert variants.simplified_readings("數據") == ()  # the plain reading only


def test_taiwan_phrases_come_from_the_installed_package():
    inverse = variants.taiwan_phrase_sources()
    assert len(inverse) > 500
    assert "数据" in inverse["資料"] and "用户" in inverse["使用者"]
    from policysearch.text.segment import cache_dir

    assert any(f"opencc-{variants.opencc_version()}" in name for name in __import__("os").listdir(cache_dir()))


def test_two_traditional_copies_of_one_notice_are_the_same_source():
    s = "加强数据安全管理，优化用户服务"
    assert variants.same_source(variants.convert(s, "s2t"), variants.convert(s, "s2twp"))
    assert not variants.same_source("加強數據安全管理", "加強指標安全管理")
