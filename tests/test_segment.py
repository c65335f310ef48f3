"""Segmentation: the prepared (pickled) dictionary segments exactly as jieba initialised the slow way."""

from __future__ import annotations

import logging
from importlib import resources

from policysearch.text.segment import tokenizer, words

from .conftest import CORPUS


def test_prepared_dictionary_segments_like_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    fresh = jieba.Tokenizer()
    fresh.initialize()
    with resources.as_file(resources.files("policysearch").joinpath("data/userdict.txt")) as p:
        fresh.load_userdict(str(p))
    fast = tokenizer()
    assert fast.total == fresh.total and fast.FREQ == fresh.FREQ
    text = "".join(p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt")))
    assert list(fast.cut(text)) == list(fresh.cut(text))


def test_policy_terms_stay_whole():
    assert words("解决物流配送“最后一公里”问题，推进精准扶贫") == ["解决", "物流配送", "最后一公里", "问题", "推进", "精准扶贫"]
