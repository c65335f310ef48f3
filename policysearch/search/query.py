"""The query language, parsed by hand into query objects (never handed raw to another parser).

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*
    unary   := ("NOT" | "-") unary | atom
    atom    := "(" or ")" | '"' phrase '"' | field ":" value | word
    field   := doc | year | issuer | batch | latest

A word matches a clause whose jieba words contain all of the word's words, or whose text contains
the word literally; a "phrase" matches only clauses containing it literally.  Any input either
parses or raises QueryError with one line saying what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import QueryError
from ..text.normalise import QueryForms, query_forms

FIELDS = ("doc", "year", "issuer", "batch", "latest")


@dataclass(frozen=True)
class _Term:
    text: str  # as typed
    forms: QueryForms  # how it is matched (see QueryForms)

    @property
    def norm(self) -> str:
        """The matching form (variant table applied)."""
        return self.forms.norm

    @property
    def raw(self) -> str:
        """The literal form."""
        return self.forms.raw


@dataclass(frozen=True)
class Word(_Term):
    """Matches a clause by its jieba words, or literally."""


@dataclass(frozen=True)
class Phrase(_Term):
    """Matches a clause only literally."""


@dataclass(frozen=True)
class Filter:
    field: str
    value: str


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Word | Phrase | Filter | And | Or | Not

_WORD_RE = re.compile(r'[^\s"“”「」『』()（）]+')
_QUOTE_PAIRS = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}


@dataclass
class _Tok:
    kind: str  # word, phrase, lp, rp, or, and, not, minus
    value: str
    pos: int


def _tokenise(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _QUOTE_PAIRS:
            close = _QUOTE_PAIRS[ch]
            j = text.find(close, i + 1)
            if ch == '"' and j < 0:
                j = -1
            if j < 0 and ch in "“":
                j = text.find('"', i + 1)
            if j < 0:
                raise QueryError(f"unbalanced quote: the quote at position {i + 1} is never closed")
            toks.append(_Tok("phrase", text[i + 1:j], i))
            i = j + 1
            continue
        if ch in "(（":
            toks.append(_Tok("lp", ch, i))
            i += 1
            continue
        if ch in ")）":
            toks.append(_Tok("rp", ch, i))
            i += 1
            continue
        if ch in "」』":
            raise QueryError(f"unbalanced quote: the quote at position {i + 1} closes nothing")
        m = _WORD_RE.match(text, i)
        assert m is not None
        word = m.group()
        i = m.end()
        if word in ("OR", "|"):
            toks.append(_Tok("or", word, m.start()))
        elif word in ("AND", "&"):
            toks.append(_Tok("and", word, m.start()))
        elif word == "NOT":
            toks.append(_Tok("not", word, m.start()))
        elif word.startswith("-") and len(word) > 1 and not word[1:].isdigit():
            toks.append(_Tok("minus", "-", m.start()))
            toks.append(_Tok("word", word[1:], m.start() + 1))
        elif word == "-":
            raise QueryError("a lone '-' must be followed by the word to exclude (e.g. -试点)")
        else:
            toks.append(_Tok("word", word, m.start()))
    return toks


class _Parser:
    def __init__(self, toks: list[_Tok]):
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self) -> Node:
        node = self.or_()
        t = self.peek()
        if t is not None:
            if t.kind == "rp":
                raise QueryError(f"unbalanced parenthesis: ')' at position {t.pos + 1} has no '('")
            raise QueryError(f"unexpected '{t.value}' at position {t.pos + 1}")
        return node

    def or_(self) -> Node:
        items = [self.and_()]
        while (t := self.peek()) is not None and t.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "and", "rp"):  # type: ignore[union-attr]
                raise QueryError(f"'{t.value}' at position {t.pos + 1} needs a term after it")
            items.append(self.and_())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self) -> Node:
        items = [self.unary()]
        while (t := self.peek()) is not None and t.kind not in ("or", "rp"):
            if t.kind == "and":
                self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("or", "and", "rp"):
                    raise QueryError(f"'{t.value}' at position {t.pos + 1} needs a term after it")
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        t = self.peek()
        if t is None:
            raise QueryError("the query ends where a term was expected")
        if t.kind in ("not", "minus"):
            self.take()
            if self.peek() is None or self.peek().kind in ("or", "and", "rp"):  # type: ignore[union-attr]
                raise QueryError(f"'{t.value}' at position {t.pos + 1} needs a term after it")
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Node:
        t = self.take()
        if t.kind == "lp":
            if self.peek() is None:
                raise QueryError(f"unbalanced parenthesis: '(' at position {t.pos + 1} is never closed")
            if self.peek().kind == "rp":  # type: ignore[union-attr]
                raise QueryError(f"empty parentheses at position {t.pos + 1}")
            node = self.or_()
            close = self.peek()
            if close is None or close.kind != "rp":
                raise QueryError(f"unbalanced parenthesis: '(' at position {t.pos + 1} is never closed")
            self.take()
            return node
        if t.kind == "phrase":
            forms = query_forms(t.value)
            if not _has_content(forms.norm):
                raise QueryError(f'the quoted phrase "{t.value}" has no words or characters to search for')
            return Phrase(t.value, forms)
        if t.kind == "word":
            m = re.match(r"^(?P<field>[a-zA-Z]+)[:：](?P<value>.*)$", t.value)
            if m and m.group("field").lower() in FIELDS:
                value = m.group("value")
                if not value:
                    raise QueryError(f"'{t.value}' needs a value after the colon (e.g. year:2016)")
                return Filter(m.group("field").lower(), value)
            if m and m.group("field").lower() not in FIELDS and m.group("value"):
                raise QueryError(f"unknown filter '{m.group('field')}:' (filters: "
                                 + ", ".join(f + ":" for f in FIELDS) + ")")
            forms = query_forms(t.value)
            if not _has_content(forms.norm):
                raise QueryError(f"'{t.value}' is only punctuation; quote it to search for it literally")
            return Word(t.value, forms)
        if t.kind == "rp":
            raise QueryError(f"unbalanced parenthesis: ')' at position {t.pos + 1} has no '('")
        raise QueryError(f"'{t.value}' at position {t.pos + 1} needs a term before it")


def _has_content(s: str) -> bool:
    return any(ch.isalnum() for ch in s)


def parse_query(text: str) -> Node:
    """Parse a query string; raises QueryError with a one-line reason."""
    if not text or not text.strip():
        raise QueryError("empty query")
    node = _Parser(_tokenise(text)).parse()
    if not _positive(node):
        raise QueryError("the query only excludes or filters; add a word to search for")
    return node


def _positive(node: Node) -> bool:
    """Whether the query has something to match besides exclusions (filters alone are allowed)."""
    if isinstance(node, (Word, Phrase, Filter)):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_positive(i) for i in node.items)
    return all(_positive(i) for i in node.items)


def terms(node: Node) -> list[Word | Phrase]:
    """The positive words and phrases of a query (for highlighting)."""
    if isinstance(node, (Word, Phrase)):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for i in node.items for t in terms(i)]
    return []


def filters(node: Node) -> list[Filter]:
    if isinstance(node, Filter):
        return [node]
    if isinstance(node, (And, Or)):
        return [f for i in node.items for f in filters(i)]
    return []


@dataclass(frozen=True)
class Query:
    """What to search for: the typed query and the filters chosen beside it (a face's selects or options).

    Both faces build a Query; nobody assembles query strings.  ``node`` is the typed query with the chosen
    filters added as filter terms, so they combine with the query's own (``doc:``, ``year:`` …).
    """

    text: str
    node: Node

    @classmethod
    def build(cls, text: str = "", *, doc: str | None = None, year: str | None = None, issuer: str | None = None,
              batch: str | None = None, latest: bool = False) -> Query:
        chosen = [Filter(name, str(value)) for name, value in (("doc", doc), ("year", year), ("issuer", issuer),
                                                                ("batch", batch)) if value]
        if latest:
            chosen.append(Filter("latest", "yes"))
        if not text.strip() and not chosen:
            raise QueryError("empty query")
        if not text.strip():
            return cls(text, chosen[0] if len(chosen) == 1 else And(tuple(chosen)))
        node = parse_query(text)
        if chosen:
            items = node.items if isinstance(node, And) else (node,)
            node = And((*items, *chosen))
        return cls(text, node)

    def describe(self) -> str:
        """The query as one line: the typed text and the chosen filters."""
        typed = set(filters(parse_query(self.text))) if self.text.strip() else set()
        extra = [f"{f.field}:{f.value}" for f in filters(self.node) if f not in typed]
        return " ".join(x for x in (self.text.strip(), *extra) if x)
