"""From files to Documents: discover, read, clean, lay out, structure, describe, link attachments."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import SourceError
from ..model import Document, shell_safe_id
from ..text.normalise import norm, script_of
from .clean import clean
from .layout import Layout, analyse_layout
from .limits import Limits
from .metadata import clean_name, describe, find_programme, iso_date
from .readers import SourceText, read_source
from .structure import build_tree

MANIFEST = "manifest.toml"
SIDECAR = ".metadata.json"


def corpus_files(corpus: Path, refused: list[tuple[str, str]] | None = None) -> list[tuple[str, os.stat_result]]:
    """(path relative to the corpus, stat) of the corpus's files, in a stable order (by path components);
    hidden files and folders, the manifest and READMEs are skipped.  With os.scandir: at 5,000 files pathlib's
    objects were most of an ingest that had nothing to do.

    The corpus is a folder, not the disk: a symbolic link (to a file or a folder) whose target lies outside the
    corpus folder is never followed, and is added to ``refused`` with the reason; a link to something inside the
    folder is skipped silently, since its target is read where it stands (once)."""
    out: list[tuple[tuple[str, ...], str, os.stat_result]] = []
    root = os.path.realpath(corpus)

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as err:
            if refused is not None:
                refused.append(("/".join(parts) or ".", f"the folder cannot be listed ({err.strerror or err})"))
            return
        for e in entries:
            if e.name.startswith("."):
                continue
            rel = "/".join((*parts, e.name))
            if e.is_symlink():
                target = os.path.realpath(e.path)
                if os.path.commonpath([root, target]) != root and refused is not None:
                    kind = "folder" if os.path.isdir(target) else "file"
                    refused.append((rel, f"a link to a {kind} outside the corpus folder; not followed"))
                continue
            if e.is_dir(follow_symlinks=False):
                walk(e.path, (*parts, e.name))
            elif e.is_file(follow_symlinks=False) and e.name != MANIFEST and \
                    e.name.lower() not in ("readme.md", "readme.txt"):
                out.append(((*parts, e.name), rel, e.stat(follow_symlinks=False)))

    walk(str(corpus), ())
    names = {rel for _, rel, _ in out}
    # a crawler's record of where a file came from (page.html.metadata.json): read with the file, not a document
    out = [f for f in out if not (f[1].endswith(SIDECAR) and f[1][: -len(SIDECAR)] in names)]
    out.sort(key=lambda f: f[0])
    if refused is not None:
        refused.sort()
    return [(rel, st) for _, rel, st in out]


def discover(corpus: Path) -> list[Path]:
    """Files of the corpus, in a stable order (hidden files, the manifest and links are skipped)."""
    return [corpus / rel for rel, _ in corpus_files(corpus)]


def load_manifest(corpus: Path) -> dict[str, dict]:
    path = corpus / MANIFEST
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SourceError(f"{MANIFEST}: not valid TOML ({e})") from e
    return {str(k): dict(v) for k, v in data.get("documents", {}).items()}


def doc_id_for(src: SourceText) -> str:
    """A document's id: its file's path in the corpus without the suffix, '/' as '-', made safe for a shell
    (model.shell_safe_id), and a .jsonl line's number."""
    stem = shell_safe_id(Path(src.source).with_suffix("").as_posix().replace("/", "-"))
    return f"{stem}-{src.line}" if src.line is not None else stem


def _assemble(doc_id: str, src: SourceText, text: str, lay: Layout, script: str) -> Document:
    traditional = script == "traditional"
    md = describe(lay, src.fields, src.fmt, src.source)
    title = str(md.get("title") or "")
    clauses = build_tree(lay.body, traditional=traditional, signature=lay.closing)
    body_norm = "\n".join(c.norm for top in clauses for c in top.walk())
    programme, batch = find_programme(title, body_norm)
    issuers = md.get("issuers") or []
    amendments = md.get("amendments") or []
    extra = md.get("extra") or {}
    assert isinstance(issuers, list) and isinstance(amendments, list) and isinstance(extra, dict)
    doc = Document(
        id=doc_id, title=title, doc_number=_str(md.get("doc_number")), issuers=issuers,
        date=_str(md.get("date")), programme=programme, batch=batch, script=script, source=src.source,
        text=text, clauses=clauses, attachments=lay.attachment_titles, url=_str(md.get("url")),
        source_line=src.line, short_title=str(md.get("short_title") or title),
        published=_str(md.get("published")), effective=_str(md.get("effective")), amendments=amendments,
        cc=list(lay.cc), printed_by=lay.printed_by, printed_date=lay.printed_date,
        doc_type=_str(md.get("doc_type")), extra=dict(extra), metadata_source=dict(md.sources),
    )
    year = src.fields.get("year", "")
    if year.isdigit():
        doc.source_year = int(year)
    return doc


def _str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


_INFO_END_LINE_RE = re.compile(r"^[ \t]*<!--\s*INFO\s+END\s*-->[ \t]*$", re.M)


def _display_text(src: SourceText) -> str:
    """The cleaned text; an information block above an ``<!-- INFO END -->`` line (laws and regulations
    exported to Markdown) is cleaned line by line, so that its entries and the body never run together."""
    m = _INFO_END_LINE_RE.search(src.text)
    if m is None or src.text.count("\n", 0, m.start()) > 60:
        return clean(src.text, src.fmt)
    head = [clean(ln, src.fmt) for ln in src.text[:m.start()].split("\n")]
    body = clean(src.text[m.end():], src.fmt)
    return "\n".join([*(h for h in head if h.strip()), "<!-- INFO END -->", body])


def parse_source(src: SourceText) -> list[Document]:
    """The document (and its embedded attachments) of one extracted text."""
    text = _display_text(src)
    if not text.strip():
        raise SourceError("no text left after removing page chrome")
    script = script_of(text)
    lay = analyse_layout(text)
    doc_id = doc_id_for(src)
    parent = _assemble(doc_id, src, text, lay, script)
    if lay.attachment_number is not None:
        parent.attachments = []
    docs = [parent]
    for n, title, lines in lay.embedded:
        att_text = "\n".join([title, *lines])
        att_lay = analyse_layout(att_text)
        att_lay.title, att_lay.title_lines, att_lay.header = title, [title], [title]
        att_lay.fields, att_lay.number_line, att_lay.issuer_mark, att_lay.info_lines = {}, None, [], []
        att_lay.body = att_lay.paragraphs[1:]
        att_lay.closing, att_lay.signature_lines, att_lay.embedded = [], [], []
        att_lay.cc, att_lay.printed_by, att_lay.printed_date = [], None, None
        sub = SourceText(src.source, att_text, src.fmt, src.encoding, {}, src.line)
        att_id = f"{doc_id}-att{n}"
        while any(d.id == att_id for d in docs):  # an issued document and 附件1 both numbered 1
            att_id = f"{doc_id}-att{n}-{len(docs)}"
        att = _assemble(att_id, sub, att_text, att_lay, script_of(att_text))
        att.title = title
        att.attachment_of = doc_id
        _inherit(att, parent)
        docs.append(att)
    return docs


def _inherit(att: Document, parent: Document) -> None:
    """An attachment carries its parent's issuers, date, programme and batch unless it states its own."""
    if not att.issuers and parent.issuers:
        att.issuers = list(parent.issuers)
        att.metadata_source["issuers"] = "parent"
    if not att.date and parent.date:
        att.date = parent.date
        att.metadata_source["date"] = "parent"
    att.programme = att.programme or parent.programme
    att.batch = att.batch or parent.batch
    att.url = att.url or parent.url


def link_attachments(docs: list[Document], manifest: dict[str, dict] | None = None) -> None:
    """A stand-alone attachment file links to the parent that lists it by title.

    Several parents may list the same title (the 2013 and 2016 notices both have 附件1 编制要点): a
    parent whose own copy is already embedded is passed over, then one in the same script is preferred.
    """
    by_id = {d.id: d for d in docs}
    embedded = {(d.attachment_of, norm(d.title)) for d in docs if d.attachment_of}
    for d in docs:
        if d.attachment_of or not is_standalone_attachment(d):
            continue
        key = norm(d.title)
        candidates = []
        for p in docs:
            if p is d or p.attachment_of:
                continue
            if any(fuzz.ratio(norm(t), key) >= 92 for t in p.attachments) and (p.id, key) not in embedded:
                candidates.append(p)
        candidates.sort(key=lambda p: (p.script != d.script, p.date or ""))
        if candidates:
            d.attachment_of = candidates[0].id
            _inherit(d, candidates[0])
    for doc_id, extra in (manifest or {}).items():
        if doc_id in by_id:
            apply_manifest(by_id[doc_id], extra)


def is_standalone_attachment(d: Document) -> bool:
    return bool(re.match(r"^\s*附\s*件\s*\d*\s*$", d.text.split("\n", 1)[0]))


def apply_manifest(doc: Document, extra: dict) -> None:
    for key in ("title", "doc_number", "date", "programme", "batch", "url", "attachment_of"):
        if key in extra:
            value = extra[key]
            setattr(doc, key, iso_date(str(value)) if key == "date" else value)
    if "issuers" in extra:
        doc.issuers = [clean_name(x) for x in extra["issuers"]]


def read_documents(path: Path, corpus: Path, part: int = 0, parts: int = 1,
                   limits: Limits | None = None) -> list[Document]:
    """The documents of a file; with parts > 1, every parts-th of its texts from the part-th (a .jsonl
    file of many documents is read by several workers)."""
    docs: list[Document] = []
    for src in read_source(path, corpus, limits)[part::parts]:
        docs.extend(parse_source(src))
    return docs

