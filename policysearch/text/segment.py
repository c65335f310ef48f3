"""Word segmentation with jieba: explicit cache location, quiet logger, policy-term user dictionary."""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
import zlib
from functools import lru_cache

from . import data_file

_LOCK = threading.Lock()
_WORD_RE = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)


def cache_dir() -> str:
    """Where jieba's prepared dictionary is kept (config.cache_dir; a temporary directory if not writable)."""
    from ..config import cache_dir as configured

    path = str(configured())
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        import tempfile

        path = tempfile.mkdtemp(prefix="policysearch-cache-")
    return path


_MISSING = object()


def import_jieba():  # noqa: ANN202 - the jieba module
    """jieba, imported without pkg_resources: with it importable, jieba finds its data files through it, which
    took 50 ms of a search process's 0.7 s start-up; without it, jieba opens the same files by path."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    from ..lazyimport import deferring

    saved = sys.modules.get("pkg_resources", _MISSING)
    if saved is _MISSING:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba's fallback
    try:
        with deferring("jieba.finalseg"):  # the HMM's tables (8 ms): loaded when a query has characters to guess
            import jieba
    finally:
        if saved is _MISSING:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=1)
def tokenizer():  # noqa: ANN201 - jieba.Tokenizer
    """The shared jieba tokenizer with the policy-term user dictionary, initialised once (before any
    worker thread or process uses it).

    jieba's own cache is a marshal file that takes 0.6–0.9 s to load here; the same dictionary with our
    user words, pickled, loads in under 0.2 s.  The pickle is keyed by jieba's version and dictionary
    and by the user dictionary, so it is rebuilt whenever any of them changes.
    """
    with _LOCK:
        import hashlib
        import pickle

        jieba = import_jieba()

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        userdict = data_file("userdict.txt").read_bytes()
        try:
            st = os.stat(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
            stamp = f"{st.st_size}.{st.st_mtime_ns}"
        except OSError:
            stamp = "?"
        key = hashlib.sha1(f"{jieba.__version__}|{stamp}|".encode() + userdict).hexdigest()[:16]
        directory = cache_dir()
        prepared = os.path.join(directory, f"jieba-{key}.pickle")
        try:
            with open(prepared, "rb") as fh:
                tk.FREQ, tk.total = pickle.load(fh)
            tk.initialized = True
            gc.freeze()  # kept for the life of the process: not for the cyclic collector to walk again
            return tk
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass
        tk.tmp_dir = directory
        tk.cache_file = "jieba.cache"
        tk.initialize()
        tk.load_userdict(str(data_file("userdict.txt")))
        try:
            tmp = f"{prepared}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                pickle.dump((tk.FREQ, tk.total), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, prepared)
        except OSError:
            pass
        return tk


def words(text: str) -> list[str]:
    """Words of a normalised text (punctuation and whitespace dropped)."""
    return [w for w in tokenizer().cut(text) if _WORD_RE.search(w)]



def update_query_dictionary(path: str, new_words: set[str], *, replace: bool = False) -> None:
    """Add jieba's frequencies of newly indexed words (and their prefixes) to an index's query dictionary.

    Loading jieba's full dictionary takes most of a search process's start-up; queries only need the
    words that can match an indexed term, with jieba's own frequencies, so the segmentation of those
    words is jieba's.  Words the index does not hold cannot match a term anyway (the literal index still
    finds them).  The dictionary only grows between rebuilds: a word no longer indexed costs nothing.
    """
    import marshal

    tk = tokenizer()
    freq: dict[str, int] = {}
    if not replace:
        try:
            _, freq = _read_query_dictionary(path)
        except (OSError, EOFError, ValueError, TypeError, zlib.error):
            freq = {}
    added = False
    for w in new_words:
        if w in freq:
            continue
        f = tk.FREQ.get(w)
        if f is None:
            continue
        freq[w] = f
        added = True
        for i in range(1, len(w)):
            freq.setdefault(w[:i], tk.FREQ.get(w[:i], 0))
    if not added and not replace:
        return
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(zlib.compress(marshal.dumps((tk.total, freq)), 9))  # 2.5x smaller, read as fast
    os.replace(tmp, path)


def _read_query_dictionary(path: str) -> tuple[int, dict[str, int]]:
    import marshal

    with open(path, "rb") as fh:
        total, freq = marshal.loads(zlib.decompress(fh.read()))
    return total, freq


def query_tokenizer(path: str):  # noqa: ANN201 - jieba.Tokenizer
    """A jieba tokenizer over an index's query dictionary (falls back to the full one); reloaded when the
    dictionary file changes (an ingest added words)."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError:
        return tokenizer()
    return _query_tokenizer(path, stamp)


@lru_cache(maxsize=4)
def _query_tokenizer(path: str, stamp: int):  # noqa: ANN202 - jieba.Tokenizer
    jieba = import_jieba()

    jieba.setLogLevel(logging.WARNING)
    try:
        total, freq = _read_query_dictionary(path)
    except (OSError, EOFError, ValueError, TypeError, zlib.error):
        return tokenizer()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = freq, total, True
    return tk


def query_words(text: str, dictionary: str | None) -> list[str]:
    tk = query_tokenizer(dictionary) if dictionary else tokenizer()
    return [w for w in tk.cut(text) if _WORD_RE.search(w)]
