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


def test_a_query_is_cut_as_with_the_whole_query_dictionary(tmp_path):
    """The query dictionary is looked up for a query's own fragments only: the cut is the one a tokenizer holding
    the whole dictionary makes, on passages of real notices, and words added by a second ingest count."""
    import random
    import re

    from policysearch.text.segment import _QueryDictionary, import_jieba, query_words, update_query_dictionary

    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    vocabulary = sorted({w for t in texts for w in words(t)})
    path = str(tmp_path / "querydict.sqlite")
    update_query_dictionary(path, set(vocabulary[::2]), replace=True)
    update_query_dictionary(path, set(vocabulary[1::2]))  # a later ingest adds the rest
    stored = _QueryDictionary.open(path)
    assert stored is not None
    freq, total = stored.entries(), stored.total
    assert set(vocabulary) <= set(freq) | {w for w in vocabulary if w not in tokenizer().FREQ}
    whole = import_jieba().Tokenizer()
    whole.FREQ, whole.total, whole.initialized = freq, total, True
    rng = random.Random(5)
    for _ in range(400):
        t = rng.choice(texts)
        a = rng.randrange(len(t) - 40)
        q = t[a:a + rng.choice((2, 4, 8, 16, 40))]
        assert query_words(q, path) == [w for w in whole.cut(q) if re.search(r"[\w\u4e00-\u9fff]", w)], q


def test_a_fragment_tokenizer_cuts_as_the_whole_dictionary():
    """Where a process needs jieba's dictionary for a few short texts (the variant table's word edges in a title,
    a traditional query's readings), it reads only their fragments from a SQLite copy of the dictionary instead of
    loading all of it (0.16 s): the cuts are the same (a new process, so the whole dictionary is not loaded yet)."""
    import subprocess
    import sys

    code = (
        "import random\n"
        "from policysearch.text.segment import fragment_tokenizer, tokenizer\n"
        f"texts = [p.read_text('utf-8') for p in sorted(__import__('pathlib').Path({str(CORPUS)!r}).glob('*.txt'))]\n"
        "rng = random.Random(9)\n"
        "qs = []\n"
        "for _ in range(300):\n"
        "    t = rng.choice(texts); a = rng.randrange(len(t) - 30); qs.append(t[a:a + rng.choice((3, 8, 30))])\n"
        "parts = [list(fragment_tokenizer(q).cut(q, HMM=False)) for q in qs]\n"
        "assert tokenizer.cache_info().currsize == 0\n"
        "print(sum(p == list(tokenizer().cut(q, HMM=False)) for p, q in zip(parts, qs)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "300"
