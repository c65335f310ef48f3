"""Versions of a work: which documents are amended re-issues of one regulation, rule or programme notice.

Two documents are versions of one work when

* their titles are the same once normalised (script, punctuation, an issuer prefix before 关于, a leading
  中华人民共和国, and notes such as （2019年修订） or a version date dropped) and their issuers agree (the same
  issuer named, or one of them naming none); a notice kind (通知, 决定, 公告 …) with two different document
  numbers and no amendment history is two notices, not two versions;
* or their information blocks share the adoption line (the same date and the same order or decision, or
  similar titles): a regulation's history starts with the same 公布 line in every version;
* or one's history has an amendment on the other's version date by a decision that names the other's title
  (《国务院关于修改〈X〉的决定》): a renamed regulation is still the same work.

A version's date is the date in its file name (不动产登记暂行条例(2019-03-24).md: collections of laws name
their versions so), else the latest amendment of its history, else the document's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from ..model import Amendment, Clause, Document
from ..text.dates import iso_date
from ..text.lexicon import clean_name
from ..text.markers import cn_number
from ..text.normalise import norm, to_simplified
from ..text.titles import same_title, title_key, work_name

INFO_END = "<!-- INFO END -->"
# a note in brackets that names a revision or a date, not the work: （2019年修订） (2019-03-24) 〔修正〕
_NOTE_RE = re.compile(r"[(（〔\[［【]\s*[^()（）〔〕\[\]［］【】]*?"
                      r"(?:修订|修正|修改|\d{4}|[〇零一二三四五六七八九]{4}年)[^()（）〔〕\[\]［］【】]*[)）〕\]］】]")
_CN = "一二三四五六七八九十百千零〇两"
ARTICLE_LABEL_RE = re.compile(rf"^\s*第\s*([{_CN}\d]+)\s*条(?:\s*之\s*([{_CN}\d]+))?")
_HISTORY_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ACTION_RE = re.compile(r"(公布|发布|通过|修订|修正|修改|施行|废止|批准|颁布)")
_ORDER_RE = re.compile(r"(?:[\u4e00-\u9fff、]{0,40}令\s*第\s*\d+\s*号|《[^《》]+》)")
_NOTICE_KINDS = ("通知", "决定", "公告", "通告", "意见", "批复", "复函", "函", "通报", "报告", "纪要")
AMENDING = ("公布", "发布", "通过", "修订", "修正", "修改", "颁布", "批准")  # actions that make a version


# --- a work's identity --------------------------------------------------------------------------

def _title_of(doc: Document) -> str:
    if doc.title:
        return doc.title
    return PurePosixPath(doc.source).stem


def work_title_key(title: str) -> str:
    """A title as a work's name: notes on revisions and dates dropped, then the title key, without a
    leading 中华人民共和国 (《物权法》 and 《中华人民共和国物权法》 name one law)."""
    return work_name(title_key(_NOTE_RE.sub("", title)))


def _issuer_keys(doc: Document) -> list[str]:
    out = []
    for i in doc.issuers:
        k = norm(clean_name(i), traditional=True)
        if k and k not in out:
            out.append(k)
    return sorted(out)


def work_key(doc: Document) -> str:
    """The name of the work a document is a version of: its normalised title (``道路运输条例``), the same
    whether or not the version's information block names its issuer.  Two works of one name (one
    issuer's 实施办法 and another's) are told apart by :func:`group_versions`, whose keys then add the
    issuers (``实施办法|交通部``)."""
    return work_title_key(_title_of(doc))


# --- history and dates --------------------------------------------------------------------------

def parse_history(block: str) -> list[Amendment]:
    """The lines of an information block (2014年11月24日 中华人民共和国国务院令第656号公布 …), oldest first.
    Lines may have been run together; each starts at a date."""
    starts = [m.start() for m in _HISTORY_DATE_RE.finditer(block)]
    out = []
    for k, s in enumerate(starts):
        line = block[s:starts[k + 1] if k + 1 < len(starts) else len(block)].strip(" \u3000\n）)")
        line = line.replace(INFO_END, "").strip(" \u3000\n）)")
        date = iso_date(line)
        rest = _HISTORY_DATE_RE.sub("", line, count=1)
        actions = _ACTION_RE.findall(rest.replace("《", "\n《").split("》")[-1]) or _ACTION_RE.findall(rest)
        if not actions:
            continue
        out.append(Amendment(date, to_simplified(actions[-1]), line, _line_order(rest)))
    return out


def _line_order(line: str) -> str | None:
    """The order or decision a history line names (中华人民共和国国务院令第656号, 《…决定》)."""
    order = _ORDER_RE.search(_HISTORY_DATE_RE.sub("", line, count=1))
    return order.group(0).strip() if order else None


def history(doc: Document) -> list[Amendment]:
    """A document's history: its amendments as ingested (each with the order or decision that made it),
    else read from its information block (the text above ``<!-- INFO END -->``)."""
    if doc.amendments:
        # ingest names an order (令第N号); a decision that amended (《国务院关于修改〈X〉的决定》) is read here
        return [a if a.order else Amendment(a.date, a.action, a.text, _line_order(a.text))
                for a in doc.amendments]
    head, sep, _ = doc.text.partition(INFO_END)
    if not sep:
        return []
    return parse_history(head)


def _file_date(doc: Document) -> str | None:
    stem = PurePosixPath(doc.source).stem if doc.source else ""
    m = re.search(r"[(（]([^()（）]*)[)）]\s*$", stem)
    if m:
        return iso_date(m.group(1))
    m = re.search(r"[-_ ]((?:19|20)\d{2}-\d{1,2}-\d{1,2})$", stem)
    return iso_date(m.group(1)) if m else None


def version_date(doc: Document) -> str | None:
    """The version's date: the file name's date, else the latest amendment of its history, else its date."""
    d = _file_date(doc)
    if d:
        return d
    dates = [a.date for a in history(doc) if a.date and a.action in AMENDING]
    if dates:
        return max(dates)
    return doc.date


def amendment_note(doc: Document) -> str:
    """The history line that made this version (the one on its version date), or the latest one."""
    hist = [a for a in history(doc) if a.action in AMENDING]
    vd = version_date(doc)
    for a in reversed(hist):
        if a.date == vd:
            return a.text
    return hist[-1].text if hist and not vd else ""


# --- grouping -----------------------------------------------------------------------------------

def _line_key(a: Amendment) -> str:
    return re.sub(r"[\W_]+", "", norm(_HISTORY_DATE_RE.sub("", a.text, count=1)))


def _same_line(x: Amendment, y: Amendment) -> bool:
    if x.date != y.date or x.action != y.action:
        return False
    if x.order and y.order:
        return norm(x.order) == norm(y.order)
    return _line_key(x) == _line_key(y)


def _shared_history(ha: list[Amendment], hb: list[Amendment]) -> bool:
    """One history is the start of the other (an older version's block stops where it was issued)."""
    n = min(len(ha), len(hb))
    return n > 0 and all(_same_line(ha[k], hb[k]) for k in range(n))


def _related(a: Document, b: Document, ha: list[Amendment], hb: list[Amendment]) -> bool:
    """Whether two documents' histories say they are one work: they share their history (and the
    adoption line names an order number, or the titles agree), or one was amended on the other's
    version date by a decision that names the other's title."""
    ta, tb = work_title_key(_title_of(a)), work_title_key(_title_of(b))
    if _shared_history(ha, hb):
        first = ha[0].order or ""
        if re.search(r"令\s*第\s*\d+\s*号", first) or same_title(ta, tb):
            return True
    for x, hy, tx in ((a, hb, ta), (b, ha, tb)):
        vx = version_date(x)
        for am in hy:
            if am.date and am.date == vx and am.action in AMENDING and am.order and am.order.startswith("《"):
                named = re.findall(r"[〈<]([^〈〉<>]+)[〉>]", am.order)
                if any(work_title_key(n) == tx for n in named):
                    return True
    return False


def _separate_notices(a: Document, b: Document, ha: list[Amendment], hb: list[Amendment]) -> bool:
    """Two notices of one title and issuer with different numbers and no history are two notices."""
    if ha or hb or not (a.doc_number and b.doc_number) or a.doc_number == b.doc_number:
        return False
    return _title_of(a).rstrip("）)").endswith(_NOTICE_KINDS) or _title_of(b).rstrip("）)").endswith(_NOTICE_KINDS)


def group_versions(docs: Iterable[Document]) -> dict[str, list[Document]]:
    """Every document's work: work key → its versions, oldest first.  Attachments are left out (they
    belong to their parent); a document that is the only version of its work is a group of one.  The key
    of a group is the work key most of its versions have (the oldest's on a tie), with the issuers of its
    versions added when another work has that name too."""
    docs = [d for d in docs if not d.attachment_of]
    hist = [history(d) for d in docs]
    parent = list(range(len(docs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    tkeys = [work_title_key(_title_of(d)) for d in docs]
    ikeys = [set(_issuer_keys(d)) for d in docs]
    by_title: dict[str, list[int]] = {}
    for i, k in enumerate(tkeys):
        by_title.setdefault(k, []).append(i)
    for members in by_title.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (not ikeys[i] or not ikeys[j] or ikeys[i] & ikeys[j]) and \
                        not _separate_notices(docs[i], docs[j], hist[i], hist[j]):
                    union(i, j)
    # histories: only documents whose adoption lines agree can be related, so bucket by that line
    by_adoption: dict[str, list[int]] = {}
    with_history = [i for i in range(len(docs)) if hist[i]]
    for i in with_history:
        by_adoption.setdefault(hist[i][0].date or "", []).append(i)
    for members in by_adoption.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if find(members[x]) != find(members[y]) and \
                        _related(docs[members[x]], docs[members[y]], hist[members[x]], hist[members[y]]):
                    union(members[x], members[y])
    # renamed works: a later version's history names the earlier title on the earlier version date
    by_date: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        by_date.setdefault(version_date(d) or "", []).append(i)
    for j in with_history:
        for am in hist[j]:
            if am.order and am.order.startswith("《") and am.date in by_date:
                for i in by_date[am.date]:
                    if i != j and find(i) != find(j) and _related(docs[i], docs[j], hist[i], hist[j]):
                        union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(find(i), []).append(i)
    named: list[tuple[str, list[int]]] = []
    for members in groups.values():
        members.sort(key=lambda i: (version_date(docs[i]) or "", docs[i].id))
        keys = [tkeys[i] for i in members]
        named.append((max(keys, key=lambda k: (keys.count(k), -keys.index(k))), members))
    names = [k for k, _ in named]
    out: dict[str, list[Document]] = {}
    for key, members in named:
        if names.count(key) > 1:  # two works of one name: their issuers tell them apart
            issuers = sorted(set().union(*(ikeys[i] for i in members)))
            key = f"{key}|{'、'.join(issuers)}" if issuers else key
        while key in out:  # two works of one name and issuer (two notices of one title): keep both apart
            key += "'"
        out[key] = [docs[i] for i in members]
    return out


def assign_versions(docs: Iterable[Document]) -> dict[str, list[Document]]:
    """Set ``work`` and ``version`` on every document (an attachment takes its parent's work); returns the
    groups of :func:`group_versions`."""
    docs = list(docs)
    groups = group_versions(docs)
    by_id: dict[str, str] = {}
    for key, members in groups.items():
        for d in members:
            d.work, d.version = key, version_date(d)
            by_id[d.id] = key
    for d in docs:
        if d.attachment_of:
            d.work, d.version = by_id.get(d.attachment_of), None
    return groups


def versions_of(doc: Document, docs: Iterable[Document]) -> list[Document]:
    """The versions of a document's work, oldest first (the document alone when it has no other)."""
    for members in group_versions(docs).values():
        if any(d is doc or d.id == doc.id for d in members):
            return members
    return [doc]


def in_force(versions: list[Document], at: str | None) -> Document | None:
    """The version in force on a date: the latest whose version date (or effective date, when stated) is
    on or before it; the latest when no date is given; None when every version is later."""
    if not versions:
        return None
    ordered = sorted(versions, key=lambda d: version_date(d) or "")
    if not at:
        return ordered[-1]
    before = [d for d in ordered if (d.effective or version_date(d) or "") <= at]
    if before:
        return before[-1]
    # effective dates can lag the version date: fall back to the version date alone
    before = [d for d in ordered if (version_date(d) or "") <= at]
    return before[-1] if before else None


# --- articles -----------------------------------------------------------------------------------

def article_number(clause: Clause) -> tuple[int, int] | None:
    """第十条 → (10, 0), 第十条之一 → (10, 1); None for a clause that is no article."""
    m = ARTICLE_LABEL_RE.match(clause.label or "")
    if m is None:
        if clause.kind == "article" and isinstance(clause.number, int):
            return clause.number, 0
        return None
    n = cn_number(m.group(1))
    if n is None:
        return None
    sub = cn_number(m.group(2)) if m.group(2) else 0
    return n, sub or 0


def parse_article_ref(text: str) -> tuple[int, int] | None:
    """第十条 / 第10条 / 第十条之一 → (10, 0) / (10, 0) / (10, 1)."""
    m = ARTICLE_LABEL_RE.match(text)
    if m is None:
        return None
    n = cn_number(m.group(1))
    return (n, (cn_number(m.group(2)) or 0) if m.group(2) else 0) if n is not None else None


def cn_numeral(n: int) -> str:
    """12 → 十二, 101 → 一百零一, 120 → 一百二十, 1005 → 一千零五 (as articles are numbered)."""
    digits = "零一二三四五六七八九"
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q = n // value % 10
        if q:
            if zero and out:
                out += "零"
            out += digits[q] + unit
            zero = False
        elif out:
            zero = True
    return out


def article_label(number: tuple[int, int]) -> str:
    """(10, 0) → 第十条, (10, 1) → 第十条之一."""
    n, sub = number
    return f"第{cn_numeral(n)}条" + (f"之{cn_numeral(sub)}" if sub else "")


def is_article(clause: Clause) -> bool:
    return clause.kind == "article" or (not clause.kind and article_number(clause) is not None
                                        and bool(re.match(r"^\s*第", clause.label or "")))


def articles(doc: Document) -> list[Clause]:
    """A document's articles (第X条 clauses), in order; an article's items are its children, not articles."""
    out: list[Clause] = []

    def visit(cs: list[Clause]) -> None:
        for c in cs:
            if is_article(c):
                out.append(c)
            else:
                visit(c.children)

    visit(doc.clauses)
    return out


def reading_order(clause: Clause) -> list[tuple[Clause, str]]:
    """A clause's paragraphs and its children's, as they are read: (clause, paragraph).  A clause's own
    text may hold several paragraphs (款) and its items (项) stand after the paragraph that introduces
    them, the one ending in a colon (……有下列情形之一的：); paragraphs after that one follow the items
    (客运经营者强行招揽旅客……的，处……罚款。 after （一）…（三）)."""
    paras = [p for p in clause.text.split("\n") if p.strip()] if clause.text else []
    lead = len(paras)
    if clause.children:
        for k, p in enumerate(paras):
            if p.rstrip().endswith(("：", ":")):
                lead = k + 1
                break
    out = [(clause, p) for p in paras[:lead]]
    for c in clause.children:
        out.extend(reading_order(c))
    out.extend((clause, p) for p in paras[lead:])
    return out


def full_text(clause: Clause, sep: str = "\n") -> str:
    """A clause's text with its children's (an article with its items), in reading order."""
    return sep.join(p for _, p in reading_order(clause))


def find_article(doc: Document, number: tuple[int, int]) -> Clause | None:
    for c in articles(doc):
        if article_number(c) == number:
            return c
    return None


def version_note(doc: Document, versions: Iterable[Document] = ()) -> str:
    """The history line that made a version: from its own information block, else from a later
    version's (an older version's block often stops before the amendment that made it)."""
    vd = version_date(doc)
    for d in [doc, *versions]:
        for a in reversed(history(d)):
            if a.date and a.date == vd and a.action in AMENDING:
                return a.text
    return amendment_note(doc)
