"""The document model every other module works on: plain dataclasses, JSON round-trippable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from typing import Any

PREAMBLE = "preamble"
SIGNATURE = "signature"


@dataclass
class Clause:
    """One numbered unit of a notice (一、 （一） 1、 …), or its preamble or signature."""

    path: str  # stable path, e.g. 二/(一)/1
    label: str  # the numbering as written, e.g. （一）
    heading: str  # first sentence when it is a heading, else ""
    text: str  # original text (display script), own text only, children excluded
    norm: str  # matching form of text
    level: int = 0  # depth in the tree (top-level clauses are 1; preamble/signature 0)
    annotations: dict[str, list[str]] = field(default_factory=dict)  # e.g. 牵头单位
    start: int = 0  # offset of text in Document.text
    children: list[Clause] = field(default_factory=list)
    kind: str = ""  # the marker's kind: part, chapter, section, article, cn, paren_cn, num, paren_num, circled …
    number: int | None = None  # the marker's number (第八条 → 8; 第十条之一 → 10, its label keeps 之一)

    def walk(self) -> Iterator[Clause]:
        yield self
        for c in self.children:
            yield from c.walk()

    def to_dict(self, *, nested: bool = True) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k != "children"}
        if nested:
            d["children"] = [c.to_dict() for c in self.children]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clause:
        d = dict(d)
        children = [cls.from_dict(c) for c in d.pop("children", [])]
        return cls(**d, children=children)


@dataclass
class Amendment:
    """One line of a law's history: 2014年11月24日 中华人民共和国国务院令第656号公布."""

    date: str | None  # ISO date
    action: str  # 公布 | 发布 | 通过 | 修订 | 修正 | 施行 | 废止 … as written (simplified)
    text: str  # the line as written
    order: str | None = None  # the order or decision that did it (中华人民共和国国务院令第656号)


@dataclass
class Document:
    """A notice (or an attachment) with its metadata and clause tree."""

    id: str
    title: str
    doc_number: str | None  # GB/T 9704 form: 发改高技〔2013〕1772号
    issuers: list[str]
    date: str | None  # ISO date of signing or publication
    programme: str | None
    batch: int | None
    script: str  # simplified | traditional
    source: str  # path of the source file, relative to the corpus
    text: str  # display text: the original wording and script, layout artefacts repaired
    clauses: list[Clause] = field(default_factory=list)  # top level: preamble, 一、…, signature
    attachment_of: str | None = None
    attachments: list[str] = field(default_factory=list)  # titles listed in 附件：
    url: str | None = None
    source_line: int | None = None  # for .jsonl sources: the line number
    source_year: int | None = None  # a year the source states outside the text (a .jsonl "year" field)
    short_title: str = ""  # the title from 关于 on (or the title itself): how citations without the issuer read
    published: str | None = None  # ISO date of publication (发布日期), when stated
    effective: str | None = None  # ISO date it takes effect (施行日期), when stated
    amendments: list[Amendment] = field(default_factory=list)  # a law's history, oldest first
    cc: list[str] = field(default_factory=list)  # 抄送 of the 版记
    printed_by: str | None = None  # 印发机关 of the 版记
    printed_date: str | None = None  # 印发日期 of the 版记
    doc_type: str | None = None  # the kind of document its title ends with: 通知, 意见, 条例 …
    extra: dict[str, str] = field(default_factory=dict)  # other stated fields: 主题分类, 索引号, 时效性, 法宝引证码 …
    metadata_source: dict[str, str] = field(default_factory=dict)  # field → where it was read (see README)
    work: str | None = None  # the work this is a version of (versions of a regulation share it)
    version: str | None = None  # this version's date, ISO
    clause_count: int | None = None  # set when the clauses are not loaded (a store's metadata-only document)

    @property
    def year(self) -> int | None:
        if self.date:
            return int(self.date[:4])
        if self.doc_number:
            m = re.search(r"〔(\d{4})〕", self.doc_number)
            if m:
                return int(m.group(1))
        return self.source_year

    @property
    def traditional(self) -> bool:
        return self.script == "traditional"

    def walk(self) -> Iterator[Clause]:
        for c in self.clauses:
            yield from c.walk()

    def reading_blocks(self) -> Iterator[tuple[Clause, int, int]]:
        """Every clause's own text in the order it is written, as (clause, start, end) slices of clause.text: an
        article's paragraphs after its items (a 款 after its 项) come after the items, as in the document."""
        def rec(c: Clause) -> Iterator[tuple[Clause, int, int]]:
            split = len(c.text)
            if c.children:
                before = self.text[c.start:c.children[0].start].rstrip()
                if before and c.text.startswith(before) and c.text[len(before):].strip():
                    split = len(before)
            yield c, 0, split
            for child in c.children:
                yield from rec(child)
            if split < len(c.text):
                tail = split + len(c.text[split:]) - len(c.text[split:].lstrip())
                yield c, tail, len(c.text)

        for c in self.clauses:
            yield from rec(c)

    def clause(self, path: str) -> Clause | None:
        for c in self.walk():
            if c.path == path:
                return c
        return None

    def metadata(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "short_title": self.short_title or self.title,
            "doc_number": self.doc_number,
            "issuers": self.issuers,
            "date": self.date,
            "published": self.published,
            "effective": self.effective,
            "year": self.year,
            "doc_type": self.doc_type,
            "programme": self.programme,
            "batch": self.batch,
            "script": self.script,
            "source": self.source,
            "attachment_of": self.attachment_of,
            "attachments": self.attachments,
            "url": self.url,
            "amendments": [asdict(a) for a in self.amendments],
            "cc": self.cc,
            "printed_by": self.printed_by,
            "printed_date": self.printed_date,
            "extra": self.extra,
            "work": self.work,
            "version": self.version,
            "metadata_source": dict(sorted(self.metadata_source.items(), key=_in_field_order)),
            "clauses": self.clause_count if self.clause_count is not None and not self.clauses
            else sum(1 for _ in self.walk()),
        }

    def to_dict(self) -> dict[str, Any]:
        d = self.fields_dict()
        d["clauses"] = [c.to_dict() for c in self.clauses]
        return d

    def fields_dict(self) -> dict[str, Any]:
        """Every field but the clause tree, as plain data (the clauses are not copied: cheap to call)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "clauses":
                continue
            value = getattr(self, f.name)
            if f.name == "amendments":
                value = [asdict(a) for a in value]
            elif isinstance(value, list):
                value = list(value)
            elif isinstance(value, dict):
                value = {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        d = dict(d)
        d["clauses"] = [Clause.from_dict(c) for c in d.get("clauses", [])]
        d["amendments"] = [Amendment(**a) for a in d.get("amendments", [])]
        return cls(**d)


_FIELD_ORDER = {f.name: k for k, f in enumerate(fields(Document))}


def _in_field_order(item: tuple[str, str]) -> tuple[int, str]:
    """metadata_source in the order of Document's fields (a store may give its keys back in another order)."""
    return _FIELD_ORDER.get(item[0], len(_FIELD_ORDER)), item[0]


@dataclass
class SourceProblem:
    """A file that could not be read, and why (one line for the user)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Progress:
    """A progress event from long work (ingest, index build)."""

    stage: str
    done: int
    total: int
    item: str = ""


_SHELL_SPECIAL_RE = re.compile(r"[\s()\[\]{}<>|&;$`'\"\\*?!~#]+")


def shell_safe_id(name: str) -> str:
    """A document id a shell takes as it is: characters a shell would read as syntax (brackets, quotes,
    spaces, $, *, ; …) become one '-' (会计法(2017-11-04) → 会计法-2017-11-04).  Ids written the old way are
    still accepted: look-ups apply this to them too."""
    return _SHELL_SPECIAL_RE.sub("-", name).strip("-") or name


@dataclass
class Citation:
    doc_id: str  # the citing document
    clause: str  # the clause it stands in
    as_written: str  # the citation as written, brackets and all
    title: str | None  # as written, without 《》
    doc_number: str | None  # GB/T 9704 form
    issuers_prefix: str | None = None  # 国家发展改革委、商务部等十三部委 before the 《》
    start: int = 0  # offset in the clause text
    article: int | None = None  # 第十条 → 10
    article_sub: int = 0  # 第十条之一 → 1
    paragraph: int | None = None  # 第二款 → 2 (前款: the paragraph before the citing one, see scope)
    item: int | None = None  # 第（二）项 → 2
    pinpoint: str = ""  # the pinpoint as written: 第十条第二款
    scope: str = "document"  # document (a cited title or number) | self (本条例第十条, 第十条 alone)
    #                          | relative (前款, 本条第二款: the citing article) | short (专利法第二十条)

    @property
    def title_key(self) -> str:
        from .text.titles import title_key

        return title_key(self.title or "")

    @property
    def article_number(self) -> tuple[int, int] | None:
        return (self.article, self.article_sub) if self.article is not None else None

    def pinpoint_dict(self) -> dict[str, Any]:
        """What a store keeps of the pinpoint (the citations table's ``extra``)."""
        return {"article": self.article, "article_sub": self.article_sub, "paragraph": self.paragraph,
                "item": self.item, "pinpoint": self.pinpoint, "scope": self.scope}
