"""Explicit configuration: where the corpus, the index and the user's files live — computed here, nowhere else.

Flags win over the environment, which wins over the defaults.  Run from a checkout (``pyproject.toml`` and
``corpus/`` beside the package) the defaults are the checkout's ``corpus/`` and ``indexes/``; installed as a
package they are the bundled corpus shipped inside it (read only) and an index in the user's data directory
(platformdirs: ``~/.local/share/policysearch`` on Linux), never site-packages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError

ENV_CORPUS = "POLICYSEARCH_CORPUS"
ENV_INDEX = "POLICYSEARCH_INDEX"
ENV_STORE = "POLICYSEARCH_STORE"
ENV_CACHE = "POLICYSEARCH_CACHE"
ENV_KEYMAP = "POLICYSEARCH_KEYMAP"
ENV_EXPORTS = "POLICYSEARCH_EXPORTS"
ENV_MAX_FILE_MB = "POLICYSEARCH_MAX_FILE_MB"
ENV_MAX_PART_MB = "POLICYSEARCH_MAX_PART_MB"
ENV_MAX_CHARS = "POLICYSEARCH_MAX_CHARS"
ENV_MAX_OCR_PAGES = "POLICYSEARCH_MAX_OCR_PAGES"
APP = "policysearch"
PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
BUNDLED_CORPUS = PACKAGE / "bundled" / "corpus"


def is_checkout(root: Path | None = None) -> bool:
    """Whether the package runs from a source checkout (not an installed wheel)."""
    root = root or CHECKOUT
    return (root / "pyproject.toml").is_file() and (root / "corpus").is_dir()


def default_corpus() -> Path:
    return CHECKOUT / "corpus" if is_checkout() else BUNDLED_CORPUS


def default_index() -> Path:
    if is_checkout():
        return CHECKOUT / "indexes"
    from platformdirs import user_data_path

    return user_data_path(APP) / "indexes"


def cache_dir() -> Path:
    """jieba's prepared dictionary and other caches ($POLICYSEARCH_CACHE, else the user's cache directory)."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP)


def keymap_file() -> Path:
    """The TUI's key remapping ($POLICYSEARCH_KEYMAP, else keymap.toml in the user's config directory)."""
    env = os.environ.get(ENV_KEYMAP)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP) / "keymap.toml"


def exports_dir() -> Path:
    """Where the TUI writes exports (a comparison as HTML or Markdown): $POLICYSEARCH_EXPORTS, else a
    policysearch folder in the user's documents directory (platformdirs) — never the current directory."""
    env = os.environ.get(ENV_EXPORTS)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_documents_path

    return user_documents_path() / APP


def clipboard_file() -> Path:
    """Where the TUI also writes what it copies (inside tmux a terminal's clipboard may be out of reach)."""
    return cache_dir() / "clipboard.txt"


@dataclass(frozen=True)
class Limits:
    """How large a file may be before it is read (checked in ingest/limits.py).  Raise them with ``ingest
    --max-file-mb N --max-part-mb N --max-chars N --max-ocr-pages N`` or the environment, which every command and
    the TUI read."""

    file_mb: float = 64.0  # one file, as it lies on disk
    part_mb: float = 128.0  # a container's parts (.docx), inflated, in all
    chars: float = 4_000_000  # the text of one document, as read (the Civil Code is 110,000 characters)
    ocr_pages: float = 60  # pages of one PDF read by OCR (a scan: about 1-3 s a page)

    @classmethod
    def from_env(cls, file_mb: float | None = None, part_mb: float | None = None,
                 chars: float | None = None, ocr_pages: float | None = None) -> Limits:
        """Flags win over the environment, which wins over the defaults."""
        def pick(flag: float | None, env: str, default: float) -> float:
            raw = os.environ.get(env, "").strip() if flag is None else str(flag)
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise SourceError(f"{env}={raw!r} is not a number") from None
            if not value > 0:
                raise SourceError(f"{env} must be a positive number (got {raw})")
            return value

        return cls(pick(file_mb, ENV_MAX_FILE_MB, cls.file_mb), pick(part_mb, ENV_MAX_PART_MB, cls.part_mb),
                   pick(chars, ENV_MAX_CHARS, cls.chars), pick(ocr_pages, ENV_MAX_OCR_PAGES, cls.ocr_pages))


def store_url(url: str, flag: str) -> str:
    """A PostgreSQL store's URL, checked: anything else is one line naming the flag (never the URL's
    credentials) and what a store URL is."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise SourceError(f"{flag} {url.split('@')[-1]}: a store is a postgresql://… URL (no --store: the "
                          "embedded store in --index)")
    return url


@dataclass(frozen=True)
class Settings:
    corpus: Path
    index: Path
    limits: Limits | None = None  # how large a file may be (None: the environment's or the defaults)
    store: str | None = None  # a PostgreSQL store's URL (postgresql://…); None: the embedded store in index

    @classmethod
    def resolve(cls, corpus: str | Path | None = None, index: str | Path | None = None,
                store: str | None = None) -> Settings:
        """Flags win over the environment, which wins over the defaults (see the module's docstring)."""
        c = corpus or os.environ.get(ENV_CORPUS) or default_corpus()
        i = index or os.environ.get(ENV_INDEX) or default_index()
        url = store or os.environ.get(ENV_STORE) or None
        if url:
            store_url(url, "--store")
        return cls(Path(c).expanduser().resolve(), Path(i).expanduser().resolve(), store=url)
