"""The command line: human output on a terminal, --json for scripts.  No command shows a traceback
for something the user did; each such error is one line naming the thing and the reason."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .config import ENV_CORPUS, ENV_INDEX, Settings


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
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console():  # noqa: ANN201 - rich.console.Console
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


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
                bar.update(task, description=ev.stage, completed=ev.done, total=ev.total or None, item=ev.item)
            else:
                result = ev
    return result


def ensure_index(settings: Settings, *, quiet: bool = False) -> None:
    """Build (or rebuild) the index if there is none usable, saying why."""
    from .store.generations import index_state, ingest

    gen, why = index_state(settings.index)
    if gen is not None:
        return
    if why != "no index yet":
        click.echo(f"policysearch: {why}; rebuilding it", err=True)
    report = run_with_progress(ingest(settings), quiet=quiet)
    for p in report.problems:
        click.echo(f"policysearch: skipped {p}", err=True)


def documents(settings: Settings) -> list[Any]:
    from .store.generations import index_state, load_documents

    ensure_index(settings)
    gen, _ = index_state(settings.index)
    assert gen is not None
    return load_documents(gen)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--corpus", type=click.Path(file_okay=False), envvar=ENV_CORPUS, default=None,
              help=f"Corpus directory (env {ENV_CORPUS}; default: the checkout's corpus/).")
@click.option("--index", "index_dir", type=click.Path(file_okay=False), envvar=ENV_INDEX, default=None,
              help=f"Index directory (env {ENV_INDEX}; default: the checkout's indexes/).")
@click.version_option(package_name="policysearch")
@click.pass_context
def cli(ctx: click.Context, corpus: str | None, index_dir: str | None) -> None:
    """Search, compare and cite Chinese policy notices.  With no command: the terminal UI."""
    ctx.obj = Settings.resolve(corpus, index_dir)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another ingest is running.")
@click.pass_obj
@_user_errors
def ingest(settings: Settings, as_json: bool, no_wait: bool) -> None:
    """(Re)read the corpus: index new and changed files, drop deleted ones."""
    from .store.generations import ingest as run_ingest

    report = run_with_progress(run_ingest(settings, wait=not no_wait), quiet=as_json)
    if as_json:
        emit_json(report.to_dict())
        return
    if report.rebuilt:
        click.echo(f"rebuilt the index: {report.rebuilt}")
    for label, items in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for item in items:
            click.echo(f"{label:8} {item}")
    for p in report.problems:
        kept = " (previous version kept)" if p.source in report.kept else ""
        click.echo(f"skipped  {p}{kept}")
    click.echo(f"{report.documents} documents, {report.clauses} clauses; {len(report.unchanged)} files unchanged "
               f"({report.seconds:.2f} s)")


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def docs(settings: Settings, as_json: bool) -> None:
    """List the documents with their metadata."""
    items = documents(settings)
    if as_json:
        emit_json([d.metadata() for d in items])
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("id", "date", "number", "batch"):
        table.add_column(col, no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    for d in items:
        title = ("└" if d.attachment_of else "") + d.title
        table.add_row(d.id, d.date or "", d.doc_number or "", str(d.batch or ""), title)
    console().print(table)


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def show(settings: Settings, doc: str, as_json: bool) -> None:
    """Print one document with its clause tree (DOC: id, number in any form, or title fragment)."""
    from .ingest.pipeline import resolve

    d = resolve(documents(settings), doc)
    if as_json:
        out = d.metadata()
        out["clauses"] = [c.to_dict() for c in d.clauses]
        emit_json(out)
        return
    from rich.tree import Tree

    con = console()
    con.print(f"[bold]{d.title}[/]  {d.doc_number or ''}")
    meta = [d.date or "", "、".join(d.issuers), f"第{d.batch}批" if d.batch else "", d.programme or "", d.script]
    con.print("  ".join(m for m in meta if m))
    if d.attachment_of:
        con.print(f"attachment of {d.attachment_of}")
    tree = Tree(d.id)

    def add(node: Tree, clause: Any) -> None:
        head = clause.heading or clause.text.split("\n", 1)[0][:40]
        extra = "".join(f"  [dim]{k}：{'、'.join(v)}[/]" for k, v in clause.annotations.items())
        child = node.add(f"[cyan]{clause.path}[/] {head}{extra}")
        for c in clause.children:
            add(child, c)

    for c in d.clauses:
        add(tree, c)
    con.print(tree)


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="Hits to show; 0 for all.")
@click.option("--doc", "doc_filter", help="Only this document (same as doc:DOC).")
@click.option("--year", help="Only this year or range (year:2016, year:2013-2016).")
@click.option("--issuer", help="Only documents by this issuer.")
@click.option("--batch", help="Only this batch (2 or 第二批).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def search(settings: Settings, query: tuple[str, ...], limit: int, doc_filter: str | None, year: str | None,
           issuer: str | None, batch: str | None, as_json: bool) -> None:
    """Search clauses.  Words AND by default; "quoted" literal phrases; OR, NOT/-, (), doc: year: issuer: batch:."""
    from .search.searcher import Searcher

    text = " ".join(query)
    extra = [f"{k}:{v}" for k, v in (("doc", doc_filter), ("year", year), ("issuer", issuer), ("batch", batch)) if v]
    full = f"({text}) {' '.join(extra)}" if extra else text
    ensure_index(settings, quiet=as_json)
    result = Searcher(settings.index).search(full, limit=limit)
    result.query = text if not extra else full
    if as_json:
        emit_json(result.to_dict())
        return
    from rich.text import Text

    con = console()
    con.print(f"{result.total} clauses match [bold]{result.query}[/]" +
              (f" (showing {len(result.hits)})" if len(result.hits) < result.total else ""))
    for h in result.hits:
        line = Text()
        line.append(f"{h.doc_id}", style="bold cyan")
        line.append(f"  {h.clause}", style="green")
        line.append(f"  {h.title[:40]}", style="dim")
        con.print(line)
        snip = Text("    " + h.snippet)
        for s, e in h.snippet_spans:
            snip.stylize("bold black on yellow", s + 4, e + 4)
        con.print(snip)


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
@click.pass_obj
@_user_errors
def diff(settings: Settings, doc_a: str, doc_b: str, section_a: str | None, section_b: str | None,
         changed_only: bool, show_variants: bool, as_json: bool, html_file: str | None, as_markdown: bool) -> None:
    """Compare two documents clause by clause (aligned by content)."""
    from .compare.changes import compare
    from .ingest.pipeline import resolve

    items = documents(settings)
    a, b = resolve(items, doc_a), resolve(items, doc_b)
    comparison = compare(a, b, section_a, section_b)
    if html_file:
        from .render.comparison import render_html

        Path(html_file).write_text(render_html(comparison, changed_only=changed_only, show_variants=show_variants),
                                   "utf-8")
        if not (as_json or as_markdown):
            click.echo(f"wrote {html_file}")
    if as_json:
        emit_json(comparison.to_dict(changed_only=changed_only, show_variants=show_variants))
    elif as_markdown:
        from .render.comparison import render_markdown

        click.echo(render_markdown(comparison, changed_only=changed_only, show_variants=show_variants))
    elif not html_file:
        from .render.comparison import terminal_table

        console().print(terminal_table(comparison, changed_only=changed_only, show_variants=show_variants))


def citation_index(settings: Settings):  # noqa: ANN201 - CitationIndex
    from .cite.citations import CitationIndex

    return CitationIndex(documents(settings))


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
    index = citation_index(settings)
    matches = index.find(ref)
    if not matches:
        raise UserError(f"nothing in the corpus is or cites '{ref}'")
    if clause and (len(matches) != 1 or matches[0].doc is None or matches[0].doc.clause(clause) is None):
        where = matches[0].doc.id if len(matches) == 1 and matches[0].doc else ref
        raise UserError(f"--clause {clause}: no such clause in {where}")
    if as_json:
        emit_json({"query": ref, "matches": [e.to_dict(clause=clause, style=style) for e in matches]})
        return
    con = console()
    for e in matches:
        d = e.to_dict(clause=clause, style=style)
        con.print(f"[bold]{d['title'] or '(title unknown)'}[/]  {d['doc_number'] or ''}")
        others = [t for t in d["titles_as_written"] if t != d["title"]]
        if others:
            con.print("  also cited as: " + "；".join(f"《{t}》" for t in others))
        if e.doc is not None:
            con.print(f"  in the corpus: {e.doc.id}  {e.doc.date or ''}  {'、'.join(e.doc.issuers)}")
        else:
            con.print("  not in the corpus")
        for c in d["conflicts"]:
            con.print(f"  [red]conflict:[/] {c}")
        con.print(f"  cited by {len(d['cited_by'])}:")
        for c in d["cited_by"]:
            con.print(f"    {c['doc_id']}  {c['clause']}  {c['as_written']}")
        con.print("  [bold]citation:[/] " + d["citation"], soft_wrap=True)


@cli.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def refs(settings: Settings, doc: str, as_json: bool) -> None:
    """What a document cites and what cites it."""
    from .ingest.pipeline import resolve

    index = citation_index(settings)
    d = resolve(index.docs, doc)
    cites = index.cited_by_document(d.id)
    entity = index.entity_of(d)
    cited_by = entity.citations if entity else []
    if as_json:
        emit_json({
            "doc_id": d.id, "title": d.title, "doc_number": d.doc_number,
            "cites": [{"clause": c.clause, "as_written": c.as_written, "doc_number": e.doc_number,
                       "title": e.title, "in_corpus": e.in_corpus, "doc_id": e.doc.id if e.doc else None}
                      for c, e in cites],
            "cited_by": [{"doc_id": c.doc_id, "clause": c.clause, "as_written": c.as_written} for c in cited_by],
        })
        return
    con = console()
    con.print(f"[bold]{d.title}[/]  {d.doc_number or ''}  ({d.id})")
    con.print(f"cites {len(cites)}:")
    for c, e in cites:
        where = e.doc.id if e.doc else "not in corpus"
        con.print(f"  {c.clause:10} {c.as_written}  [dim]→ {where}[/]")
    con.print(f"cited by {len(cited_by)}:")
    for c in cited_by:
        con.print(f"  {c.doc_id}  {c.clause}  {c.as_written}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_user_errors
def check(settings: Settings, file: str, as_json: bool) -> None:
    """Check every citation in a draft (txt, md or docx); exit status 1 if any is wrong or unknown."""
    from .ingest.clean import clean
    from .ingest.readers import SourceError, read_source

    path = Path(file)
    try:
        text = "\n".join(clean(src.text, src.fmt) for src in read_source(path, path.parent))
    except SourceError as e:
        raise UserError(f"{file}: {e}") from e
    results = citation_index(settings).check(text)
    problems = [r for r in results if r["status"] != "ok"]
    if as_json:
        emit_json({"file": file, "citations": results})
    else:
        con = console()
        colours = {"ok": "green", "mismatch": "red", "unknown": "yellow"}
        for r in results:
            con.print(f"[{colours[r['status']]}]{r['status']:8}[/] {r['as_written']}", soft_wrap=True)
            if r["status"] != "ok" or r["message"]:
                con.print(f"         {r['message']}", soft_wrap=True)
            if r["status"] == "mismatch" and r["expected"]:
                con.print(f"         expected: {r['expected']}", soft_wrap=True)
        con.print(f"{len(results)} citations, {len(problems)} problems")
    if problems:
        sys.exit(1)


@cli.command()
@click.pass_obj
@_user_errors
def tui(settings: Settings) -> None:
    """Open the terminal UI."""
    from .tui.app import make_app

    make_app(settings).run()


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="policysearch")


if __name__ == "__main__":
    main()
