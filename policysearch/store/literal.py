"""The literal index: every clause's matching and literal forms as streams of character bigrams, in SQLite FTS5.

A clause is indexed as the overlapping bigrams of its matching form (column ``n``) and, when it differs, of its
literal form (column ``r``; otherwise ``r`` holds only the marker ``SAME``).  FTS5 stores each bigram with its
positions (``detail=full``), so a string of two or more characters is found by the phrase of its bigrams at
consecutive positions: exactly the clauses that contain it, with no scan and no verification step.  Single
characters are found in a second table of each clause's distinct characters.

The ``ascii`` tokenizer treats every non-ASCII character as part of a token and splits on ASCII punctuation and
spaces, so ASCII characters other than letters and digits are first mapped one-to-one into a private-use range;
tokens are joined by spaces.  The same functions build the streams at ingest, at deletion (a contentless table is
told exactly what it indexed) and for queries.
"""

from __future__ import annotations

from dataclasses import dataclass

# ASCII punctuation and whitespace → private use (a bijection, so no two strings share a stream)
_ASCII_SAFE = {i: chr(0xE000 + i) for i in range(128) if not chr(i).isalnum()}
SAME = "\ue100"  # the r column of a clause whose literal form equals its matching form

LITERAL_TABLES = """
CREATE VIRTUAL TABLE IF NOT EXISTS literal USING fts5(n, r, content='', tokenize='ascii', detail=full,
                                                      columnsize=0);
CREATE VIRTUAL TABLE IF NOT EXISTS chars USING fts5(c, content='', tokenize='ascii', detail=none, columnsize=0);
"""


def _safe(text: str) -> str:
    return text.translate(_ASCII_SAFE)


def bigrams(text: str) -> str:
    """The bigram stream of a text (a one-character text is its own token)."""
    s = _safe(text)
    if len(s) < 2:
        return s
    return " ".join(s[i:i + 2] for i in range(len(s) - 1))


@dataclass(frozen=True)
class LiteralRow:
    """What the literal tables hold for one clause (exactly this is given back to delete it)."""

    n: str
    r: str
    c: str


def literal_row(text: str, *, traditional: bool) -> LiteralRow:
    """The literal-index row of a clause text (from its matching and literal forms).  The one function that
    makes these rows, at insertion and again at deletion."""
    from ..text.normalise import norm, raw

    n, r = norm(text, traditional=traditional), raw(text)
    chars = " ".join(sorted(set(_safe(n)) | set(_safe(r))))
    return LiteralRow(bigrams(n), SAME if r == n else bigrams(r), chars)


def title_stream(title_norm: str, doc_id: str) -> str:
    """The titles-table row of a document: bigrams of its title's matching form, then of its id."""
    return bigrams(title_norm) + f" {SAME} " + bigrams(doc_id.lower())


def crc(row: LiteralRow) -> int:
    import zlib

    return zlib.crc32("\x00".join((row.n, row.r, row.c)).encode("utf-8"))


def _phrase(text: str) -> str:
    return '"' + bigrams(text).replace('"', '""') + '"'


def matching_expr(forms: tuple[str, ...], column: str = "n") -> str | None:
    """FTS5 expression: rows whose column contains any of the forms (each ≥ 2 characters)."""
    parts = [_phrase(f) for f in forms if len(f) >= 2]
    return f"{column} : (" + " OR ".join(parts) + ")" if parts else None


def literal_expr(raw: str) -> str | None:
    """FTS5 expression: clauses whose literal form contains raw (≥ 2 characters)."""
    if len(raw) < 2:
        return None
    p = _phrase(raw)
    return f'(r : {p}) OR (n : {p} AND r : "{SAME}")'


def all_words_expr(words: list[str]) -> str | None:
    """FTS5 expression: clauses whose matching form contains every one of the words of two or more characters
    (single characters are looked up in the chars table)."""
    parts = [_phrase(w) for w in words if len(w) >= 2]
    return "n : (" + " AND ".join(parts) + ")" if parts else None


def char_expr(ch: str) -> str:
    """FTS5 expression over the chars table: clauses with this character in either form."""
    return '"' + _safe(ch).replace('"', '""') + '"'


def any_bigram_expr(text: str, column: str = "t") -> str | None:
    """FTS5 expression: rows sharing any bigram with text (ranked by bm25: the most shared first)."""
    grams = list(dict.fromkeys(bigrams(text).split()))
    if not grams:
        return None
    return f"{column} : (" + " OR ".join('"' + g.replace('"', '""') + '"' for g in grams) + ")"
