"""The command line: human output on a terminal, --json for scripts.  No command shows a traceback
for something the user did; each such error is one line naming the thing and the reason."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .config import ENV_CORPUS, ENV_INDEX, ENV_STORE, Settings


class UserError(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"policysearch: {self.message}", err=True)


def _user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can cause into one line and exit status 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import PolicySearchError

        try:
            return fn(*args, **kwargs)
        except PolicySearchError as e:
            raise UserError(str(e)) from e
        except FileNotFoundError as e:
            raise UserError(f"{e.filename or ''} {e.strerror or e}".strip()) from e
        except KeyboardInterrupt:
            raise UserError("interrupted; the previous index is intact") from None

    return wrapper


def emit_json(data: Any) -> None:
    from .render.safe import to_json

    click.echo(to_json(data))


def say(text: str, *, err: bool = False) -> None:
    """A plain line to the terminal, with anything a document could smuggle in removed."""
    from .render.safe import printable

    click.echo(printable(text), err=err)


def console():  # noqa: ANN201 - rich.console.Console
    """Rich output: on a terminal, wrapped to its width; off one (a pipe, a file), one record a line, nothing
    wrapped or cut, so that grep and cut see whole ids and titles."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


class Lines:
    """A command's report, a line at a time: on a terminal with styles (click's ANSI codes: rich's import is 20–30
    ms of a `search` or `cite` process that prints a few styled lines), off one (a pipe, a file) as plain text.  A
    line is made of document text and of (style, text) parts; a style is words as rich writes them ("bold cyan",
    "dim", "black on yellow")."""

    def __init__(self) -> None:
        self.styled = sys.stdout.isatty()

    def line(self, *parts: str | tuple[str, str]) -> None:
        from .render.safe import printable

        click.echo("".join(printable(p) if isinstance(p, str) else self.style(printable(p[1]), p[0])
                           for p in parts))

    def style(self, text: str, style: str) -> str:
        """Text in a style (plain off a terminal)."""
        if not self.styled or not text:
            return text
        words = style.split()
        colours = [w for w in words if w not in ("bold", "dim", "on")]
        background = words[words.index("on") + 1] if "on" in words[:-1] else None
        foreground = next((c for c in colours if c != background), None)
        return click.style(text, fg=foreground, bg=background, bold="bold" in words or None,
                           dim="dim" in words or None)


def markup(text: str | None) -> str:
    """Document text for a rich markup string: printable, with markup characters escaped."""
    from rich.markup import escape

    from .render.safe import printable

    return escape(printable(text or ""))


def run_with_progress(events: Iterator[Any], *, quiet: bool = False) -> Any:
    """Drain a generator of Progress events, drawing a progress bar on a terminal; returns its result."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .model import Progress as ProgressEvent

    show = not quiet and sys.stderr.isatty()
    result = None
    if not show:
        for ev in events:
            if not isinstance(ev, ProgressEvent):
                result = ev
        return result
    from rich.console import Console

    with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[item]}"), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingest", total=None, item="")
        for ev in events:
            if isinstance(ev, ProgressEvent):
                bar.update(task, description=ev.stage, completed=ev.done, total=ev.total or None,
                           item=markup(ev.item))
            else:
                result = ev
    return result


def _matching(n: int) -> str:
    return "1 clause matches" if n == 1 else f"{n} clauses match"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def print_tsv(header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """A table off a terminal: its header, then one record a line, tab-separated (None as nothing)."""
    from .render.safe import one_line

    say("\t".join(header))
    for row in rows:
        say("\t".join(one_line("" if x is None else str(x)) for x in row))


def write_csv(path: str, header: list[str], rows: Iterable[Iterable[Any]], *, quiet: bool) -> None:
    """A table into a CSV file the user named (None as nothing), and a line saying so unless ``quiet``."""
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(["" if x is None else x for x in row] for row in rows)
    if not quiet:
        say(f"wrote {path}")


def problem_line(p: Any) -> str:
    """A file that could not be read, on one line: its name escaped, then why."""
    from .render.safe import one_line

    return f"{one_line(p.source)}: {one_line(p.reason)}"


def library(settings: Settings, *, quiet: bool = False):  # noqa: ANN201 - service.Library
    """The service, with an index built (or rebuilt, saying why) if there is none usable."""
    from .errors import IndexFull, IndexReadOnly
    from .service import Library
    from .store.sqlite.state import readable_store

    lib = Library(settings)
    gen, why = lib.state()
    if gen is None:
        if why != "no index yet":
            say(f"policysearch: {why}; rebuilding it", err=True)
        try:
            report = run_with_progress(lib.prepare(), quiet=quiet)
        except (IndexReadOnly, IndexFull) as e:
            if readable_store(settings.index) is None:
                raise
            # it cannot be rebuilt: answer from it as it is, and say so
            say(f"policysearch: {e}; answering from the index as it was built", err=True)
            lib.stale_ok = True
            return lib
        for p in getattr(report, "problems", []):
            say(f"policysearch: skipped {problem_line(p)}", err=True)
    return lib


_GLOBAL = ("--corpus", "--index", "--store")


def _hoist(args: list[str], commands: set[str]) -> list[str]:
    """Options where a user puts them: --corpus and --index after the command move before it (they belong to
    the group), --json before the command moves after it (it belongs to the command)."""
    at, k = None, 0
    while k < len(args):
        a = args[k]
        if a in _GLOBAL:
            k += 2
            continue
        if a in commands:
            at = k
            break
        k += 1
    if at is None:
        return args
    front, rest = args[:at], args[at + 1:]
    moved_json = [a for a in front if a == "--json"]
    front = [a for a in front if a != "--json"]
    hoisted: list[str] = []
    kept: list[str] = []
    k = 0
    while k < len(rest):
        a = rest[k]
        if a == "--":
            kept.extend(rest[k:])
            break
        if a in _GLOBAL and k + 1 < len(rest):
            hoisted += [a, rest[k + 1]]
            k += 2
            continue
        if a.startswith(tuple(g + "=" for g in _GLOBAL)):
            hoisted.append(a)
        else:
            kept.append(a)
        k += 1
    return [*front, *hoisted, args[at], *kept, *moved_json]


class _Group(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _hoist(list(args), set(self.commands)))


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--corpus", type=click.Path(file_okay=False), envvar=ENV_CORPUS, default=None,
              help=f"Corpus directory (env {ENV_CORPUS}; default: the checkout's corpus/).")
@click.option("--index", "index_dir", type=click.Path(file_okay=False), envvar=ENV_INDEX, default=None,
              help=f"Index directory (env {ENV_INDEX}; default: the checkout's indexes/).")
@click.option("--store", "store_url", default=None, metavar="URL",
              help=f"A PostgreSQL store, postgresql://… (env {ENV_STORE}; default: the embedded store in --index).")
@click.version_option(package_name="policysearch")
@click.pass_context
def cli(ctx: click.Context, corpus: str | None, index_dir: str | None, store_url: str | None) -> None:
    """Search, compare and cite Chinese policy notices.  With no command: the terminal UI."""
    from .errors import PolicySearchError

    try:
        ctx.obj = Settings.resolve(corpus, index_dir, store_url)
    except PolicySearchError as e:
        raise UserError(str(e)) from e
    if ctx.invoked_subcommand is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):  # a script, a pipe, CI: no screen to draw on
            click.echo(ctx.get_help(), err=True)
            click.echo("\npolicysearch: no command given and no terminal for the UI (give a command, or run "
                       "`policysearch tui` in a terminal)", err=True)
            ctx.exit(2)
        ctx.invoke(tui)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another ingest is running.")
@click.option("--max-file-mb", type=float, default=None,
              help="Refuse files larger than this (default 64; env POLICYSEARCH_MAX_FILE_MB).")
@click.option("--max-part-mb", type=float, default=None,
              help="Refuse a .docx whose parts inflate to more than this (default 128; env POLICYSEARCH_MAX_PART_MB).")
@click.option("--max-chars", type=float, default=None,
              help="Refuse a document whose text is longer (default 4000000; env POLICYSEARCH_MAX_CHARS).")
@click.option("--max-ocr-pages", type=float, default=None,
              help="Refuse a PDF with more pages to read by OCR (default 60; env POLICYSEARCH_MAX_OCR_PAGES).")
@click.pass_obj
@_user_errors
def ingest(settings: Settings, as_json: bool, no_wait: bool, max_file_mb: float | None,
           max_part_mb: float | None, max_chars: float | None, max_ocr_pages: float | None) -> None:
    """(Re)read the corpus: index new and changed files, drop deleted ones."""
    from dataclasses import replace

    from .ingest.limits import Limits
    from .render.shapes import ingest_report
    from .service import Library

    settings = replace(settings, limits=Limits.from_env(max_file_mb, max_part_mb, max_chars, max_ocr_pages))
    report = run_with_progress(Library(settings).ingest(wait=not no_wait), quiet=as_json)
    if as_json:
        emit_json(ingest_report(report))
        return
    if report.rebuilt:
        say(f"rebuilt the index: {report.rebuilt}")
    if report.repaired:
        say(f"repaired the index: {report.repaired}")
    if report.compacted:
        say(f"compacted the index: {report.compacted}")
    from .render.safe import one_line

    for label, items in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for item in items:
            say(f"{label:8} {one_line(item)}")
    for p in report.problems:
        kept = " (previous version kept)" if p.source in report.kept else ""
        say(f"skipped  {problem_line(p)}{kept}")
    say(f"{report.documents} documents, {report.clauses} clauses; {len(report.unchanged)} files unchanged "
        f"({report.seconds:.2f} s)")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def docs(settings: Settings, as_json: bool) -> None:
    """List the documents with their metadata."""
    from .render.shapes import document_summary

    items = library(settings, quiet=as_json).documents()
    if as_json:
        emit_json([document_summary(d) for d in items])
        return
    if not sys.stdout.isatty():  # a pipe or a file: tab-separated, one document a line
        print_tsv(["id", "date", "number", "batch", "title"],
                  ((d.id, d.date, d.doc_number, d.batch or None, ("└" if d.attachment_of else "") + d.title)
                   for d in items))
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    table.add_column("id", no_wrap=True)  # ids and numbers are never broken; titles wrap
    for col in ("date", "number", "batch"):
        table.add_column(col, no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    for d in items:
        title = ("└" if d.attachment_of else "") + d.title
        table.add_row(markup(d.id), d.date or "", markup(d.doc_number), str(d.batch or ""), markup(title))
    console().print(table)


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def show(settings: Settings, doc: str, as_json: bool) -> None:
    """Print one document with its clause tree (DOC: id, number in any form, or title fragment)."""
    from .render.shapes import document_full

    d = library(settings, quiet=as_json).document(doc)
    if as_json:
        emit_json(document_full(d))
        return
    from rich.tree import Tree

    con = console()
    con.print(f"[bold]{markup(d.title)}[/]  {markup(d.doc_number)}")
    meta = [d.date or "", "、".join(d.issuers), f"第{d.batch}批" if d.batch else "", d.programme or "", d.script]
    con.print(markup("  ".join(m for m in meta if m)))
    if d.attachment_of:
        con.print(f"attachment of {markup(d.attachment_of)}")
    if d.extra.get("OCR"):  # text read from page images: a reader should know
        con.print(f"[yellow]{markup(d.extra['OCR'])}[/]")
    tree = Tree(markup(d.id))

    def add(node: Tree, clause: Any) -> None:
        head = clause.heading or clause.text.split("\n", 1)[0][:40]
        extra = "".join(f"  [dim]{markup(k)}：{markup('、'.join(v))}[/]" for k, v in clause.annotations.items())
        child = node.add(f"[cyan]{markup(clause.path)}[/] {markup(head)}{extra}")
        for c in clause.children:
            add(child, c)

    for c in d.clauses:
        add(tree, c)
    con.print(tree)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="Hits to show; 0 for all.")
@click.option("--offset", default=0, show_default=True, help="Skip this many hits (for paging).")
@click.option("--doc", "doc_filter", help="Only this document (same as doc:DOC).")
@click.option("--year", help="Only this year or range (year:2016, year:2013-2016).")
@click.option("--issuer", help="Only documents by this issuer.")
@click.option("--batch", help="Only this batch (2 or 第二批).")
@click.option("--latest", is_flag=True, help="Only the latest version of each work (same as latest:yes).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def search(settings: Settings, query: tuple[str, ...], limit: int, offset: int, doc_filter: str | None,
           year: str | None, issuer: str | None, batch: str | None, latest: bool, as_json: bool) -> None:
    """Search clauses.  Words AND by default; "quoted" literal phrases; OR, NOT/-, (), doc: year: issuer: batch:
    latest:."""
    from .render.shapes import search_result
    from .search.query import Query

    q = Query.build(" ".join(query), doc=doc_filter, year=year, issuer=issuer, batch=batch, latest=latest)
    result = library(settings, quiet=as_json).search(q, limit=limit, offset=offset)
    if as_json:
        emit_json(search_result(result))
        return
    from .render.safe import printable
    from .service import Library

    shown = f" (showing {offset + 1}–{offset + len(result.hits)})" if len(result.hits) < result.total else ""
    if not sys.stdout.isatty():  # a pipe or a file: the count, then one hit a line, tab-separated (no rich)
        from .render.safe import one_line

        say(f"{_matching(result.total)} {one_line(result.query)}{shown}")
        for h in result.hits:
            say("\t".join(one_line(x) for x in (h.doc_id, h.clause, Library.short_title_of(h.title, 40),
                                                 h.version or "", h.snippet)))
        return
    out = Lines()
    out.line(f"{_matching(result.total)} ", ("bold", result.query), shown)
    for h in result.hits:
        out.line(("bold cyan", h.doc_id), "  ", ("green", h.clause), "  ",
                 ("dim", Library.short_title_of(h.title, 40)),  # as the TUI's list
                 *((("dim", f"  ({h.version})"),) if h.version else ()))
        snippet, at = printable(h.snippet), 0
        parts: list[str | tuple[str, str]] = ["    "]
        for s, e in h.snippet_spans:
            parts += [snippet[at:s], ("bold black on yellow", snippet[s:e])]
            at = e
        out.line(*parts, snippet[at:])


@cli.command()
@click.argument("doc")
@click.option("--clause", help="Only this clause (a path from `show`, e.g. 二/(一)).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def trace(settings: Settings, doc: str, clause: str | None, as_json: bool) -> None:
    """Where each clause of DOC came from and where it went: passages it shares with other documents, the spans on
    both sides, the share of the clause, and which came first (boilerplate is never reuse)."""
    d, traces = library(settings, quiet=as_json).trace(doc, clause)
    if as_json:
        emit_json({"doc_id": d.id, "title": d.title, "date": d.date, "clauses": [t.to_dict() for t in traces]})
        return
    from .render.safe import one_line

    shared = [t for t in traces if t.passages]
    if not sys.stdout.isatty():  # one passage a line
        print_tsv(["clause", "share", "direction", "relation", "doc_id", "clause_there", "date"],
                  ((t.clause, f"{p.share:.2f}", p.direction, p.relation, p.doc_id, p.clause, p.date)
                   for t in shared for p in t.passages))
        return
    con = console()
    con.print(f"[bold]{markup(d.title)}[/]  {markup(d.id)}  {d.date or ''}: "
              f"{len(shared)} of {_count(len(traces), 'clause')} share text with other documents")
    for t in shared:
        opening = one_line(t.text.replace("\n", " "))[:60]
        con.print(f"[cyan]{markup(t.clause)}[/]  {markup(opening)}")
        for p in t.passages[:5]:
            con.print(f"    {p.share:4.0%}  {markup(p.doc_id)} {markup(p.clause)}  {p.date or ''}  ({p.came}"
                      f"{'; another version of this work' if p.relation == 'version' else ''})")


@cli.command()
@click.option("--to", "to", required=True, metavar="FILTERS",
              help="The later documents: any search query, e.g. 'issuer:上海市人民政府' or 'year:2020-2024'.")
@click.option("--from", "frm", metavar="FILTERS", help="Only sources among these documents (e.g. 'issuer:国务院*').")
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), help="Write the table to FILE as CSV.")
@click.pass_obj
@_user_errors
def reuse(settings: Settings, to: str, frm: str | None, as_json: bool, csv_file: str | None) -> None:
    """Which earlier documents the documents of --to took text from, and how much (the share of each later
    document's text), with the lag between them; versions of one work are not reuse."""
    found = run_with_progress(library(settings, quiet=as_json).reuse_events(to, frm), quiet=as_json) or []
    if csv_file:
        write_csv(csv_file, ["doc_id", "date", "source_id", "source_date", "share", "clauses", "lag_days"],
                  ((b.doc_id, b.date, b.source_id, b.source_date, f"{b.share:.3f}", b.clauses, b.lag_days)
                   for b in found), quiet=as_json)
    if as_json:
        emit_json({"pairs": [b.to_dict() for b in found]})
        return
    if csv_file:
        return
    if not sys.stdout.isatty():
        print_tsv(["doc_id", "share", "clauses", "source_id", "lag_days"],
                  ((b.doc_id, f"{b.share:.3f}", b.clauses, b.source_id, b.lag_days) for b in found))
        return
    con = console()
    if not found:
        con.print("no document of --to took text from an earlier document" + (" of --from" if frm else ""))
    for b in found:
        lag = "" if b.lag_days is None else f", {b.lag_days} days later"
        con.print(f"{b.share:4.0%}  {markup(b.doc_id)} ← {markup(b.source_id)}  ({_count(b.clauses, 'clause')}"
                  f"{lag})")


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("queries", nargs=-1, required=True)
@click.option("--by", type=click.Choice(["year", "issuer", "batch", "work"]), default="year", show_default=True,
              help="The periods to count in.")
@click.option("--per-docs", is_flag=True, help="Bars by matching documents per 1,000 of the period's documents.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False), help="Write the table to FILE as CSV.")
@click.pass_obj
@_user_errors
def trend(settings: Settings, queries: tuple[str, ...], by: str, per_docs: bool, as_json: bool,
          csv_file: str | None) -> None:
    """How a term spread: per year (or issuer, batch, work), the documents and clauses each QUERY matches (any
    search query; quote one with spaces), per 1,000 documents of the period, and who used it first."""
    trends = library(settings, quiet=as_json).trend(list(queries), by)
    if csv_file:
        write_csv(csv_file, ["query", by, "documents", "clauses", "corpus_documents", "per_1000_docs",
                             "first_doc", "first_date", "first_clause"],
                  ((t.query, p.period, p.documents, p.clauses, p.corpus_documents, f"{p.per_1000:.1f}",
                    *((p.first.doc_id, p.first.date, p.first.clause) if p.first else (None, None, None)))
                   for t in trends for p in t.periods), quiet=as_json)
    if as_json:
        emit_json({"by": by, "queries": [t.to_dict() for t in trends]})
        return
    if csv_file:
        return
    if not sys.stdout.isatty():  # a pipe or a file: one period a line
        print_tsv(["query", by, "documents", "clauses", "corpus_documents", "per_1000_docs"],
                  ((t.query, p.period, p.documents, p.clauses, p.corpus_documents, f"{p.per_1000:.1f}")
                   for t in trends for p in t.periods))
        return
    from rich.bar import Bar
    from rich.table import Table

    con = console()
    for t in trends:
        first = (f"; first: {t.first.date or 'undated'} {markup(t.first.doc_id)} {markup(t.first.clause)}"
                 if t.first else "")
        con.print(f"[bold]{markup(t.query)}[/]: {_count(t.documents, 'document')}, "
                  f"{_count(t.clauses, 'clause')}{first}")
        if not t.periods:
            continue
        table = Table(box=None, pad_edge=False)
        table.add_column(by, no_wrap=True)
        for col in ("documents", "clauses", "of", "per 1,000"):
            table.add_column(col, justify="right", no_wrap=True)
        table.add_column("", width=30, no_wrap=True)
        value = (lambda p: p.per_1000) if per_docs else (lambda p: float(p.documents))
        top = max((value(p) for p in t.periods), default=0.0) or 1.0
        for p in t.periods:
            table.add_row(markup(p.period), str(p.documents), str(p.clauses), str(p.corpus_documents),
                          f"{p.per_1000:.1f}", Bar(top, 0, value(p), width=30, color="cyan"))
        con.print(table)
        con.print()


@cli.command()
@click.argument("doc_a")
@click.argument("doc_b")
@click.option("--section-a", help="Compare only this clause of A and its children (e.g. 二).")
@click.option("--section-b", help="Compare only this clause of B and its children (e.g. 一/(一)).")
@click.option("--changed-only", is_flag=True, help="Hide pairs whose status is 'same'.")
@click.option("--show-variants", is_flag=True, help="List variant and format differences too.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--html", "html_file", type=click.Path(dir_okay=False), help="Write a redline page to FILE.")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print Markdown for a report.")
@click.option("--docx", "docx_file", type=click.Path(dir_okay=False),
              help="Write the 新旧对照 table (A4 landscape) to FILE.docx.")
@click.option("--all", "show_all", is_flag=True, help="In the 新旧对照 table, print unchanged articles too.")
@click.pass_obj
@_user_errors
def diff(settings: Settings, doc_a: str, doc_b: str, section_a: str | None, section_b: str | None,
         changed_only: bool, show_variants: bool, as_json: bool, html_file: str | None, as_markdown: bool,
         docx_file: str | None, show_all: bool) -> None:
    """Compare two documents clause by clause, or two versions of a regulation article by article (aligned by
    content: a renumbered article is the same article).  Versions give a 新旧对照 table (--docx, --html,
    --markdown)."""
    from .render import versions_table
    from .render.comparison import render_html, render_markdown

    comparison = library(settings, quiet=as_json).compare(doc_a, doc_b, section_a, section_b)
    table = bool(getattr(comparison, "by_article", False))
    if docx_file:
        versions_table.to_docx(comparison, docx_file, all=show_all)
        if not (as_json or as_markdown):
            say(f"wrote {docx_file}")
    if html_file:
        page = versions_table.to_html(comparison, all=show_all) if table else \
            render_html(comparison, changed_only=changed_only, show_variants=show_variants)
        Path(html_file).write_text(page, "utf-8")
        if not (as_json or as_markdown):
            say(f"wrote {html_file}")
    if as_json:
        from .render.shapes import comparison as comparison_shape

        emit_json(comparison_shape(comparison, changed_only=changed_only, show_variants=show_variants))
    elif as_markdown:
        say(versions_table.to_markdown(comparison, all=show_all) if table else
            render_markdown(comparison, changed_only=changed_only, show_variants=show_variants))
    elif not (html_file or docx_file):
        from .render.comparison import terminal_table

        console().print(terminal_table(comparison, changed_only=changed_only or table, show_variants=show_variants))
        if table:
            say(comparison.summary_line())


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def versions(settings: Settings, doc: str, as_json: bool) -> None:
    """The versions of a document's work, oldest first, with what each changed against the previous one."""
    d, items = library(settings, quiet=as_json).versions(doc)
    if as_json:
        from .render.shapes import versions_result

        emit_json(versions_result(d, items))
        return
    con = console()
    con.print(f"[bold]{markup(d.short_title or d.title)}[/]  {len(items)} version{'s' if len(items) != 1 else ''}")
    for v in items:
        counts = v.get("counts") or {}
        change = ", ".join(f"{n} {k}" for k, n in counts.items() if n) if counts else ""
        con.print(f"  {markup(str(v.get('version') or '?')):10} {markup(str(v['doc_id']))}  "
                  f"{markup(str(v.get('note') or ''))}")
        if change:
            con.print(f"  {'':10} [dim]{markup(change)}[/]")


@cli.command()
@click.argument("ref")
@click.option("--format", "style", type=click.Choice(["gbt9704", "gbt7714"]), default="gbt9704", show_default=True,
              help="Citation style: GB/T 9704 (in a notice's text) or a GB/T 7714-2015 reference entry.")
@click.option("--clause", help="Cite a clause too (e.g. 二/(一) → 第二部分第（一）项).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def cite(settings: Settings, ref: str, style: str, clause: str | None, as_json: bool) -> None:
    """Who cites a document, and the citation to paste (REF: number in any form, title fragment or id)."""
    from .render.shapes import cite_result

    lib = library(settings, quiet=as_json)
    article = lib.cite_article(ref)
    if article is not None:
        if as_json:
            emit_json({"query": ref, "article": article})
            return
        out = Lines()
        out.line(("bold", article["title"]), f"  {article['article']}  ",
                 ("dim", f"({article['version'] or ''} version, {article['doc_id']})"))
        out.line(article["text"])
        out.line(("bold", "citation:"), " " + article["citation"])
        out.line(f"cited by {len(article['cited_by'])}:")
        for c in article["cited_by"]:
            out.line(f"  {c['from_doc']}  {c['from_clause']}  {c['as_written']}")
        return
    matches = lib.cite(ref)
    if not matches:
        raise UserError(f"nothing in the corpus is or cites '{ref}'")
    if clause:
        doc = lib.document(matches[0].doc.id) if len(matches) == 1 and matches[0].doc is not None else None
        if doc is None or doc.clause(clause) is None:
            raise UserError(f"--clause {clause}: no such clause in {doc.id if doc else ref}")
    if as_json:
        emit_json(cite_result(ref, matches, clause=clause, style=style))
        return
    out = Lines()
    for e in matches:
        d = e.to_dict(clause=clause, style=style)
        out.line(("bold", d["title"] or "(title unknown)"), f"  {d['doc_number'] or ''}")
        others = [t for t in d["titles_as_written"] if t != d["title"]]
        if others:
            out.line("  also cited as: " + "；".join(f"《{t}》" for t in others))
        if e.doc is not None:
            out.line(f"  in the corpus: {e.doc.id}  {e.doc.date or ''}  {'、'.join(e.doc.issuers)}")
            for v in d["other_versions"]:
                out.line(f"  other version: {v['doc_id']}  {v['version'] or ''}")
        else:
            out.line("  not in the corpus")
        for c in d["conflicts"]:
            out.line("  ", ("red", "conflict:"), f" {c}")
        out.line(f"  cited by {len(d['cited_by'])}:")
        for c in d["cited_by"]:
            out.line(f"    {c['doc_id']}  {c['clause']}  {c['as_written']}")
        out.line("  ", ("bold", "citation:"), " " + d["citation"])


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def refs(settings: Settings, doc: str, as_json: bool) -> None:
    """What a document cites and what cites it."""
    from .render.shapes import refs_result

    lib = library(settings, quiet=as_json)
    d, cites, cited_by = lib.refs(doc)
    article_cites, article_cited_by = lib.article_refs(d.id)
    if as_json:
        emit_json(refs_result(d, cites, cited_by, article_cites, article_cited_by))
        return
    con = console()
    con.print(f"[bold]{markup(d.title)}[/]  {markup(d.doc_number)}  ({markup(d.id)})")
    con.print(f"cites {len(cites)}:")
    for c, e in cites:
        where = e.doc.id if e.doc else "not in corpus"
        con.print(f"  {markup(c.clause):10} {markup(c.as_written)}  [dim]→ {markup(where)}[/]")
    con.print(f"cited by {len(cited_by)}:")
    for c in cited_by:
        con.print(f"  {markup(c.doc_id)}  {markup(c.clause)}  {markup(c.as_written)}")
    if article_cites or article_cited_by:
        con.print(f"articles it cites {len(article_cites)}:")
        for a in article_cites:
            con.print(f"  {markup(a['clause']):10} {markup(a['as_written'])}  "
                      f"[dim]→ {markup(a['to_doc'] or 'not in corpus')} {markup(a['to_label'])}[/]")
        con.print(f"its articles cited {len(article_cited_by)}:")
        for a in article_cited_by:
            con.print(f"  {markup(a['to_label'] or '?')}  ← {markup(a['doc_id'])}  {markup(a['clause'])}  "
                      f"{markup(a['as_written'])}")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--date", "at_date", help="The draft's date (YYYY-MM-DD): articles are checked in the version in "
              "force then, and against the latest (renumbered, amended, deleted).  Default: the latest.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def check(settings: Settings, file: str, at_date: str | None, as_json: bool) -> None:
    """Check every citation in a draft (any readable format), articles included; exit status 1 if any is wrong
    or unknown."""
    from .render.shapes import check_result

    if at_date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", at_date):
        raise UserError(f"--date {at_date}: a date is YYYY-MM-DD")
    if not Path(file).is_file():
        raise UserError(f"{file}: no such file" if not Path(file).exists() else f"{file}: not a file")
    results = library(settings, quiet=as_json).check_file(Path(file), at_date)
    problems = [r for r in results if r["status"] != "ok"]
    if as_json:
        emit_json(check_result(file, results))
    else:
        con = console()
        colours = {"ok": "green", "mismatch": "red", "unknown": "yellow"}
        for r in results:
            con.print(f"[{colours[r['status']]}]{r['status']:8}[/] {markup(r['as_written'])}", soft_wrap=True)
            if r["status"] != "ok" or r["message"]:
                con.print(f"         {markup(r['message'])}", soft_wrap=True)
            pin = r.get("pinpoint") or {}
            if pin.get("message") and pin["message"] != r["message"]:
                con.print(f"         {markup(pin['message'])}", soft_wrap=True)  # the article: which version
            if r["status"] == "mismatch" and r["expected"]:
                con.print(f"         expected: {markup(r['expected'])}", soft_wrap=True)
            for sug in r.get("suggestions") or []:
                con.print(f"         did you mean 《{markup(sug['title'])}》 ({markup(sug['doc_id'])})? "
                          "[dim](similar title, not the same)[/]", soft_wrap=True)
        con.print(f"{_count(len(results), 'citation')}, {_count(len(problems), 'problem')}")
    if problems:
        sys.exit(1)


@cli.group()
def db() -> None:
    """A PostgreSQL store: set it up (db init URL); copy a corpus into it with `migrate --to URL`."""


@db.command("init")
@click.argument("url")
@click.option("--reader", help="A role (that exists) to grant reading: search, show, diff, cite, check.")
@click.option("--writer", help="A role (that exists) to grant writing: migrate (and ingest).")
@_user_errors
def db_init(url: str, reader: str | None, writer: str | None) -> None:
    """Create the schema (or bring it forward) in the database at URL, and grant the roles."""
    from .config import store_url
    from .store.postgres import init_db, where

    store_url(url, "db init")
    version = init_db(url, reader=reader, writer=writer)
    say(f"policysearch schema {version} ready at {where(url)}")


@cli.command()
@click.option("--to", "target", required=True, metavar="URL|DIR",
              help="The PostgreSQL store to copy the corpus into; or, from a --store, the folder of an embedded "
                   "index to copy the server's corpus into.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another writer holds the store.")
@click.pass_obj
@_user_errors
def migrate(settings: Settings, target: str, no_wait: bool) -> None:
    """Copy the corpus (the embedded store, brought up to date first) into a PostgreSQL store, replacing what it
    held; readers see the old corpus or the new one, never a mix.  With --store URL and --to DIR: copy the
    server's corpus into an embedded index in DIR (replacing the one there), to search it without the server."""
    from dataclasses import replace

    from .config import store_url
    from .service import Library
    from .store.postgres import where

    if "://" not in target:  # a folder (a URL of another kind is refused by store_url below)
        if not settings.store:
            raise UserError(f"--to {target}: copying into a folder needs the store to copy from (--store URL or "
                              "POLICYSEARCH_STORE); the embedded store is copied into a server with --to URL")
        directory = Path(target).expanduser()
        run_with_progress(Library(settings).copy_to(directory, wait=not no_wait))
        docs, clauses = Library(replace(settings, index=directory, store=None)).counts()
        say(f"{_count(docs, 'document')}, {_count(clauses, 'clause')} in the embedded index at {directory}")
        return
    url = store_url(target, "--to")
    lib = Library(replace(settings, store=None))
    run_with_progress(lib.migrate(url, wait=not no_wait))
    docs, clauses = Library(replace(settings, store=url)).counts()
    say(f"{_count(docs, 'document')}, {_count(clauses, 'clause')} in the PostgreSQL store at {where(url)}")


@cli.command()
@click.pass_obj
@_user_errors
def tui(settings: Settings) -> None:
    """Open the terminal UI."""
    from .tui.app import make_app

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("the terminal UI needs a terminal (stdin and stdout are not one); use the commands instead")
    make_app(settings).run()


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="policysearch")


if __name__ == "__main__":
    main()
