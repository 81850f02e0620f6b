"""Load the corpus: read each document named in the manifest and build its records.

This is the loaders' I/O edge. Files are read and checked here (missing, empty, not UTF-8);
everything else is the pure parsing in :mod:`loaders.structure`,
:mod:`loaders.responsibility` and :mod:`loaders.lexicon`.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from charset_normalizer import from_bytes

from core.errors import CorpusFileError, StructureError
from loaders.agency_time import AgencyTimeline
from loaders.clause_content import ContentReader, Findings
from loaders.clauses import clause_bounds, clause_id
from loaders.lexicon import Lexicon, Token
from loaders.manifest import DocumentSpec, Manifest, read_manifest
from loaders.normalise import normalise
from loaders.notice import bibliographic_facts, check_against
from loaders.records import (
    Citation,
    Clause,
    Corpus,
    Deliverable,
    Document,
    Group,
    Instrument,
    Item,
    LoadReport,
    LoadWarning,
    Mention,
    Part,
    Repair,
    Responsibility,
    Span,
    Target,
)
from loaders.responsibility import find_clause, parse_clause
from loaders.structure import ItemDraft, ParsedDocument, parse_document
from loaders.text import Mapped
from loaders.vocabulary import read_vocabularies

log = logging.getLogger(__name__)

#: The largest corpus file read. Parsing is linear in a file's size, and holds about 130
#: bytes of memory per character of it (each character's offset in the original is kept):
#: 8 MiB is some 1 GB, where the received documents are 20-30 KB.
MAX_FILE_BYTES = 8 * 1024 * 1024
#: From this size on, reading a file is reported (at INFO): it takes seconds.
LARGE_FILE_BYTES = 1024 * 1024


def decode(data: bytes, path: Path) -> str:
    """Decode a corpus file as UTF-8, saying clearly what is wrong when it is not.

    Raises:
        CorpusFileError: the file is empty, or not UTF-8 (naming the line of the first bad
            byte and the encoding the bytes look like).
    """
    if not data.strip():
        raise CorpusFileError("file is empty", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        guess = from_bytes(data).best()
        looks = f"; it looks like {guess.encoding.upper()}" if guess else ""
        raise CorpusFileError(
            f"not valid UTF-8 (byte 0x{data[e.start]:02X} at offset {e.start}){looks}. "
            "Convert the file to UTF-8 and load again",
            path=path,
            line=line,
        ) from e
    return text.removeprefix("\ufeff")


def read_document_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read one corpus file (see :func:`decode`).

    Raises:
        CorpusFileError: the file is missing, larger than ``max_bytes`` (refused before it
            is read), empty, or not UTF-8.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError as e:
        raise CorpusFileError("file not found", path=path) from e
    if size > max_bytes:
        raise CorpusFileError(
            f"file is {size / 2**20:.1f} MiB; a corpus file may be at most "
            f"{max_bytes / 2**20:g} MiB (policy documents are far smaller: is this the right "
            "file?)",
            path=path,
        )
    if size >= LARGE_FILE_BYTES:
        log.info("Reading %s (%.1f MiB): a large file takes a while …", path, size / 2**20)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise CorpusFileError("file not found", path=path) from e
    return decode(data, path)


def load_corpus(manifest_path: Path, vocab_dir: Path, keys: list[str] | None = None) -> Corpus:
    """Read the manifest, the vocabularies and every document, and build the records.

    Args:
        manifest_path: the corpus manifest (``data/corpus/manifest.toml``).
        vocab_dir: the folder with the curated vocabularies.
        keys: load only these documents (all when None).

    Raises:
        LoaderError: any problem with the manifest, a file or its structure, naming the
            file and line.
    """
    manifest = read_manifest(manifest_path)
    lexicon = Lexicon(read_vocabularies(vocab_dir))
    specs = [manifest.spec(k) for k in keys] if keys else list(manifest.documents)
    content = ContentReader.from_files(vocab_dir, corpus_titles(manifest))
    return build_corpus(manifest, specs, lexicon, read_document_text, content)


def corpus_titles(manifest: Manifest) -> dict[str, str]:
    """Each manifest document's key by its title, for resolving citations."""
    return {s.title: s.key for s in manifest.documents}


def build_corpus(
    manifest: Manifest,
    specs: list[DocumentSpec],
    lexicon: Lexicon,
    read: Callable[[Path], str],
    content: ContentReader | None = None,
) -> Corpus:
    """Build the corpus from already-read inputs; ``read`` returns a document's text,
    ``content`` reads each clause's policy content (none is read without it)."""
    documents: list[Document] = []
    repairs: list[Repair] = []
    warnings: list[LoadWarning] = []
    unresolved: list[Responsibility] = []
    for spec in specs:
        path = manifest.file(spec)
        text = read(path)
        try:
            document, doc_repairs, doc_warnings = build_document(text, spec, lexicon, content)
        except StructureError as e:
            raise StructureError(e.message, path=path, line=e.line) from e
        documents.append(document)
        repairs.extend(doc_repairs)
        warnings.extend(doc_warnings)
        for item in document.items:
            unresolved.extend(r for r in item.responsibilities if _unresolved(r))
        log.info(
            "%s: %d parts, %d groups, %d %ss",
            spec.key,
            len(document.parts),
            len(document.groups),
            len(document.items),
            spec.item_kind,
        )
    loaded = {spec.key for spec in specs}
    return Corpus(
        series=tuple(s for s in manifest.series if set(s.documents) <= loaded),
        documents=tuple(documents),
        report=LoadReport(
            repairs=tuple(repairs), warnings=tuple(warnings), unresolved=tuple(unresolved)
        ),
    )


def build_document(
    text: str, spec: DocumentSpec, lexicon: Lexicon, content: ContentReader | None = None
) -> tuple[Document, list[Repair], list[LoadWarning]]:
    """One document's records, the repairs made to its text, and its warnings (pure)."""
    parsed = parse_document(text, spec, is_word=lexicon.is_word)
    warnings = list(parsed.warnings)
    facts = bibliographic_facts(spec, parsed.notice)
    if parsed.notice is not None:
        warnings += check_against(
            parsed.notice,
            spec.key,
            spec.file,
            {"issuer": spec.issuer, "number": spec.number, "date": spec.date},
        )
    parts = tuple(
        Part(
            id=p.id,
            document=spec.key,
            number=p.number,
            marker=p.marker,
            title=p.title,
            title_simplified=normalise(p.title),
            text=p.text,
            span=p.span,
        )
        for p in parsed.parts
    )
    groups = tuple(
        Group(
            id=g.id,
            document=spec.key,
            number=g.number,
            marker=g.marker,
            title=g.title,
            title_simplified=normalise(g.title),
            part=g.parent or "",
            span=g.span,
        )
        for g in parsed.groups
    )
    timeline = AgencyTimeline(lexicon.vocab)

    def in_force(agency: str) -> str:
        return timeline.in_force(agency, facts.date)

    items = _items(parsed, spec, lexicon, text, warnings, content, in_force)
    document = Document(
        key=spec.key,
        title=spec.title,
        title_simplified=normalise(spec.title),
        issuer=facts.issuer,
        issuer_agency=_resolved(lexicon, facts.issuer, in_force),
        number=facts.number,
        date=facts.date,
        type=spec.type,
        note=spec.note,
        relevant_for=spec.relevant_for,
        script=spec.script,
        file=spec.file,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        characters=len(text),
        preamble=parsed.preamble,
        preamble_span=parsed.preamble_span,
        notice=parsed.notice,
        parts=parts,
        groups=groups,
        items=items,
    )
    return document, list(parsed.repairs), warnings


def _resolved(lexicon: Lexicon, name: str, in_force: Callable[[str], str]) -> str | None:
    agency = lexicon.resolve_agency(name)
    return in_force(agency) if agency is not None else None


def _unresolved(r: Responsibility) -> bool:
    """A named body the registry does not know (a generic one is not unresolved)."""
    return r.agency is None and r.inherited_from is None and not r.generic


def _span(mapped: Mapped, start: int, end: int, text: str) -> Span:
    a, b = mapped.span(start, end)
    return Span(start=a, end=b, line=bisect.bisect_left(_line_breaks(text), a) + 1)


@functools.lru_cache(maxsize=4)
def _line_breaks(text: str) -> tuple[int, ...]:
    """Offsets of the newlines in ``text``, once per document: a span's line is found by
    bisection, not by counting the text before it (quadratic in a long file)."""
    return tuple(m.start() for m in re.finditer("\n", text))


def _items(
    parsed: ParsedDocument,
    spec: DocumentSpec,
    lexicon: Lexicon,
    text: str,
    warnings: list[LoadWarning],
    content: ContentReader | None,
    in_force: Callable[[str], str],
) -> tuple[Item, ...]:
    """The items, every agency resolved to the body in force on the document's date."""
    items: list[Item] = []
    carried: list[Responsibility] = []  # from a 下同 clause, for every later item
    for draft in parsed.items:
        full = draft.text.text
        simplified = normalise(full)
        clause_at = find_clause(full) if spec.responsibility_clauses else None
        responsibilities: list[Responsibility] = []
        open_ended = False
        clause: str | None = None
        clause_span: Span | None = None  # the responsibility clause's
        body_end = len(full)
        if spec.responsibility_clauses and clause_at is None:
            warnings.append(
                LoadWarning(
                    document=spec.key,
                    line=draft.span.line,
                    code="no-responsibility-clause",
                    message=f"{draft.id} does not end in a responsibility clause",
                )
            )
        if clause_at is not None:
            c_start, c_end = clause_at
            body_end = c_start
            clause = full[c_start:c_end]
            clause_span = _span(draft.text, c_start, c_end, text)
            parsed_clause = parse_clause(
                simplified[c_start:c_end], lexicon.resolve_agency, lexicon.is_place
            )
            open_ended = parsed_clause.open_ended
            new_carried: list[Responsibility] = []
            for name in parsed_clause.names:
                a, b = c_start + name.start, c_start + name.end
                r = Responsibility(
                    agency=_resolved(lexicon, name.name, in_force),
                    surface=full[a:b],
                    name=name.name,
                    role=name.role,
                    span=_span(draft.text, a, b, text),
                    generic=name.generic,
                )
                responsibilities.append(r)
                if name.same_below:
                    new_carried.append(r.model_copy(update={"inherited_from": draft.id}))
            if not parsed_clause.names and not open_ended:
                warnings.append(
                    LoadWarning(
                        document=spec.key,
                        line=clause_span.line,
                        code="empty-responsibility-clause",
                        message=f"{draft.id}: the clause {clause} names no body",
                    )
                )
            own = {(r.name, r.role) for r in responsibilities}
            responsibilities.extend(c for c in carried if (c.name, c.role) not in own)
            carried.extend(new_carried)
        for r in responsibilities:
            if _unresolved(r):
                warnings.append(
                    LoadWarning(
                        document=spec.key,
                        line=r.span.line,
                        code="unresolved-agency",
                        message=f"{draft.id}: {r.surface!r} ({r.name}) is not in the agency "
                        "registry; kept, flagged unresolved",
                    )
                )
        body = full[:body_end].rstrip()
        body_simplified = simplified[: len(body)]
        tokens = lexicon.tokenize(body_simplified)
        mentions = _mentions(draft, body_simplified, tokens, lexicon, text, in_force)
        items.append(
            Item(
                id=draft.id,
                document=spec.key,
                kind=spec.item_kind,
                number=draft.number,
                marker=draft.marker,
                title=draft.title,
                title_simplified=normalise(draft.title),
                text=full,
                text_simplified=simplified,
                body=body,
                body_simplified=body_simplified,
                part=draft.part,
                group=draft.group,
                span=draft.span,
                responsibility_clause=clause,
                responsibility_span=clause_span,
                responsibilities=tuple(responsibilities),
                open_ended=open_ended,
                mentions=mentions,
                words=_words(tokens),
                clauses=_clauses(draft, body_simplified, tokens, mentions, text, content),
            )
        )
    return tuple(items)


def _words(tokens: Sequence[Token]) -> tuple[str, ...]:
    return tuple(t.text for t in tokens if t.text.strip())


def _clauses(
    draft: ItemDraft,
    body_simplified: str,
    tokens: Sequence[Token],
    mentions: Sequence[Mention],
    text: str,
    content: ContentReader | None,
) -> tuple[Clause, ...]:
    """The body's sentences as records, each with its span, mentions, words and content."""
    clauses = []
    for n, (a, b) in enumerate(clause_bounds(body_simplified), start=1):
        span = _span(draft.text, a, b, text)
        found = content.read(body_simplified[a:b]) if content else None
        clauses.append(
            Clause(
                id=clause_id(draft.id, n),
                item=draft.id,
                number=n,
                text=draft.text.text[a:b],
                text_simplified=body_simplified[a:b],
                span=span,
                mentions=tuple(
                    m for m in mentions if span.start <= m.span.start and m.span.end <= span.end
                ),
                words=_words([t for t in tokens if a <= t.start and t.end <= b]),
                **(_content(found, draft, a, text) if found else {}),
            )
        )
    return tuple(clauses)


def _content(
    found: Findings, draft: ItemDraft, at: int, text: str
) -> dict[
    str,
    tuple[Deliverable, ...] | tuple[Target, ...] | tuple[Citation, ...] | tuple[Instrument, ...],
]:
    """A clause's findings as records, their offsets (into the clause, which starts at
    ``at`` in the item) made spans of the original file."""

    def span(start: int, end: int) -> Span:
        return _span(draft.text, at + start, at + end, text)

    original = draft.text.text
    return {
        "deliverables": tuple(
            Deliverable(kind=d.kind, verb=d.verb, name=d.name, span=span(d.start, d.end))
            for d in found.deliverables
        ),
        "targets": tuple(
            Target(
                value=t.value,
                unit=t.unit,
                comparator=t.comparator,
                object=t.object,
                year=t.year,
                span=span(t.start, t.end),
            )
            for t in found.targets
        ),
        "citations": tuple(
            Citation(
                title=original[at + c.start + 1 : at + c.end - 1].strip(),
                title_simplified=c.title,
                document=document,
                span=span(c.start, c.end),
            )
            for c, document in found.citations
        ),
        "instruments": tuple(
            Instrument(type=i.type, tool=i.tool, cue=i.cue, span=span(i.start, i.end))
            for i in found.instruments
        ),
    }


def _mentions(
    draft: ItemDraft,
    body_simplified: str,
    tokens: Sequence[Token],
    lexicon: Lexicon,
    text: str,
    in_force: Callable[[str], str],
) -> tuple[Mention, ...]:
    return tuple(
        Mention(
            kind=hit.kind,
            ref=in_force(hit.ref) if hit.kind == "agency" else hit.ref,
            surface=draft.text.text[hit.start : hit.end],
            span=_span(draft.text, hit.start, hit.end, text),
        )
        for hit in lexicon.find(body_simplified, tokens)
    )
