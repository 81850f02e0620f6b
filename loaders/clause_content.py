"""What a clause commits to, all extractors together: deliverables, targets, citations and
instruments, as the corpus load attaches them to each clause.

:class:`ContentReader` holds the cue lists, the codebook and the corpus's own titles (so a
citation of a corpus document resolves to it); :meth:`ContentReader.read` is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from loaders.content import (
    DEFAULT_CUES,
    ContentCues,
    FoundCitation,
    FoundDeliverable,
    FoundTarget,
    citations,
    deliverables,
    read_cues,
    targets,
)
from loaders.instruments import (
    CODEBOOK_FILE,
    Codebook,
    FoundInstrument,
    InstrumentCoder,
    check_cues,
    read_codebook,
)
from loaders.normalise import normalise


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything found in one clause (offsets into its normalised text)."""

    deliverables: tuple[FoundDeliverable, ...]
    targets: tuple[FoundTarget, ...]
    citations: tuple[tuple[FoundCitation, str | None], ...]  # with the corpus document
    instruments: tuple[FoundInstrument, ...]


class ContentReader:
    """Reads the policy content of clauses.

    Args:
        cues: the extractors' cue lists.
        codebook: the instrument codebook.
        titles: corpus document key by title, so that a 《…》 naming one resolves to it.

    Example::

        reader = ContentReader.from_files(vocab_dir, {"数字广东建设2025年工作要点": "gd2025"})
        reader.read("出台省制造业数字化转型行动方案。").deliverables
    """

    def __init__(self, cues: ContentCues, codebook: Codebook, titles: dict[str, str]):
        self.cues = cues
        self.codebook = codebook
        self._titles = {_title_key(t): key for t, key in titles.items()}
        self._coder = InstrumentCoder(cues.instruments, codebook)

    @classmethod
    def from_files(
        cls, vocab_dir: Path, titles: dict[str, str], cues_path: Path = DEFAULT_CUES
    ) -> ContentReader:
        """Read the cue lists and ``vocab_dir``'s codebook.

        Raises:
            VocabularyError: either file is missing or malformed, or the cues name a tool
                the codebook does not define.
        """
        cues = read_cues(cues_path)
        codebook = read_codebook(vocab_dir / CODEBOOK_FILE)
        check_cues(cues.instruments, codebook, cues_path)
        return cls(cues, codebook, titles)

    def resolve(self, title: str) -> str | None:
        """The corpus document a cited title names, or None."""
        return self._titles.get(_title_key(title))

    def read(self, text: str) -> Findings:
        """The content of one clause's normalised (Simplified) text."""
        promised = deliverables(text, self.cues.deliverables)
        return Findings(
            deliverables=tuple(promised),
            targets=tuple(targets(text, self.cues.targets)),
            citations=tuple((c, self.resolve(c.title)) for c in citations(text)),
            instruments=tuple(self._coder.code(text, promised)),
        )


def _title_key(title: str) -> str:
    return "".join(normalise(title).split())
