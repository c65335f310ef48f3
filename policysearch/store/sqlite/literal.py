"""The literal index: every clause's matching and literal forms as streams of character bigrams, in SQLite FTS5.

A clause is indexed as the overlapping bigrams of its matching form (table ``literal``) and, when it differs, of
its literal form (table ``literal_r``: only those clauses, mostly of traditional-script documents, so that a
query of the literal form reads short posting lists).  FTS5 stores each bigram with its positions
(``detail=full``), so a string of two or more characters is found by the phrase of its bigrams at consecutive
positions: exactly the clauses that contain it, with no scan and no verification step.  Single characters are
found in a third table of each clause's distinct characters (of both forms).

The ``ascii`` tokenizer treats every non-ASCII character as part of a token and splits on ASCII punctuation and
spaces, so ASCII characters other than letters and digits are first mapped one-to-one into a private-use range;
tokens are joined by spaces.  The same functions build the streams at ingest, at deletion (a contentless table is
told exactly what it indexed) and for queries.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from typing import NamedTuple

from ..expressions import AllOf, AnyOf, Forms, LiteralExpr

# ASCII punctuation and whitespace → private use (a bijection, so no two strings share a stream)
_ASCII_SAFE = {i: chr(0xE000 + i) for i in range(128) if not chr(i).isalnum()}
SEPARATOR = "\ue100"  # between the title and the id in the titles table

LITERAL_TABLES = """
CREATE VIRTUAL TABLE IF NOT EXISTS literal USING fts5(n, content='', tokenize='ascii', detail=full, columnsize=0);
CREATE VIRTUAL TABLE IF NOT EXISTS literal_r USING fts5(r, content='', tokenize='ascii', detail=full,
                                                        columnsize=0);
CREATE VIRTUAL TABLE IF NOT EXISTS chars USING fts5(c, content='', tokenize='ascii', detail=none, columnsize=0);
"""


def _safe(text: str) -> str:
    return text.translate(_ASCII_SAFE)


def bigrams(text: str) -> str:
    """The bigram stream of a text (a one-character text is its own token)."""
    return _stream(_safe(text))


def _stream(s: str) -> str:
    return s if len(s) < 2 else " ".join(map(operator.add, s, s[1:]))


class LiteralRow(NamedTuple):
    """What the literal tables hold for one clause (exactly this is given back to delete it)."""

    n: str
    r: str  # "" when the literal form is the matching form (no literal_r row)
    c: str


def literal_row(text: str, *, traditional: bool, matching: str | None = None) -> LiteralRow:
    """The literal-index row of a clause text (from its matching and literal forms; ``matching`` when the
    caller has the matching form already).  The one function that makes these rows, at insertion and again at
    deletion (where a row that differs is noticed by its checksum)."""
    from ...text.normalise import norm, raw

    n = matching if matching is not None else norm(text, traditional=traditional)
    r = raw(text)
    sn = _safe(n)
    if r == n:  # most clauses: one form, made safe once
        return LiteralRow(_stream(sn), "", " ".join(sorted(set(sn))))
    sr = _safe(r)
    return LiteralRow(_stream(sn), _stream(sr), " ".join(sorted(set(sn) | set(sr))))


def title_stream(title_norm: str, doc_id: str) -> str:
    """The titles-table row of a document: bigrams of its title's matching form, then of its id."""
    return bigrams(title_norm) + f" {SEPARATOR} " + bigrams(doc_id.lower())


def crc(rows: Iterable[LiteralRow]) -> int:
    """The checksum of a document's literal rows (a deletion gives back exactly what was indexed)."""
    import zlib

    value = 0
    for row in rows:
        value = zlib.crc32("\x00".join((row.n, row.r, row.c, "")).encode("utf-8"), value)
    return value


def _phrase(text: str) -> str:
    return '"' + bigrams(text).replace('"', '""') + '"'


def matching_expr(forms: tuple[str, ...]) -> str | None:
    """FTS5 expression: rows containing any of the forms (each ≥ 2 characters)."""
    parts = [_phrase(f) for f in forms if len(f) >= 2]
    return " OR ".join(parts) if parts else None


def phrase_expr(text: str) -> str | None:
    """FTS5 expression: rows containing text (≥ 2 characters)."""
    return _phrase(text) if len(text) >= 2 else None


def all_words_expr(words: list[str]) -> str | None:
    """FTS5 expression: clauses whose matching form contains every one of the words of two or more characters
    (single characters are looked up in the chars table)."""
    parts = [_phrase(w) for w in words if len(w) >= 2]
    return " AND ".join(parts) if parts else None


def char_expr(ch: str) -> str:
    """FTS5 expression over the chars table: clauses with this character in either form."""
    return '"' + _safe(ch).replace('"', '""') + '"'


def any_bigram_expr(text: str) -> str | None:
    """FTS5 expression: rows sharing any bigram with text (ranked by bm25: the most shared first)."""
    grams = list(dict.fromkeys(bigrams(text).split()))
    if not grams:
        return None
    return " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)


def expression(expr: LiteralExpr) -> str:
    """The FTS5 expression of a combination of literal matches (every part parenthesised)."""
    if isinstance(expr, Forms):
        return f"({matching_expr(expr.forms)})"
    if isinstance(expr, AllOf):
        return "(" + " AND ".join(expression(i) for i in expr.items) + ")"
    if isinstance(expr, AnyOf):
        return "(" + " OR ".join(expression(i) for i in expr.items) + ")"
    drop = " OR ".join(expression(i) for i in expr.drop)
    return f"({expression(expr.keep)} NOT ({drop}))"
