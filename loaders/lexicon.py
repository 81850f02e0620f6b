"""The lexicon: every vocabulary label, indexed, and a jieba tokenizer that knows them.

Mentions are found by tokenising the normalised text with jieba, whose dictionary is extended
with every label of the vocabularies, so that a multi-character term (``超高清视频``,
``粤港澳大湾区``) is one token and a list such as ``广州南沙、珠海横琴和深圳、中山`` yields
each place. Matching tokens rather than substrings also keeps ``中山`` from firing inside
``中山大学``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import jieba

from core.errors import VocabularyError
from loaders.normalise import normalise
from loaders.records import MentionKind
from loaders.vocabulary import Vocabularies, agency_name_clash, agency_names

# The longest run of tokens that may together spell one label (labels jieba splits anyway).
MAX_TOKENS_PER_LABEL = 3


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Hit:
    """A label found in a text: which entry, and where (indexes into the text)."""

    kind: MentionKind
    ref: str
    start: int
    end: int


class Lexicon:
    """Vocabulary labels (Simplified, normalised) and a tokenizer built from them.

    Args:
        vocab: the curated vocabularies.

    Raises:
        VocabularyError: two agencies claim the same name, which would make resolution
            ambiguous.

    Example::

        lexicon = Lexicon(read_vocabularies(path))
        lexicon.resolve_agency("省科技厅")   # → "gd-science-technology-department"
        [t.text for t in lexicon.tokenize("广州南沙、珠海横琴")]
    """

    def __init__(self, vocab: Vocabularies):
        self.vocab = vocab
        self._labels: dict[str, list[tuple[MentionKind, str]]] = {}
        self._agency_names: dict[str, str] = {}
        clash = agency_name_clash(vocab)  # read_vocabularies names the file and line
        if clash is not None:
            label, first, second = clash
            raise VocabularyError(
                f"agencies {first!r} and {second!r} both claim the name {label!r}"
            )
        # Labels in the order the files list them (never a set's order), so that the
        # dictionary, and so the tokens, are the same on every run.
        for a in vocab.agencies:
            for label in agency_names(a):
                key = normalise(label)
                self._agency_names[key] = a.id
                self._add(key, "agency", a.id)
        for c in vocab.concepts:
            for label in dict.fromkeys([c.pref, c.pref_hant, *c.alt, *c.alt_hant]):
                self._add(normalise(label), "technology", c.id)
        for p in vocab.places:
            for label in dict.fromkeys([p.name, p.name_hant, *p.alt, *p.alt_hant]):
                self._add(normalise(label), "place", p.id)
        for g in vocab.programmes:
            for label in dict.fromkeys([g.name, g.name_hant, *g.alt, *g.alt_hant]):
                self._add(normalise(label), "programme", g.id)
        jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading on every start
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        # Longest labels first, so a short label cannot claim a longer one's frequency.
        for label in sorted(self._labels, key=len, reverse=True):
            self._tokenizer.add_word(label)
            self._tokenizer.suggest_freq(label, tune=True)
        self._max_label = max((len(k) for k in self._labels), default=1)

    def _add(self, label: str, kind: MentionKind, ref: str) -> None:
        label = label.strip()
        if len(label) < 2:
            return
        entries = self._labels.setdefault(label, [])
        if (kind, ref) not in entries:
            entries.append((kind, ref))

    @property
    def labels(self) -> dict[str, list[tuple[MentionKind, str]]]:
        """Every normalised label and the entries it names."""
        return self._labels

    def user_dictionary(self) -> str:
        """The labels as a jieba user-dictionary file (one word per line)."""
        return "".join(f"{label}\n" for label in sorted(self._labels))

    def is_word(self, text: str) -> bool:
        """Whether ``text`` is a word of jieba's dictionary or a vocabulary label."""
        # jieba keeps every prefix of its words with frequency 0; only a positive one is a word.
        return text in self._labels or self._tokenizer.FREQ.get(text, 0) > 0

    def is_place(self, text: str) -> bool:
        """Whether normalised ``text`` is a label of a gazetteer place (广州, 深圳市)."""
        return any(kind == "place" for kind, _ in self._labels.get(text, ()))

    def resolve_agency(self, name: str) -> str | None:
        """The registry id for an agency name in any known form, or None."""
        return self._agency_names.get(normalise(name))

    def tokenize(self, text: str) -> list[Token]:
        """jieba tokens of normalised text, with their offsets (no HMM guessing)."""
        return [Token(w, s, e) for w, s, e in self._tokenizer.tokenize(text, HMM=False)]

    def words(self, text: str) -> list[str]:
        """The non-blank tokens of ``text``, for lexical matching."""
        return [t.text for t in self.tokenize(text) if t.text.strip()]

    def find(self, text: str, tokens: Sequence[Token] | None = None) -> Iterator[Hit]:
        """Every label in normalised ``text`` that is one token or a run of adjacent tokens.

        ``tokens``: ``self.tokenize(text)``, when the caller already has them.
        """
        if tokens is None:
            tokens = self.tokenize(text)
        i = 0
        while i < len(tokens):
            matched = 0
            for n in range(min(MAX_TOKENS_PER_LABEL, len(tokens) - i), 0, -1):
                start, end = tokens[i].start, tokens[i + n - 1].end
                entries = self._labels.get(text[start:end])
                if entries:
                    for kind, ref in entries:
                        yield Hit(kind, ref, start, end)
                    matched = n
                    break
            i += matched or 1
