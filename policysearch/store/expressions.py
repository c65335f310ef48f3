"""Boolean combinations of literal matches, evaluated by the store in one go.

A query of several words (``(市场 OR 计划) 经济``, ``教育 -高等``) is a combination of "the clause contains one
of these forms": a store evaluates it where its index lives (one FTS5 MATCH here; a ``bool`` query of
``match_phrase`` clauses on a server engine) instead of handing every clause of every word to the caller to
combine.  The relevance of a clause is the BM25 of the literal phrases it matched, summed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Forms:
    """Clauses whose matching form contains one of these forms (each of two characters or more)."""

    forms: tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[LiteralExpr, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[LiteralExpr, ...]


@dataclass(frozen=True)
class Without:
    """Clauses of ``keep`` that match none of ``drop``."""

    keep: LiteralExpr
    drop: tuple[LiteralExpr, ...]


LiteralExpr = Forms | AllOf | AnyOf | Without
