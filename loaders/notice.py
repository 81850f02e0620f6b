"""The notice block: what an issued document says about itself before its title.

A document issued by a government body opens with a notice block::

    广东省人民政府办公厅文件                      ← the issuer's header (…文件)
    粤办函〔2023〕27号                            ← the document number (文号), on its own line
    广东省人民政府办公厅关于印发广东省数字政府     ← the notice's title, often broken across
    改革建设2023年工作要点的通知                   lines
    各地级以上市人民政府，省政府各部门、各直属机构：  ← the addressees (主送), ending in ：
    《…》已经省人民政府同意，现印发给你们 …        ← the approval sentence (经…同意)
    广东省人民政府办公厅                          ← the signature: issuer,
    2023年3月20日                                 ← and date

An opinion issued directly signs at the end of its body instead (the signature is then the
last thing before the distribution notes). Everything here is pure: lines in, a
:class:`~loaders.records.Notice` out, read on the Simplified form so that a Traditional text
reads the same. A manifest value the notice contradicts is a warning naming both
(:func:`check_against`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.errors import ManifestError, StructureError
from loaders.manifest import DocumentSpec
from loaders.normalise import normalise
from loaders.records import LoadWarning, Notice
from loaders.text import Line

HEADER = re.compile(r"^(?P<issuer>[\u4e00-\u9fff（）]{2,40}?)文件$")
NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[［【（(]\d{4}[〕\]］】）)]\d{1,4}号$")
DATE = re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
APPROVAL = re.compile(r"经(?P<by>[\u4e00-\u9fff]{2,20}?)(?:批准|同意)")
# A signature line names a body: short, and no sentence punctuation.
SIGNATURE_PUNCTUATION = frozenset("。，；：、！？《》“”")
MAX_SIGNATURE = 30


def _plain(line: Line) -> str:
    """A line's Simplified form without any whitespace (headers are often letter-spaced)."""
    return re.sub(r"\s+", "", normalise(line.text))


def is_signature(lines: Sequence[Line], index: int) -> bool:
    """Whether ``lines[index]`` is an issuer's signature: a short line naming a body, followed
    (blank lines aside) by a line that is a date and nothing else."""
    text = _plain(lines[index])
    if not text or len(text) > MAX_SIGNATURE or SIGNATURE_PUNCTUATION & set(text):
        return False
    for following in lines[index + 1 :]:
        if not following.blank:
            return DATE.match(_plain(following)) is not None
    return False


def _date(line: Line) -> dt.date:
    m = DATE.match(_plain(line))
    if m is None:  # the callers matched it already
        raise StructureError(f"not a date: {line.text.strip()!r}", line=line.number)
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError as e:
        raise StructureError(
            f"the notice's date {line.text.strip()!r} is not a calendar date", line=line.number
        ) from e


def _addressees(text: str) -> tuple[str, ...]:
    """``各地级以上市人民政府，省政府各部门、各直属机构`` → the three addressees; a ``各…`` after
    ``省政府各部门`` takes the same head (``省政府各直属机构``)."""
    out: list[str] = []
    for group in re.split("[，,；;]", text):
        head = ""
        for name in (n.strip() for n in group.split("、")):
            if not name:
                continue
            if name.startswith("各") and head:
                name = head + name
            elif "各" in name[1:]:
                head = name[: name.index("各", 1)]
            out.append(name)
    return tuple(out)


def read_notice(
    preamble: Sequence[Line], closing: tuple[Line, Line] | None = None
) -> Notice | None:
    """The notice block of ``preamble`` (the lines before the first part), or None when it
    has neither an issuer's header nor a document number.

    Args:
        preamble: the lines before the document's first part heading.
        closing: the signature (issuer line, date line) that ends the body, for a document
            that signs after its text rather than in its notice.

    Raises:
        StructureError: the notice's date is not a calendar date (naming the line).
    """
    lines = [line for line in preamble if not line.blank]
    plain = [_plain(line) for line in lines]
    header = HEADER.match(plain[0]) if plain else None
    number_at = next((i for i, t in enumerate(plain) if NUMBER.match(t)), None)
    if header is None and number_at is None:
        return None
    found: dict[str, object] = {}
    at: dict[str, int] = {}

    def keep(field: str, value: object, line: Line) -> None:
        found[field] = value
        at[field] = line.number

    if header is not None:
        keep("issuer", header["issuer"], lines[0])
    if number_at is not None:
        keep("number", plain[number_at], lines[number_at])
    start = (number_at if number_at is not None else 0) + 1
    addressed_at = next((i for i in range(start, len(plain)) if plain[i].endswith("：")), None)
    if addressed_at is not None:
        title = "".join(plain[start:addressed_at])
        if title and "。" not in title:
            keep("title", title, lines[start])
        keep("addressees", _addressees(plain[addressed_at][:-1]), lines[addressed_at])
    after = addressed_at + 1 if addressed_at is not None else start
    for i in range(after, len(plain)):
        approval = APPROVAL.search(plain[i])
        if approval is not None and "approved_by" not in found:
            keep("approved_by", approval["by"], lines[i])
        if is_signature(lines, i):
            keep("issuer", plain[i], lines[i])
            keep("date", _date(lines[i + 1]), lines[i + 1])
            break
    if closing is not None and "date" not in found:
        keep("issuer", _plain(closing[0]), closing[0])
        keep("date", _date(closing[1]), closing[1])
    return Notice.model_validate({**found, "lines": at})


def check_against(
    notice: Notice, document: str, file: str, manifest: dict[str, object]
) -> list[LoadWarning]:
    """A warning for each manifest value the notice contradicts, naming both values and
    where the text states its own."""
    warnings = []
    for field, value in manifest.items():
        read = getattr(notice, field)
        if value is None or read is None or value == read:
            continue
        warnings.append(
            LoadWarning(
                document=document,
                line=notice.lines.get(field),
                code="manifest-contradicts-notice",
                message=f"the manifest gives {field} {str(value)!r}, the notice of {file} "
                f"(line {notice.lines.get(field)}) {str(read)!r}; the text's value is used",
            )
        )
    return warnings


@dataclass(frozen=True)
class Facts:
    """A document's issuer, number and date: the notice's where it gives them, else the
    manifest's."""

    issuer: str
    number: str | None
    date: dt.date


def bibliographic_facts(spec: DocumentSpec, notice: Notice | None) -> Facts:
    """The document's issuer, number and date, the text's notice first.

    Raises:
        ManifestError: neither the manifest nor the text gives the issuer or the date.
    """
    read = notice or Notice()
    issuer = read.issuer or spec.issuer
    date = read.date or spec.date
    missing = [f for f, v in (("issuer", issuer), ("date", date)) if v is None]
    if issuer is None or date is None:
        raise ManifestError(
            f"document {spec.key!r}: the manifest gives no {missing[0]} and the text has no "
            f"notice that states one; add `{missing[0]} = …` to its entry"
        )
    return Facts(issuer=issuer, number=read.number or spec.number, date=date)
