"""The 新旧对照 table of two versions: 修订前 | 修订后, one row per article pair.

Changed words are marked: deleted words struck through in the left column, inserted words underlined
and bold in the right; an added article's row is empty on the left, a deleted one's on the right.  A run
of unchanged articles (renumbered or not) collapses to one row unless ``all=True``.  Compared by article,
the table leaves out the preamble and signature (a law's title and information block): it is a table of
articles and of the chapter and section headings between them.

Exports: :func:`to_docx` (A4 landscape, for Word), :func:`to_html` and :func:`to_markdown`; the TUI can
draw :func:`table_rows` itself.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..compare.changes import ClausePair, Comparison
from ..ingest.versions import version_date
from ..model import PREAMBLE, SIGNATURE

PLAIN, DELETED, INSERTED, LABEL = "", "del", "ins", "label"
HEADERS = ("修订前", "修订后")


@dataclass
class Row:
    """One row of the table: runs of (text, style) on each side; style is "" (plain), "del", "ins" or
    "label" (an article's number)."""

    status: str  # same | changed | moved | added | removed | collapsed
    left: list[tuple[str, str]] = field(default_factory=list)
    right: list[tuple[str, str]] = field(default_factory=list)
    pairs: list[ClausePair] = field(default_factory=list)  # the pairs the row stands for
    note: str = ""  # 条文未修改, 条文序号调整, 拆分, 合并, 移动

    def text(self, side: str) -> str:
        return "".join(t for t, _ in (self.left if side == "left" else self.right))


def _label_of(pair: ClausePair, side: str) -> str:
    return pair.a_label if side == "a" else pair.b_label


_ARTICLE_LABEL_RE = re.compile(r"^第[^章节编条]+[条條](?:之[^章节编条]+)?$")


def _range(labels: list[str]) -> str:
    """第一条至第八条: the first and last article of a run (the chapter and section headings a run also holds are
    not articles: 第一章至第二章 would hide that the next changed article is in 第二章); headings only when the
    run has no article."""
    labels = [x for x in labels if x]
    articles = [x for x in labels if _ARTICLE_LABEL_RE.match(x)]
    labels = articles or labels
    if not labels:
        return ""
    return labels[0] if len(labels) == 1 else f"{labels[0]}至{labels[-1]}"


def _collapsed(run: list[ClausePair]) -> Row:
    renumbered = any(p.renumbered for p in run)
    note = "条文未修改" + ("（序号调整）" if renumbered else "")
    left = _range([p.a_label or (p.a_clause or "") for p in run])
    right = _range([p.b_label or (p.b_clause or "") for p in run])
    return Row("collapsed", [(f"{left} {note}", PLAIN)], [(f"{right} {note}", PLAIN)], list(run), note)


def _whole(text: str, label: str, style: str) -> list[tuple[str, str]]:
    """An article added or deleted whole: its label and its body, all in one style."""
    if not label:
        return [(text, style)]
    return [(label + " ", LABEL + "+" + style), (_body_text(text, label), style)]


def _pair_row(pair: ClausePair) -> Row:
    notes = {"split": "拆分", "merged": "合并"}
    note = notes.get(pair.relation or "", "") or ("移动" if pair.status == "moved" else "")
    if pair.renumbered and pair.status == "same":
        note = note or "序号调整"
    row = Row(pair.status, pairs=[pair], note=note)
    la, lb = pair.a_label, pair.b_label
    if pair.a_clause is None:  # added: the whole article inserted, the other side empty
        row.right.extend(_whole(pair.b_text, lb, INSERTED))
        return row
    if pair.b_clause is None:  # deleted
        row.left.extend(_whole(pair.a_text, la, DELETED))
        return row
    if la:
        row.left.append((la + " ", LABEL))
    if lb:
        row.right.append((lb + " ", LABEL))
    if not pair.segments:  # nothing to diff (an empty body)
        row.left.append((_body_text(pair.a_text, la), PLAIN))
        row.right.append((_body_text(pair.b_text, lb), PLAIN))
        return row
    for seg in pair.segments:
        if seg.op == "equal" or seg.kind in ("variant", "format"):
            row.left.append((seg.a, PLAIN))
            row.right.append((seg.b, PLAIN))
        else:
            if seg.a:
                row.left.append((seg.a, DELETED))
            if seg.b:
                row.right.append((seg.b, INSERTED))
    return row


def _body_text(text: str, label: str) -> str:
    return text[len(label):].lstrip() if label and text.startswith(label) else text


def _unchanged(pair: ClausePair) -> bool:
    return pair.status == "same" and not pair.relation


def table_rows(comparison: Comparison, all: bool = False) -> list[Row]:  # noqa: A002 (the CLI's --all)
    """The rows of the 新旧对照 table, in the order of the new version."""
    rows: list[Row] = []
    run: list[ClausePair] = []

    def flush() -> None:
        if run:
            rows.append(_collapsed(run))
            run.clear()

    for pair in comparison.pairs:
        if comparison.by_article and (pair.a_clause in (PREAMBLE, SIGNATURE) or pair.b_clause in (PREAMBLE, SIGNATURE)):
            continue
        if not all and _unchanged(pair):
            # a run holds articles renumbered alike, or articles that kept their numbers
            if run and run[-1].renumbered != pair.renumbered:
                flush()
            run.append(pair)
            continue
        flush()
        rows.append(_pair_row(pair))
    flush()
    return rows


def _title(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    va = a.version or version_date(a) or a.doc_number or a.id
    vb = b.version or version_date(b) or b.doc_number or b.id
    if a.title == b.title:
        return f"《{b.title}》新旧对照表（{va} / {vb}）"
    return f"《{a.title}》（{va}）与《{b.title}》（{vb}）新旧对照表"


# --- Markdown ------------------------------------------------------------------------------------

def _md(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("~", "\\~").replace("*", "\\*")
            .replace("\n", "<br>"))


def _md_runs(runs: list[tuple[str, str]]) -> str:
    """Runs as Markdown: consecutive runs of one mark joined, so that ~~ and ** enclose whole words and
    never a leading or trailing space (which would not render)."""
    groups: list[list[str]] = []  # [mark, text]
    for text, style in runs:
        mark = "~~" if DELETED in style else "**<u>" if INSERTED in style else "**" if style == LABEL else ""
        if groups and groups[-1][0] == mark:
            groups[-1][1] += text
        else:
            groups.append([mark, text])
    out = []
    for mark, text in groups:
        core = text.strip()
        if not mark or not core:
            out.append(_md(text))
            continue
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        close = "</u>**" if mark == "**<u>" else mark
        out.append(f"{_md(lead)}{mark}{_md(core)}{close}{_md(trail)}")
    return "".join(out)


def to_markdown(comparison: Comparison, all: bool = False) -> str:  # noqa: A002
    """The table in Markdown: ~~deleted~~, **<u>inserted</u>**, line breaks as <br>."""
    lines = [f"## {_title(comparison)}", "", comparison.summary_line(), "",
             f"| {HEADERS[0]} | {HEADERS[1]} |", "|---|---|"]
    for row in table_rows(comparison, all=all):
        lines.append(f"| {_md_runs(row.left)} | {_md_runs(row.right)} |")
    return "\n".join(lines) + "\n"


# --- HTML ----------------------------------------------------------------------------------------

_CSS = """
@page{size:A4 landscape;margin:15mm}
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun",serif;margin:1em;line-height:1.7;color:#222}
h1{font-size:1.2em;text-align:center} p.summary{text-align:center;color:#555}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #888;padding:.4em .6em;vertical-align:top;width:50%;white-space:pre-wrap}
th{background:#eee} tr.collapsed td{color:#777;font-style:italic;text-align:center}
del{color:#b00;text-decoration:line-through} ins{color:#060;text-decoration:underline;font-weight:bold}
b.label{font-weight:bold}
"""


def _html_runs(runs: list[tuple[str, str]]) -> str:
    out = []
    for text, style in runs:
        t = html.escape(text)
        if LABEL in style:
            t = f'<b class="label">{t}</b>'
        if DELETED in style:
            t = f"<del>{t}</del>"
        elif INSERTED in style:
            t = f"<ins>{t}</ins>"
        out.append(t)
    return "".join(out)


def to_html(comparison: Comparison, all: bool = False) -> str:  # noqa: A002
    """A self-contained HTML page of the table, printing on A4 landscape."""
    title = html.escape(_title(comparison))
    body_rows = []
    for row in table_rows(comparison, all=all):
        cls = f' class="{row.status}"'
        body_rows.append(f"<tr{cls}><td>{_html_runs(row.left)}</td><td>{_html_runs(row.right)}</td></tr>")
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{title}</title><style>{_CSS}</style></head><body>
<h1>{title}</h1>
<p class="summary">{html.escape(comparison.summary_line())}</p>
<table><thead><tr><th>{HEADERS[0]}</th><th>{HEADERS[1]}</th></tr></thead>
<tbody>
{chr(10).join(body_rows)}
</tbody></table>
</body></html>
"""


# --- Word ----------------------------------------------------------------------------------------

def _set_east_asian_font(run, name: str) -> None:  # noqa: ANN001 (a python-docx Run)
    from docx.oxml.ns import qn

    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _fill(cell, runs: list[tuple[str, str]], *, collapsed: bool = False) -> None:  # noqa: ANN001
    from docx.shared import Pt, RGBColor

    para = cell.paragraphs[0]
    for text, style in runs:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if k:
                para = cell.add_paragraph()
            if not part:
                continue
            run = para.add_run(part)
            run.font.size = Pt(10.5)
            _set_east_asian_font(run, "宋体")
            if LABEL in style:
                run.bold = True
            if DELETED in style:
                run.font.strike = True
                run.font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
            elif INSERTED in style:
                run.font.underline = True
                run.bold = True
                run.font.color.rgb = RGBColor(0x00, 0x60, 0x00)
            if collapsed:
                run.italic = True
                run.font.color.rgb = RGBColor(0x70, 0x70, 0x70)


def to_docx(comparison: Comparison, path: str | Path, all: bool = False) -> Path:  # noqa: A002
    """Write the table as a Word document: A4 landscape, a header row repeated on every page, two
    columns of equal width, deleted words struck through (left), inserted words underlined bold (right)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_title(comparison))
    run.bold = True
    run.font.size = Pt(14)
    _set_east_asian_font(run, "黑体")
    summary = document.add_paragraph()
    summary.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_east_asian_font(summary.add_run(comparison.summary_line()), "宋体")

    rows = table_rows(comparison, all=all)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    width = (int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)) // 2
    header = table.rows[0]
    for cell, text in zip(header.cells, HEADERS, strict=True):
        cell.width = width
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = cell.paragraphs[0].add_run(text)
        r.bold = True
        _set_east_asian_font(r, "黑体")
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, runs in zip(cells, (row.left, row.right), strict=True):
            cell.width = width
            _fill(cell, runs, collapsed=row.status == "collapsed")
    path = Path(path)
    document.save(str(path))
    return path


__all__ = ["Row", "table_rows", "to_docx", "to_html", "to_markdown"]
