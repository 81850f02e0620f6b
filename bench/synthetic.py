"""Synthetic corpora of any size, built from the real documents' sentences.

The benchmarks need corpora far larger than the real one (86 items), yet with text, mentions
and responsibilities that look like the real ones, so that feature matrices, scores and
graphs have realistic density. A synthetic corpus has two sides, each imitating one real
document of the earliest (earlier, later) pair — by default the 2021 opinion (measures,
Simplified) and the 2025 work plan (tasks, Traditional, with responsibility clauses):

* **Sentences.** Every item body of the model document is split into sentences after each
  ``。`` or ``；``. The split is made on ``body_simplified`` and the original ``body`` is cut at
  the same offsets (normalisation keeps length, see :mod:`loaders.normalise`), so each
  sentence has its original and its normalised form.
* **Items.** A synthetic item is 2–6 distinct sentences of its side's pool, drawn with a
  seeded :class:`random.Random` (deterministic for a given seed and size). Items are spread
  evenly over ``parts`` parts per side (10 by default) and, where the model has groups, over
  three groups per part. The title is the text before the first ``。``, as the loader's
  :func:`loaders.structure.title_of` takes it.
* **Mentions** are the project lexicon's hits (:meth:`loaders.lexicon.Lexicon.find`) on the
  synthetic normalised text, surface taken from the original at the same offsets, exactly as
  :mod:`loaders.corpus` finds them. They are computed once per distinct sentence and shifted
  into place: jieba never joins tokens across ``。``/``；``, so this equals running ``find`` on
  the whole item (``python -m bench.synthetic --check`` verifies it).
* **Responsibilities.** A task copies the responsibility clause (original and normalised
  text, and its parsed responsibilities) of a random real task of its model, with spans
  shifted to the synthetic item; ``下同`` inheritance points at the previous synthetic item.
* **Alignment tokens** (:func:`align.features.tokens`) are likewise computed per sentence and
  concatenated, so a benchmark can pass them to ``align_items_of`` precomputed.

The same corpus gives the alignment benchmark its :class:`align.features.AlignItem` lists
(:func:`align_item_lists`) and the load benchmark its RDF graph (:func:`synthetic_graph`),
which is built by the project's own :func:`ontology.build.build_graph` from
:mod:`loaders.records` documents, so its triples look exactly like real ones (IRIs only, no
blank nodes).

Example::

    inputs = read_inputs(Settings())
    corpus = synthetic_corpus(inputs, 1000, 1000, seed=0)
    source, target = align_item_lists(corpus)
    graph = synthetic_graph(inputs, 500_000)
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from align.features import AlignItem, named_refs, tokens
from loaders.lexicon import Hit
from loaders.records import (
    Document,
    Item,
    ItemKind,
    Responsibility,
    Span,
)
from loaders.structure import make_id, title_of
from policykg.pipeline import Inputs, document_pairs

log = logging.getLogger(__name__)

SENTENCE_END = re.compile(r"[。；]")
MIN_SENTENCES = 2
MAX_SENTENCES = 6
DEFAULT_PARTS = 10
GROUPS_PER_PART = 3  # where the model document has groups at all
#: Links kept per source item in the synthetic graph. The real build keeps 64 links for 36
#: source items (1.8 each); without a cap the synthetic corpus, whose items share sentences,
#: would keep up to top_k = 10 each and alignments would dominate the graph.
GRAPH_LINK_RANKS = 2
BUILD_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

Report = Callable[[str], None]


def _quiet(message: str) -> None:
    del message


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a real item body: original and normalised text, hits and tokens."""

    original: str
    simplified: str
    hits: tuple[Hit, ...]  # lexicon hits, offsets into the sentence
    tokens: tuple[str, ...]  # the alignment's content tokens of ``simplified``


@dataclass(frozen=True)
class Model:
    """A real document that a synthetic side imitates: its sentences and clauses."""

    document: Document
    kind: ItemKind
    sentences: tuple[Sentence, ...]
    clauses: tuple[Item, ...]  # the document's items that end in a responsibility clause
    clause_share: float  # how many of its items have one


@dataclass(frozen=True, slots=True)
class SyntheticItem:
    """A synthetic item as drawn: its sentences, place in the structure and clause."""

    number: int
    part: int  # 0-based
    group: int | None  # 0-based over the whole side
    sentences: tuple[int, ...]  # indexes into the model's sentences
    clause: int | None  # index into the model's clauses


@dataclass(frozen=True, slots=True)
class _Placed:
    """An item's text and where it sits in the synthetic document."""

    id: str
    body: str
    body_simplified: str
    clause: str
    clause_simplified: str
    span: Span
    hits: tuple[Hit, ...]  # offsets into the body
    responsibilities: tuple[Responsibility, ...]


@dataclass(frozen=True)
class SyntheticSide:
    """One synthetic document: ``len(items)`` items imitating ``model``."""

    key: str
    model: Model
    parts: int
    groups_per_part: int
    items: tuple[SyntheticItem, ...]

    def item_id(self, item: SyntheticItem) -> str:
        return make_id(self.key, self.model.kind, item.number)

    def part_id(self, index: int) -> str:
        return f"{self.key}-p{index + 1:02d}"

    def group_id(self, index: int) -> str:
        return f"{self.key}-g{index + 1:03d}"

    def body(self, item: SyntheticItem) -> tuple[str, str]:
        """The item body, original and normalised."""
        chosen = [self.model.sentences[i] for i in item.sentences]
        return "".join(s.original for s in chosen), "".join(s.simplified for s in chosen)

    def tokens(self, item: SyntheticItem) -> list[str]:
        return [t for i in item.sentences for t in self.model.sentences[i].tokens]

    def placed(self) -> Iterator[tuple[SyntheticItem, _Placed]]:
        """Every item with its text, span, hits and responsibilities, in document order."""
        for item, start, line in self._layout().items:
            body, body_simplified = self.body(item)
            hits: list[Hit] = []
            offset = 0
            for i in item.sentences:
                s = self.model.sentences[i]
                hits += [Hit(h.kind, h.ref, h.start + offset, h.end + offset) for h in s.hits]
                offset += len(s.simplified)
            clause = clause_simplified = ""
            responsibilities: tuple[Responsibility, ...] = ()
            if item.clause is not None:
                real = self.model.clauses[item.clause]
                clause = real.text[len(real.body) :]
                clause_simplified = real.text_simplified[len(real.body_simplified) :]
                responsibilities = self._copied(real, item, start + len(body), line)
            end = start + len(body) + len(clause)
            yield (
                item,
                _Placed(
                    id=self.item_id(item),
                    body=body,
                    body_simplified=body_simplified,
                    clause=clause,
                    clause_simplified=clause_simplified,
                    span=Span(start=start, end=end, line=line),
                    hits=tuple(hits),
                    responsibilities=responsibilities,
                ),
            )

    def _copied(
        self, real: Item, item: SyntheticItem, clause_start: int, line: int
    ) -> tuple[Responsibility, ...]:
        assert real.responsibility_span is not None
        shift = clause_start - real.responsibility_span.start
        previous = make_id(self.key, self.model.kind, item.number - 1) if item.number > 1 else None
        return tuple(
            r.model_copy(
                update={
                    "span": Span(
                        start=max(0, r.span.start + shift),
                        end=max(0, r.span.end + shift),
                        line=line,
                    ),
                    "inherited_from": previous if r.inherited_from is not None else None,
                }
            )
            for r in real.responsibilities
        )

    def _layout(self) -> _Layout:
        return _Layout.of(self)


@dataclass(frozen=True)
class _Layout:
    """Offsets of the synthetic document: preamble, then part/group headings and items."""

    preamble: Span
    parts: list[Span]
    groups: list[Span]
    items: list[tuple[SyntheticItem, int, int]]  # item, start offset, line
    characters: int

    @classmethod
    def of(cls, side: SyntheticSide) -> _Layout:
        doc = side.model.document
        at = len(doc.preamble) + 2
        line = doc.preamble.count("\n") + 3
        preamble = Span(start=0, end=len(doc.preamble), line=1)
        parts: list[Span] = []
        groups: list[Span] = []
        items: list[tuple[SyntheticItem, int, int]] = []

        def heading(title: str) -> Span:
            nonlocal at, line
            span = Span(start=at, end=at + len(title) + 3, line=line)
            at, line = span.end + 1, line + 1
            return span

        for item in side.items:
            while len(parts) <= item.part:
                parts.append(heading(part_title(side, len(parts))[0]))
            while item.group is not None and len(groups) <= item.group:
                groups.append(heading(group_title(side, len(groups))[0]))
            body, _ = side.body(item)
            clause = ""
            if item.clause is not None:
                real = side.model.clauses[item.clause]
                clause = real.text[len(real.body) :]
            items.append((item, at, line))
            at += len(body) + len(clause) + 1
            line += 1
        return cls(preamble, parts, groups, items, at)


def split_sentences(original: str, simplified: str) -> list[tuple[str, str]]:
    """Sentences after each ``。``/``；``, cut at the same offsets in both (equal-length) texts."""
    if len(original) != len(simplified):
        raise ValueError("the original and normalised texts differ in length")
    out: list[tuple[str, str]] = []
    start = 0
    ends = [m.end() for m in SENTENCE_END.finditer(simplified)]
    if not ends or ends[-1] < len(simplified):
        ends.append(len(simplified))
    for end in ends:
        o, s = original[start:end], simplified[start:end]
        start = end
        if not SENTENCE_END.sub("", s).strip():
            continue
        if not SENTENCE_END.match(s[-1]):  # an unterminated tail: end it, as every body ends
            o, s = o + "。", s + "。"
        out.append((o, s))
    return out


def model_of(inputs: Inputs, key: str) -> Model:
    """The sentence pool and clauses of one real document."""
    document = inputs.corpus.document(key)
    if not document.items:
        raise ValueError(f"document {key!r} has no items to draw sentences from")
    seen: set[str] = set()
    sentences: list[Sentence] = []
    for item in document.items:
        for original, simplified in split_sentences(item.body, item.body_simplified):
            if simplified in seen:
                continue
            seen.add(simplified)
            sentences.append(
                Sentence(
                    original=original,
                    simplified=simplified,
                    hits=tuple(inputs.lexicon.find(simplified)),
                    tokens=tuple(tokens(inputs.lexicon, simplified, inputs.config)),
                )
            )
    if len(sentences) < MAX_SENTENCES:
        raise ValueError(f"document {key!r} has only {len(sentences)} distinct sentences")
    clauses = tuple(
        i
        for i in document.items
        if i.responsibility_clause
        and i.responsibility_span is not None
        and i.text.startswith(i.body)
        and i.text_simplified.startswith(i.body_simplified)
    )
    kinds = [i.kind for i in document.items]
    kind: ItemKind = max(set(kinds), key=kinds.count)
    return Model(document, kind, tuple(sentences), clauses, len(clauses) / len(document.items))


def part_title(side: SyntheticSide, index: int) -> tuple[str, str]:
    parts = side.model.document.parts
    if not parts:
        return f"第{index + 1}部分", f"第{index + 1}部分"
    p = parts[index % len(parts)]
    return p.title, p.title_simplified


def group_title(side: SyntheticSide, index: int) -> tuple[str, str]:
    groups = side.model.document.groups
    if not groups:
        return f"第{index + 1}组", f"第{index + 1}组"
    g = groups[index % len(groups)]
    return g.title, g.title_simplified


def draw_side(model: Model, key: str, n: int, rng: random.Random, parts: int) -> SyntheticSide:
    """``n`` items of 2–6 sentences each, spread evenly over ``parts`` parts."""
    if n < 1 or parts < 1:
        raise ValueError("a side needs at least one item and one part")
    groups_per_part = GROUPS_PER_PART if model.document.groups else 0
    pool = range(len(model.sentences))
    items = []
    for i in range(n):
        count = rng.randint(MIN_SENTENCES, MAX_SENTENCES)
        chosen = tuple(rng.sample(pool, count))
        clause = (
            rng.randrange(len(model.clauses))
            if model.clauses and rng.random() < model.clause_share
            else None
        )
        items.append(
            SyntheticItem(
                number=i + 1,
                part=i * parts // n,
                group=i * parts * groups_per_part // n if groups_per_part else None,
                sentences=chosen,
                clause=clause,
            )
        )
    return SyntheticSide(key, model, parts, groups_per_part, tuple(items))


@dataclass(frozen=True)
class SyntheticCorpus:
    """Two synthetic documents: ``source`` imitates the earlier, ``target`` the later."""

    source: SyntheticSide
    target: SyntheticSide
    seed: int


def synthetic_corpus(
    inputs: Inputs,
    n_source: int,
    n_target: int,
    *,
    seed: int = 0,
    parts: int = DEFAULT_PARTS,
) -> SyntheticCorpus:
    """A synthetic corpus of ``n_source`` × ``n_target`` items (deterministic for ``seed``)."""
    pairs = document_pairs(inputs.corpus)
    if not pairs:
        raise ValueError("the real corpus needs two documents to imitate")
    earlier, later = pairs[0]
    sides = []
    for name, key, n in (("source", earlier, n_source), ("target", later, n_target)):
        rng = random.Random(f"policykg-bench-{seed}-{name}")
        sides.append(draw_side(model_of(inputs, key), f"{key}x{name[0]}", n, rng, parts))
    return SyntheticCorpus(sides[0], sides[1], seed)


def align_item_list(side: SyntheticSide) -> list[AlignItem]:
    """The alignment's view of a side, as :func:`align.features.align_items` would give it."""
    out = []
    for item, placed in side.placed():
        named = named_refs(((h.kind, h.ref) for h in placed.hits), placed.responsibilities)
        out.append(
            AlignItem(
                id=placed.id,
                document=side.key,
                part=side.part_id(item.part),
                title=title_of(placed.body_simplified + placed.clause_simplified),
                text=placed.body_simplified,
                span=placed.span,
                technologies=named["technology"],
                programmes=named["programme"],
                places=named["place"],
                agencies=named["agency"],
            )
        )
    return out


def align_item_lists(corpus: SyntheticCorpus) -> tuple[list[AlignItem], list[AlignItem]]:
    """Source and target :class:`AlignItem` lists for ``align_items_of``."""
    return align_item_list(corpus.source), align_item_list(corpus.target)


def token_lists(corpus: SyntheticCorpus) -> list[list[str]]:
    """Every item's alignment tokens, source items first (``align_items_of(token_lists=…)``)."""
    return [side.tokens(i) for side in (corpus.source, corpus.target) for i in side.items]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description="Generate synthetic corpora from the real documents' sentences and report "
        "their size; --check compares the generator's shortcuts with the project's functions.",
    )
    parser.add_argument("--items", type=int, default=1000, help="items per side (default 1000)")
    parser.add_argument("--triples", type=int, help="also build a graph of about this many triples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--check", action="store_true", help="verify mentions, tokens, AlignItems and IRIs"
    )
    args = parser.parse_args(argv)

    from bench.synthetic_graph import check, synthetic_graph
    from core.settings import Settings
    from policykg.pipeline import read_inputs

    inputs = read_inputs(Settings())
    started = time.perf_counter()
    corpus = synthetic_corpus(inputs, args.items, args.items, seed=args.seed)
    source, target = align_item_lists(corpus)
    print(
        f"{len(source)} × {len(target)} items in {time.perf_counter() - started:.1f} s; "
        f"sentence pools {len(corpus.source.model.sentences)} / "
        f"{len(corpus.target.model.sentences)}; mean characters "
        f"{sum(len(i.text) for i in source) / len(source):.0f} / "
        f"{sum(len(i.text) for i in target) / len(target):.0f}"
    )
    if args.triples:
        graph = synthetic_graph(inputs, args.triples, seed=args.seed, report=print)
        print(f"graph: {len(graph):,} triples")
    if args.check:
        problems = check(inputs, min(args.items, 300), args.seed)
        for p in problems:
            print("PROBLEM:", p)
        print("check:", "ok" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
