"""Text primitives every stage uses: normalising, segmenting, document numbers, markers, the lexicon."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent.parent / "data"


def data_file(name: str) -> Path:
    """A data file of the package (``policysearch/data/NAME``), read in place: the package is installed as files
    (jieba opens its dictionaries by path too), and importlib.resources took 4.6 ms of a search process."""
    return _DATA / name


def cached_json(name: str, compute: Callable[[], Any], valid: Callable[[Any], bool] = lambda value: True) -> Any:
    """A JSON value kept in the cache directory under ``name``: read when there and ``valid``, else computed and
    kept (written beside and moved over, so that a reader never sees half a file).  ``compute`` returning None is
    not kept; a read-only cache means computing it again next time."""
    import json
    import os

    from ..config import cache_dir

    path = cache_dir() / name
    try:
        value = json.loads(path.read_text("utf-8"))
        if valid(value):
            return value
    except (OSError, ValueError):
        pass
    value = compute()
    if value is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(value, ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return value
