"""The fingerprint of the code and data that turn a file into stored rows.

An index remembers the fingerprint it was built with.  Any change to the reading, cleaning, normalising,
structuring or segmenting code, to its data files (the variant table, the user dictionary …), or to the
versions of OpenCC and jieba changes the fingerprint, and the next ingest re-reads every file (with a
message saying why) instead of keeping parses the new code would not make.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .sqlite.schema import SCHEMA_VERSION

_PACKAGE = Path(__file__).resolve().parent.parent
# what decides the rows of a file: every module of these packages, these modules, every data file
_PACKAGES = ("text", "ingest")
_MODULES = ("model.py", "store/sqlite/literal.py")


def _files(package: Path) -> list[Path]:
    out: list[Path] = []
    for pkg in _PACKAGES:
        out.extend(sorted((package / pkg).rglob("*.py")))
    out.extend(package / m for m in _MODULES)
    out.extend(sorted(p for p in (package / "data").rglob("*") if p.is_file()))
    return out


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short hash of the parsing code, its data files and the versions of what it calls."""
    return fingerprint_of(_PACKAGE)


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The size and modification time of every file the fingerprint reads, with their paths: an index records it
    beside the fingerprint, so that a search finds the code unchanged without hashing it (the hashing, most of it
    loading OpenSSL for hashlib, took 6 ms of a `search` process); a different stamp means only that the
    fingerprint is computed and compared."""
    files = (*_files(_PACKAGE), *_version_files())
    try:
        return f"schema {SCHEMA_VERSION}\n" + "\n".join(
            f"{p}\t{st.st_size}\t{st.st_mtime_ns}" for p in files for st in (p.stat(),))
    except OSError:
        return ""


def fingerprint_of(package: Path) -> str:
    """The fingerprint of a copy of the package's parsing code and data (``package`` is its directory)."""
    import hashlib

    h = hashlib.sha256(f"schema {SCHEMA_VERSION}\n".encode())
    for path in _files(package):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"missing")
    for dist, version in _versions():
        h.update(f"{dist} {version}\n".encode())
    return h.hexdigest()[:16]


_VERSIONED = (("opencc", "opencc"), ("jieba", "jieba"), ("whoosh-reloaded", "whoosh"))


def _origin(module: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(module)
    return Path(spec.origin) if spec is not None and spec.origin else None


def _version_files() -> list[Path]:
    """The files the versions of :func:`_versions` are read from."""
    return [p for _, module in _VERSIONED if (p := _origin(module)) is not None]


def _versions() -> list[tuple[str, str]]:
    """The versions of what the parsing code calls, read from each package's ``__version__`` line without
    importing it (importlib.metadata took 14 ms of a search process's start-up; `docs` loads no jieba)."""
    import importlib
    import re

    out = []
    for dist, module in _VERSIONED:
        version = "?"
        origin = _origin(module)
        if origin is not None:
            try:
                m = re.search(r"^__version__\s*=\s*(.+)$", origin.read_text("utf-8"), re.M)
                version = m.group(1).strip() if m else "?"
            except OSError:
                pass
        if version[:1] not in "'\"(":  # not a literal (opencc's comes from its C library): ask the module
            version = str(getattr(importlib.import_module(module), "__version__", "?"))
        out.append((dist, version))
    return out
