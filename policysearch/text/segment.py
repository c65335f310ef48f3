"""Word segmentation with jieba: explicit cache location, quiet logger, policy-term user dictionary."""

from __future__ import annotations

import gc
import logging
import os
import re
import threading
import zlib
from functools import lru_cache
from typing import Any

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
def _dictionary_key() -> str:
    """jieba's version and dictionary, and the user dictionary: what the prepared dictionaries are keyed by."""
    import hashlib

    jieba = import_jieba()
    try:
        st = os.stat(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"))
        stamp = f"{st.st_size}.{st.st_mtime_ns}"
    except OSError:
        stamp = "?"
    return hashlib.sha1(f"{jieba.__version__}|{stamp}|".encode() + data_file("userdict.txt").read_bytes()
                        ).hexdigest()[:16]


@lru_cache(maxsize=1)
def tokenizer():  # noqa: ANN201 - jieba.Tokenizer
    """The shared jieba tokenizer with the policy-term user dictionary, initialised once (before any
    worker thread or process uses it).

    jieba's own cache is a marshal file that takes 0.6–0.9 s to load here; the same dictionary with our
    user words, pickled, loads in under 0.2 s.  The pickle is keyed by jieba's version and dictionary
    and by the user dictionary, so it is rebuilt whenever any of them changes.
    """
    with _LOCK:
        import pickle

        jieba = import_jieba()

        jieba.setLogLevel(logging.WARNING)
        tk = jieba.Tokenizer()
        directory = cache_dir()
        prepared = os.path.join(directory, f"jieba-{_dictionary_key()}.pickle")
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

    The dictionary is a small SQLite file (:func:`_write_dictionary`): a query reads only the words its own
    characters begin (:func:`query_words`), where reading the whole dictionary took 13 ms of a search process at
    16x.  It is written beside the old one and moved over it, so that a reader keeps the file it opened.
    """
    tk = tokenizer()
    old = _QueryDictionary.open(path) if not replace else None
    known = old.entries().keys() if old is not None else set()
    rows: dict[str, int] = {}
    for w in new_words:
        if w in known or w in rows:
            continue
        f = tk.FREQ.get(w)
        if f is None:
            continue
        rows[w] = f
        for i in range(1, len(w)):
            if w[:i] not in known:
                rows.setdefault(w[:i], tk.FREQ.get(w[:i], 0))
    if not rows and not replace and old is not None:
        return
    if old is not None:
        old.close()
    _write_dictionary(path, rows, tk.total, add=old is not None)


def _write_dictionary(path: str, rows: dict[str, int], total: int, *, add: bool) -> None:
    """Write a dictionary file beside ``path`` (a copy of it with the rows added, when ``add``) and move it over.

    The words are kept in groups by their first character (its code point modulo a number of groups that keeps
    a group to about a hundred words), each group a compressed marshal of its words and frequencies: a query reads
    the groups of its own characters, and the file is about as small as one compressed dictionary (one row a word
    took 2.5 times the space)."""
    import marshal
    import shutil
    import sqlite3

    tmp = f"{path}.{os.getpid()}.tmp"
    if add:
        shutil.copyfile(path, tmp)
    elif os.path.exists(tmp):
        os.unlink(tmp)
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode = OFF")  # a private copy until it is moved into place
        con.execute("CREATE TABLE IF NOT EXISTS groups (id INTEGER PRIMARY KEY, words BLOB NOT NULL)")
        con.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        con.execute("BEGIN")
        if add:
            count = int(con.execute("SELECT value FROM meta WHERE key = 'groups'").fetchone()[0])
        else:
            count = max(256, 1 << (len(rows) // 100).bit_length())
            con.execute("INSERT INTO meta VALUES ('groups', ?)", (count,))
        groups: dict[int, dict[str, int]] = {}
        for word, freq in rows.items():
            groups.setdefault(ord(word[0]) % count, {})[word] = freq
        for key, group in groups.items():
            row = con.execute("SELECT words FROM groups WHERE id = ?", (key,)).fetchone() if add else None
            if row is not None:
                group = {**marshal.loads(zlib.decompress(row[0])), **group}
            con.execute("INSERT OR REPLACE INTO groups VALUES (?, ?)", (key, zlib.compress(marshal.dumps(group), 9)))
        con.execute("INSERT OR REPLACE INTO meta VALUES ('total', ?)", (total,))
        con.execute("INSERT INTO meta VALUES ('longest', ?) ON CONFLICT (key) DO UPDATE SET value = "
                    "max(value, excluded.value)", (max(map(len, rows), default=1),))
        con.execute("COMMIT")
        if not add:
            con.execute("VACUUM")
    finally:
        con.close()
    os.replace(tmp, path)


class _QueryDictionary:
    """A dictionary file (:func:`_write_dictionary`), open for look-ups (one per file version: a new one after an
    ingest)."""

    def __init__(self, con: Any, meta: dict[str, int]) -> None:
        self.con, self.total, self.longest, self.count = con, meta["total"], meta["longest"], meta["groups"]
        self.lock = threading.Lock()
        self.groups: dict[int, dict[str, int]] = {}  # read so far

    @staticmethod
    def open(path: str) -> _QueryDictionary | None:
        import sqlite3

        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            meta = {k: int(v) for k, v in con.execute("SELECT key, value FROM meta")}
            con.execute("SELECT id FROM groups LIMIT 1").fetchall()
            return _QueryDictionary(con, meta)
        except (sqlite3.Error, KeyError, ValueError):
            return None

    def _groups(self, text: str) -> dict[int, dict[str, int]]:
        import marshal

        keys = {ord(ch) % self.count for ch in text}
        with self.lock:
            missing = sorted(keys - self.groups.keys())
            for k in range(0, len(missing), 500):
                chunk = missing[k:k + 500]
                found = dict(self.con.execute(
                    f"SELECT id, words FROM groups WHERE id IN ({','.join('?' * len(chunk))})", chunk))
                for key in chunk:
                    self.groups[key] = marshal.loads(zlib.decompress(found[key])) if key in found else {}
            return {key: self.groups[key] for key in keys}

    def frequencies(self, text: str) -> dict[str, int]:
        """The frequencies of the fragments of ``text`` that are in the dictionary: all that jieba looks up."""
        groups = self._groups(text)
        out: dict[str, int] = {}
        n = len(text)
        for i in range(n):
            group = groups[ord(text[i]) % self.count]
            if group:
                for j in range(i + 1, min(n, i + self.longest) + 1):
                    f = group.get(text[i:j])
                    if f is not None:
                        out[text[i:j]] = f
        return out

    def entries(self) -> dict[str, int]:
        """Every word with its frequency."""
        import marshal

        out: dict[str, int] = {}
        with self.lock:
            for (blob,) in self.con.execute("SELECT words FROM groups"):
                out.update(marshal.loads(zlib.decompress(blob)))
        return out

    def close(self) -> None:
        self.con.close()


@lru_cache(maxsize=4)
def _query_dictionary(path: str, stamp: int) -> _QueryDictionary | None:
    return _QueryDictionary.open(path)


def query_words(text: str, dictionary: str | None) -> list[str]:
    """The words of a query as jieba cuts them with the index's query dictionary (the full one without it)."""
    d = None
    if dictionary:
        try:
            d = _query_dictionary(dictionary, os.stat(dictionary).st_mtime_ns)
        except OSError:
            d = None
    tk = tokenizer() if d is None else _over_fragments(d, text)
    return [w for w in tk.cut(text) if _WORD_RE.search(w)]


def _over_fragments(d: _QueryDictionary, text: str):  # noqa: ANN202 - jieba.Tokenizer
    """A tokenizer holding only the frequencies of ``text``'s own fragments: all that jieba looks up to cut it."""
    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = d.frequencies(text), d.total, True
    return tk


@lru_cache(maxsize=1)
def _whole_dictionary() -> _QueryDictionary | None:
    """jieba's whole dictionary (with the user words) as a dictionary file in the cache directory, made once from
    the prepared one."""
    path = os.path.join(cache_dir(), f"jieba-{_dictionary_key()}.sqlite")
    found = _QueryDictionary.open(path)
    if found is None:
        tk = tokenizer()
        try:
            _write_dictionary(path, tk.FREQ, tk.total, add=False)
        except OSError:
            return None
        found = _QueryDictionary.open(path)
    return found


def fragment_tokenizer(text: str):  # noqa: ANN201 - jieba.Tokenizer
    """A tokenizer that cuts ``text`` exactly as :func:`tokenizer` does, holding only the frequencies of the text's
    own fragments, read from a copy of the whole dictionary in SQLite: loading the whole dictionary took 0.16 s of a
    `cite` process that needed it for a few titles.  In a process that has loaded it anyway, that one."""
    if tokenizer.cache_info().currsize:
        return tokenizer()
    found = _whole_dictionary()
    return tokenizer() if found is None else _over_fragments(found, text)
