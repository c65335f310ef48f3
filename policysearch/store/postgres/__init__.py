"""The server store: a team's shared corpus on PostgreSQL, behind the same protocol (``store/base.py``).  Above
``store/``, only the service and the command line name it, where a store is opened from the settings."""

from .store import SCHEMA_VERSION, PostgresStore, StoreUnavailable, copy_in, init_db, where

__all__ = ["SCHEMA_VERSION", "PostgresStore", "StoreUnavailable", "copy_in", "init_db", "where"]
