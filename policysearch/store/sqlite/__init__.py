"""The embedded store: one SQLite database per index generation (FTS5 literal index, compressed texts) beside
its Whoosh word index; built and kept up to date from the corpus files (build.py), compacted when removed
documents leave space behind (compact.py).  Above ``store/``, only the service and the command line name it,
where a store is opened from the settings."""

from .store import DATABASE, META, QUERY_DICT, WORDS, SQLiteStore, connect, create

__all__ = ["DATABASE", "META", "QUERY_DICT", "WORDS", "SQLiteStore", "connect", "create"]
