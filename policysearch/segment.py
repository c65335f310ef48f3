"""Word segmentation with jieba: explicit cache location, quiet logger, policy-term user dictionary."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from functools import lru_cache
from importlib import resources

_LOCK = threading.Lock()
_WORD_RE = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)


@lru_cache(maxsize=1)
def tokenizer():  # noqa: ANN201 - jieba.Tokenizer
    """The shared jieba tokenizer, initialised once (before any worker thread uses it)."""
    with _LOCK:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        cache_dir = os.environ.get("POLICYSEARCH_CACHE") or os.path.join(tempfile.gettempdir(), "policysearch")
        os.makedirs(cache_dir, exist_ok=True)
        tk.tmp_dir = cache_dir
        tk.cache_file = "jieba.cache"
        tk.initialize()
        path = resources.files("policysearch").joinpath("data/userdict.txt")
        with resources.as_file(path) as p:
            tk.load_userdict(str(p))
        return tk


def words(text: str) -> list[str]:
    """Words of a normalised text (punctuation and whitespace dropped)."""
    return [w for w in tokenizer().cut(text) if _WORD_RE.search(w)]


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    """Words with their (start, end) in text, punctuation included (for diffs)."""
    return [(w, s, e) for w, s, e in tokenizer().tokenize(text) if w.strip()]
