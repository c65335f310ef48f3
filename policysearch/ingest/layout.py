"""The layout of a notice's display text, after GB/T 9704 (党政机关公文格式) and the forms documents come in.

A display text is split into:

- the header: structured fields (【发布单位】…, a database export's 【法宝引证码】 and 原文链接), the 发文机关标志
  (red-head), the 发文字号 (also in parentheses under the title), the title set over one or more lines
  (a database export writes it twice), or a law's title and information block above ``<!-- INFO END -->``;
- the body, which becomes the clause tree;
- the closing: 特此通知, contacts, the 附件 list, the signature (issuer lines and 成文日期), the 附注
  （此件公开发布）;
- embedded attachments: from an 附件/附件N heading, or from the title of the document a notice issues or
  forwards when it follows the signature;
- the 版记 at the very end (抄送, 印发机关 and 印发日期), which is metadata and never body text.

Everything here is a general rule for a kind of document; nothing is specific to a file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..text.dates import DATE_RE, find_dates, is_date_line
from ..text.docnumber import DOC_NUMBER_RE, ORDER_RE
from ..text.lexicon import ABOUT_RE, ISSUER_NAME_RE, ISSUER_SUFFIX, TITLE_END_RE
from ..text.markers import parse_marker
from ..text.normalise import to_simplified
from .clean import LABEL_FIELD_RE

FIELD_RE = re.compile(r"^[\s\u3000]*【(?P<key>[^】]{2,10})】[\s\u3000]*[:：]?[\s\u3000]*(?P<value>.*)$")
INFO_END_RE = re.compile(r"<!--\s*INFO\s+END\s*-->")
_URL_RE = re.compile(r"^[\s\u3000]*(?:【)?(?P<key>原文链接|原文地址|原文網址|來源鏈接|来源链接|链接地址|網址|网址)"
                     r"(?:】)?"
                     r"[\s\u3000]*[:：]?[\s\u3000]*(?P<url>https?://[\x21-\x7e]+)[\s\u3000]*(?P<rest>.*)$")
_ATTACH_RE = re.compile(r"^\s*附\s*件\s*(?P<n>\d*)\s*(?:[:：]|(?<=\d)[.．、](?!\d))?\s*(?P<rest>.*)$")
_CONTACT = r"(?:联系|聯繫|聯絡|联络)(?:人|电话|電話)"  # simplified, traditional and Taiwan wording
_CLOSING_RE = re.compile(r"^\s*(特此通知|特此公告|特此通报|特此通報|特此批复|特此批覆|特此函复|特此函覆|特此函告"
                         rf"|此复|此覆|{_CONTACT}|电话|電話|邮箱|郵箱|信箱|传真|傳真|附\s*件|[^，。]{{0,20}}{_CONTACT}[:：])")
# 附注: （此件公开发布）（此件主动公开）（本文有删减）
_NOTE_RE = re.compile(r"^[\s\u3000]*[（(](?:此件|本件|此文|本文|此页|此頁)[^（()）]{1,20}[）)][\s\u3000]*$")
# a 规范性文件's registration under its date: 本规范性文件已经市司法局合法性审查同意发布，编号为“…”
_REGISTERED_RE = re.compile(r"^[\s\u3000]*[（(]?本(?:规范性|規範性)?文件[^。]{0,40}"
                            r"(?:审查|審查|登记|登記|备案|備案|编号|編號)")
# a page's empty label under the notice (关联稿件：, 相关附件：): the page, not the notice, goes on
_EMPTY_LABEL_RE = re.compile(r"^[\s\u3000]*[\u4e00-\u9fff]{2,8}[:：][\s\u3000]*$")
# 版记: 抄送：… / 国务院办公厅  2019年1月1日印发
_CC_RE = re.compile(r"^[\s\u3000]*(?P<key>抄\s*送|抄\s*报|抄\s*報|分\s*送|发\s*送|發\s*送)"
                    r"[\s\u3000]*[:：][\s\u3000]*(?P<value>.*)$")
_PRINTED_RE = re.compile(r"(?:^|(?<=[。；;，,\s\u3000]))[\s\u3000]*(?:(?P<by>[^\s\u3000。；;，,\d]{2,40}?)[\s\u3000]*)?"
                         r"(?P<date>[\d〇○零一二三四五六七八九十]{2,4}年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日)"
                         r"[\s\u3000]*(?:印\s*发|印\s*發)[\s\u3000]*$")
_RULE_RE = re.compile(r"^[\s\u3000\-—─━_=－]+$")
_SENTENCE_RE = re.compile(r"[。；;！!？?]")
# a date that opens an entry of a law's information block: 2014年11月24日 中华人民共和国国务院令第656号公布
_INFO_SPLIT_RE = re.compile(r"(?<![据於于至在到从自])(?=(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[\s\u3000])")
_RED_DOC_RE = re.compile(rf"^(?P<name>[\u4e00-\u9fff ]{{2,60}}?{ISSUER_SUFFIX})文件$")


@dataclass
class Layout:
    """Where the parts of a document's display text are, and what its header and closing state."""

    paragraphs: list[tuple[int, str]]  # (offset, paragraph) of the whole document
    header: list[str] = field(default_factory=list)  # header lines as written (title block, number, fields)
    body: list[tuple[int, str]] = field(default_factory=list)
    closing: list[tuple[int, str]] = field(default_factory=list)  # 特此通知, contacts, 附件 list, signature, 附注
    signature_lines: list[str] = field(default_factory=list)  # issuer lines + date line
    fields: dict[str, str] = field(default_factory=dict)  # 【发布单位】… as written, keys simplified
    attachment_titles: list[str] = field(default_factory=list)
    attachment_number: int | None = None  # this text is 附件N itself
    embedded: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (n, title, lines)
    title: str = ""  # the title block joined across lines ("" if none)
    title_lines: list[str] = field(default_factory=list)
    issuer_mark: list[str] = field(default_factory=list)  # 发文机关标志 (red-head) names
    number_line: str | None = None  # the 发文字号 line as written
    addressee: str | None = None  # 主送机关
    notes: list[str] = field(default_factory=list)  # 附注
    cc: list[str] = field(default_factory=list)  # 版记 抄送
    printed_by: str | None = None
    printed_date: str | None = None
    info_lines: list[str] = field(default_factory=list)  # a law's information block, one entry a line
    metadata_lines: list[tuple[int, str]] = field(default_factory=list)  # header and 版记: not body text


def paragraphs_of(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def simplify_key(key: str) -> str:
    return to_simplified(re.sub(r"[\s\u3000]", "", key))


def flat(line: str) -> str:
    """A line without the spaces inside CJK text (人　民　银　行, a title broken for centring)."""
    s = line.strip(" \t\u3000")
    return re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff《》〈〉（）])"
                  r"|(?<=[《》〈〉（）])[ \u3000]+(?=[\u4e00-\u9fff])", "", s)


def number_of_line(line: str) -> str | None:
    """The line is a 发文字号 (发改高技〔2013〕1772号, （余府发〔2012〕3号）) or an order (国务院令第656号)."""
    t = unicodedata.normalize("NFKC", line).strip(" \u3000")
    t = re.sub(r"^[(（]\s*(.*?)\s*[)）]$", r"\1", t)
    if len(t) > 40:
        return None
    if DOC_NUMBER_RE.fullmatch(t) or re.fullmatch(r"(?:第\s*)?\d{1,5}\s*[号號]", t):
        return t
    if re.fullmatch(rf"{ORDER_RE.pattern}", t):
        return t
    return None


SEAL_RE = re.compile(r"[（(](?:代章|印章|盖章|签章|代印)[)）][\s\u3000]*$")  # 某某联席会议（代章）: the seal's note


def is_name_line(line: str) -> bool:
    s = re.sub(r"[ \u3000]", "", SEAL_RE.sub("", line))
    return 2 <= len(s) <= 40 and not re.search(r"[，。；：,.;:!?、（）()《》]", s) and bool(
        re.search(ISSUER_SUFFIX + r"$", s) or re.fullmatch(r"[\u4e00-\u9fff]{2,12}", s))


def _title_like(line: str) -> bool:
    s = flat(line)
    if not s or len(s) > 90 or _SENTENCE_RE.search(s) or s.endswith(("：", ":", "，", ",")):
        return False
    if FIELD_RE.match(s) or _URL_RE.match(s) or number_of_line(s) or is_date_line(s) or _ATTACH_RE.match(s):
        return False
    if parse_marker(s) is not None:
        return False
    return len(s) <= 40 or bool(TITLE_END_RE.search(s) or ABOUT_RE.search(s))


def join_title(lines: list[str]) -> str:
    """Title lines joined: spaces inside words dropped, joint issuers before 关于 kept apart by one space."""
    t = "".join(x.strip(" \t\u3000") for x in lines)
    m = ABOUT_RE.search(t)
    cut = m.start() if m else 0
    prefix, rest = t[:cut], t[cut:]
    prefix = re.sub(r"[ \u3000]+", lambda g: " " if re.search(ISSUER_SUFFIX + r"$", prefix[:g.start()]) else "",
                    prefix).strip()
    rest = re.sub(r"(?<=[\u4e00-\u9fff《》〈〉（）])[ \u3000]+|[ \u3000]+(?=[\u4e00-\u9fff《》〈〉（）])", "", rest)
    return prefix + rest


def title_block(lines: list[str], i: int, limit: int = 6) -> int:
    """End (exclusive) of the title that starts at lines[i]: title-like lines up to the one that ends with
    a kind of document (通知, 意见, 条例 …), or only lines[i] if none does."""
    j = i
    while j < len(lines) and j - i < limit and _title_like(lines[j]):
        joined = join_title(lines[i:j + 1])
        j += 1
        if TITLE_END_RE.search(joined):
            # a note such as （试行） or （2013—2015年） on its own line still belongs to the title
            if j < len(lines) and re.fullmatch(r"[（(][^（()）]{1,20}[）)]", flat(lines[j])) \
                    and not number_of_line(lines[j]) and not _NOTE_RE.match(lines[j]):
                j += 1
            return j
    return i + 1


# （2022年12月23日北京市人民政府第307号令公布　自2023年3月1日起施行）, （2011年7月7日…第235号令发布　根据…修改）:
# how local governments' rules (规章) and regulations state their history under the title
_RULE_NOTE_RE = re.compile(r"^[（(](?P<inner>[^（()）]{0,12}?(?:19|20)\d{2}\s*年[^（()）]{2,300}?"
                           r"(?:公布|发布|通过|批准|施行|修改|修订|修正)[^（()）]{0,60})[)）]$")


def split_info_entries(lines: list[str]) -> list[str]:
    """A law's information block, one entry a line (entries a reflow ran together are split at their dates)."""
    out: list[str] = []
    for ln in lines:
        ln = INFO_END_RE.sub("", ln).strip(" \u3000")
        out.extend(p.strip(" \u3000") for p in _INFO_SPLIT_RE.split(ln) if p.strip(" \u3000"))
    return out


def _find_banji(lay: Layout, paras: list[tuple[int, str]]) -> int:
    """Cut the 版记 (抄送, 印发) from the end; returns where it starts."""
    n = len(paras)
    printed = None
    for k in range(n - 1, max(-1, n - 7), -1):
        m = _PRINTED_RE.search(paras[k][1])
        if m and find_dates(m.group("date")):
            printed = k
            break
    cc_at = None
    for k in range(n - 1, max(-1, n - 10), -1):
        if _CC_RE.match(paras[k][1]):
            cc_at = k
            break
    if printed is None and cc_at is None:
        return n
    start = min(x for x in (printed, cc_at) if x is not None)
    if printed is not None and cc_at is not None and not (cc_at < printed or cc_at == n - 1):
        start = printed
    # everything from the 版记 start to the end must be 版记 lines (rules, 抄送 continuation, 印发)
    lines = [p for _, p in paras[start:]]
    cc_text: list[str] = []
    for k, ln in enumerate(lines):
        if _RULE_RE.match(ln):
            continue
        pm = _PRINTED_RE.search(ln)
        if pm and find_dates(pm.group("date")):
            if pm.group("by"):
                lay.printed_by = pm.group("by").strip(" \u3000")
            elif k > 0 and is_name_line(lines[k - 1]) and not _CC_RE.match(lines[k - 1]):
                lay.printed_by = flat(lines[k - 1])  # 印发机关 and 印发日期 on lines of their own
                if cc_text and cc_text[-1] == lines[k - 1]:
                    cc_text.pop()
            lay.printed_date = find_dates(pm.group("date"))[0][2]
            ln = ln[:pm.start()]  # 抄送 and 印发 run together on one line
            if not ln.strip(" \u3000"):
                continue
        cm = _CC_RE.match(ln)
        if cm:
            cc_text.append(cm.group("value"))
            continue
        if cc_text and len(ln) < 120 and not _SENTENCE_RE.search(ln.rstrip("。")):
            cc_text.append(ln)
            continue
        if k == len(lines) - 1 and re.fullmatch(r"[\s\u3000]*[(（]?共\s*印\s*\d+\s*份[)）]?[\s\u3000]*", ln):
            continue
        return n  # not a 版记 after all
    joined = "".join(cc_text).rstrip("。. ")
    lay.cc = [x.strip(" \u3000") for x in re.split(r"[，,、；;]", joined) if x.strip(" \u3000")]
    while start > 0 and _RULE_RE.match(paras[start - 1][1]):
        start -= 1
    lay.metadata_lines.extend(paras[start:])
    return start


def _signature_at(main: list[tuple[int, str]], lo: int) -> int | None:
    """Index (in main) of the signature's date line: the first date line from lo that closes the text
    (issuer lines above it, or 附注/附件/the end below it)."""
    for k in range(lo, len(main)):
        ln = main[k][1]
        if not is_date_line(ln):
            continue
        above = k > lo and (is_name_line(main[k - 1][1]) or bool(_CLOSING_RE.match(main[k - 1][1])))
        nxt = main[k + 1][1] if k + 1 < len(main) else None
        below = nxt is None or bool(_NOTE_RE.match(nxt) or _ATTACH_RE.match(nxt) or _CLOSING_RE.match(nxt)
                                    or _REGISTERED_RE.match(nxt) or _EMPTY_LABEL_RE.match(nxt) or _title_like(nxt))
        if above and below:
            return k
    return None


def _header(lay: Layout, main: list[tuple[int, str]], start: int) -> int:
    """Read the header from main[start:]; returns the index of the first body paragraph."""
    lines = [p for _, p in main]
    i = start
    while i < len(lines) and i - start < 30:
        ln = lines[i].strip(" \u3000")
        fm = FIELD_RE.match(ln)
        um = _URL_RE.match(ln)
        if um and um.group("rest").strip():
            # the link and the next line run together: read the link, then the rest as a line of its own
            lay.fields.setdefault("原文链接", um.group("url"))
            lines[i] = um.group("rest")
            continue
        lm = None if fm else LABEL_FIELD_RE.match(ln)
        if fm or lm:
            m = fm or lm
            assert m is not None
            key = simplify_key(m.group("key"))
            if lm is not None and key in ("发布机构", "发布单位", "发文机关"):
                key = "来源机构"  # a crawler's idea of the publisher: the issuers only when the notice names none
            lay.fields.setdefault(key, m.group("value").strip(" \u3000"))
            lay.header.append(ln)
            i += 1
            continue
        if um:
            lay.fields.setdefault("原文链接", um.group("url"))
            lay.header.append(ln)
            i += 1
            continue
        num = number_of_line(ln)
        if num:
            if lay.number_line is None:
                lay.number_line = num
            lay.header.append(ln)
            i += 1
            continue
        f = flat(ln)
        red = _RED_DOC_RE.match(f)
        nxt_flat = flat(lines[i + 1]) if i + 1 < len(lines) else ""
        starts_title = bool(ABOUT_RE.match(nxt_flat)) or (
            _title_like(nxt_flat) and not ISSUER_NAME_RE.match(nxt_flat) and not number_of_line(nxt_flat)
            and bool(TITLE_END_RE.search(join_title(lines[i:title_block(lines, i)]))))
        if not lay.title and (red or (ISSUER_NAME_RE.match(f.replace(" ", "")) and not ABOUT_RE.search(f)
                                      and not starts_title)) and not TITLE_END_RE.search(f) and len(f) <= 60:
            lay.issuer_mark.extend(n for n in re.split(r"[ \u3000、]+", red.group("name") if red else f) if n)
            lay.header.append(ln)
            i += 1
            continue
        if _title_like(ln):
            j = title_block(lines, i)
            title = join_title(lines[i:j])
            if lay.title and re.sub(r"\s", "", title) == re.sub(r"\s", "", lay.title):
                lay.header.extend(lines[i:j])  # the title written twice (a database export)
                i = j
                continue
            if lay.title:
                break
            ended = bool(TITLE_END_RE.search(title))
            nxt = lines[j].strip() if j < len(lines) else ""
            header_follows = bool(number_of_line(nxt) or FIELD_RE.match(nxt) or nxt.endswith(("：", ":")))
            if not ended and not header_follows:
                if j - i > 1:
                    j = i + 1
                    title = join_title(lines[i:j])
                if i > start or lay.fields or lay.number_line:
                    break  # a short body line after the header, not a title
            lay.title, lay.title_lines = title, lines[i:j]
            lay.header.extend(lines[i:j])
            i = j
            continue
        break
    if lay.number_line is None:  # a number alone on its line above the addressee, after page text the header
        for k in range(i, min(len(lines), i + 25)):  # rules above could not place (a site's links, a mangled title)
            if lines[k].strip(" \u3000").endswith(("：", ":")) or parse_marker(lines[k]) is not None:
                break
            num = number_of_line(lines[k])
            if num:
                lay.number_line = num
                break
    # 主送机关: a short line ending with a colon right after the header
    if i < len(lines):
        ln = lines[i].strip(" \u3000")
        if ln.endswith(("：", ":")) and len(ln) <= 200 and not _SENTENCE_RE.search(ln) and parse_marker(ln) is None:
            lay.addressee = ln.rstrip("：:")
    return i


_SIGNED_RE = re.compile(rf"^(?P<names>[^\d]*?[^\s\u3000\d])[\s\u3000]*(?P<date>{DATE_RE.pattern})[\s\u3000]*$")
_BODY_RE = re.compile(ISSUER_SUFFIX + "$")


_DATED_NOTE_RE = re.compile(rf"^(?P<date>[\s\u3000]*{DATE_RE.pattern})[\s\u3000]*(?P<note>[（(][^（()）]{{2,20}}[)）])"
                            r"[\s\u3000]*$")


def _split_signed(paras: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A signature set on one line with its date (自然资源部　中国银行保险监督管理委员会2023年3月3日, a page that
    lost the line break) as the issuer line and the date line it stands for; a date with its 附注 on its line
    (2025年7月15日      （此件公开发布）) as the date line and the note's."""
    out = []
    for off, line in paras:
        dated = _DATED_NOTE_RE.match(line) if len(line) <= 60 else None
        if dated:
            out += [(off, line[:dated.end("date")]), (off + dated.start("note"), line[dated.start("note"):])]
            continue
        m = _SIGNED_RE.match(line) if len(line) <= 100 else None
        names = re.split(r"[\s\u3000]+", m.group("names").strip()) if m else []
        if m and names and all(is_name_line(n) and _BODY_RE.search(n) for n in names):
            out += [(off, line[:m.end("names")]), (off + m.start("date"), line[m.start("date"):])]
        else:
            out.append((off, line))
    return out


def analyse_layout(text: str) -> Layout:
    """Find the header, body, closing, signature, 版记 and embedded attachments of a display text."""
    paras = _split_signed(paragraphs_of(text))
    lay = Layout(paras)
    if not paras:
        return lay
    lines = [p for _, p in paras]
    # A stand-alone attachment: "附件 1" then its title.
    start = 0
    m = _ATTACH_RE.match(lines[0])
    if m and not m.group("rest").strip() and len(lines) > 1:
        lay.attachment_number = int(m.group("n") or 1)
        j = title_block(lines, 1)
        lay.title_lines = lines[1:j]
        lay.title = join_title(lay.title_lines)
        lay.header = list(lay.title_lines)
        lay.metadata_lines.extend(paras[:j])
        start = j
    end = _find_banji(lay, paras)
    # A law's information block above <!-- INFO END -->: the title, then one line per event.
    info_at = next((k for k, ln in enumerate(lines[:60]) if INFO_END_RE.search(ln)), None)
    if info_at is not None and start == 0:
        lay.title_lines = [lines[0]]
        lay.title = join_title(lay.title_lines)
        lay.header = lines[:info_at + 1]
        lay.info_lines = split_info_entries(lines[1:info_at + 1])
        lay.metadata_lines.extend(paras[:info_at + 1])
        body_start = info_at + 1
    else:
        body_start = _header(lay, paras[:end], start)
        lay.metadata_lines.extend(paras[start:body_start])
        note = _RULE_NOTE_RE.match(paras[body_start][1].strip()) if body_start < end and lay.title else None
        if note is not None:  # a rule's 公布 and 施行 in a parenthesis under its title: its information block
            lay.info_lines = split_info_entries(
                [p for p in re.split(r"[\s\u3000]+|(?=根据)|[；;，,]", note.group("inner")) if p])
            lay.header.append(paras[body_start][1])
            lay.metadata_lines.append(paras[body_start])
            body_start += 1
    main = paras[:end]
    # The signature, then the 附注, then what follows: attachments or the document this notice issues.
    sig_end = _signature_at(main, body_start) if info_at is None else None
    embedded_starts: list[int] = []
    titles_at: dict[int, tuple[str, int]] = {}
    if sig_end is not None:
        k = sig_end + 1
        while k < len(main) and _NOTE_RE.match(main[k][1]):
            lay.notes.append(main[k][1].strip(" \u3000"))
            k += 1
        after_sig = k
        # attachments after the signature: 附件 headings, or the title of an issued/forwarded document
        k = after_sig
        while k < len(main):
            ln = main[k][1]
            am = _ATTACH_RE.match(ln)
            if am and len(ln) <= 80:
                embedded_starts.append(k)
            elif k == after_sig and _title_like(ln):
                j = title_block(lines, k)
                if TITLE_END_RE.search(join_title(lines[k:j])) or j - k > 1:
                    embedded_starts.append(k)
                    titles_at[k] = (join_title(lines[k:j]), j)
            k += 1
        list_lines = range(body_start, sig_end)
    else:
        after_sig = end
        list_lines = range(body_start, end)
    # the 附件 list (附件：1、A 2、B …) in the closing; later 附件 headings start embedded attachments
    list_seen = False
    for i in list_lines:
        am = _ATTACH_RE.match(lines[i])
        if not am or len(lines[i]) > 80:
            continue
        if not list_seen:
            list_seen = True
            lay.attachment_titles = _attachment_list(lines, i)
            continue
        if sig_end is None:
            embedded_starts.append(i)
    embedded_starts = sorted(set(embedded_starts))
    stop = embedded_starts[0] if embedded_starts else end
    if embedded_starts:
        bounds = embedded_starts + [end]
        for n_k, s in enumerate(embedded_starts):
            if s in titles_at:
                title, body_from = titles_at[s]
                n = len(lay.embedded) + 1
            else:
                am = _ATTACH_RE.match(lines[s])
                assert am is not None
                n = int(am.group("n") or n_k + 1)
                title = am.group("rest").strip()
                body_from = s + 1
                if not title and s + 1 < bounds[n_k + 1]:
                    j = title_block(lines, s + 1)
                    title, body_from = join_title(lines[s + 1:j]), j
            lay.embedded.append((n, title, lines[body_from:bounds[n_k + 1]]))
            lay.metadata_lines.extend(paras[s:body_from])  # the 附件 heading and the attachment's title
        if not lay.attachment_titles:
            lay.attachment_titles = [t for _, t, _ in lay.embedded if t]
    main = paras[:stop]
    has_sig = sig_end is not None and sig_end < stop
    if has_sig:
        assert sig_end is not None
        k = sig_end
        while k - 1 >= body_start and is_name_line(main[k - 1][1]) and sig_end - k < 12:
            k -= 1
        lay.signature_lines = [p for _, p in main[k:sig_end + 1]]
        closing_start = k
    else:
        closing_start = stop
    # Closing lines (特此通知, contacts, the attachment list) just above the signature.
    k = closing_start
    while k - 1 >= body_start and (_CLOSING_RE.match(main[k - 1][1]) or _in_attachment_list(main, k - 1)):
        k -= 1
    lay.body = main[body_start:k]
    lay.closing = main[k:stop]  # closing lines, signature, 附注 and anything before the first attachment
    return lay


def _attachment_list(lines: list[str], i: int) -> list[str]:
    """Titles of an attachment list starting at line i (附件：1、A 2、B …)."""
    m = _ATTACH_RE.match(lines[i])
    assert m is not None
    titles: list[str] = []
    rest = m.group("rest").strip()
    parts = [p for p in re.split(r"\s*\d{1,2}\s*[、.．]\s*", rest) if p.strip()] if rest else []
    titles.extend(p.strip() for p in parts)
    j = i + 1
    while j < len(lines) and re.match(r"^\s*\d{1,2}\s*[、.．]\s*\S", lines[j]) and len(lines[j]) < 60:
        titles.append(re.sub(r"^\s*\d{1,2}\s*[、.．]\s*", "", lines[j]).strip())
        j += 1
    return titles


def _in_attachment_list(main: list[tuple[int, str]], k: int) -> bool:
    """Line k is an item of the 附件 list (2、经济总量百强城市 under 附件：1、…)."""
    if not re.match(r"^\s*\d{1,2}\s*[、.．]\s*\S", main[k][1]) or len(main[k][1]) >= 60:
        return False
    j = k - 1
    while j >= 0 and re.match(r"^\s*\d{1,2}\s*[、.．]\s*\S", main[j][1]):
        j -= 1
    return j >= 0 and bool(_ATTACH_RE.match(main[j][1]))
