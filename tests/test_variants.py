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
