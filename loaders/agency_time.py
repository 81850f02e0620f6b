"""Agencies through time: which body is in force on a date, and what it was called.

The registry's change events (``data/vocab/agency-changes.toml``, W3C ORG
``org:ChangeEvent``) say which bodies ended and which began on a day. A name in a document
resolves first to the body the registry gives it, then to the body in force on the
document's date: forward through every change that happened by then (a rename or a merger
has one resulting body), back through a change that had not yet happened (a body that did
not yet exist stands for its single predecessor). A split has several resulting bodies: a
name of the body before it stays with that body, and the loader says so.

Pure: the vocabularies in, answers out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loaders.vocabulary import ChangeEvent, Vocabularies


@dataclass(frozen=True, slots=True)
class NameInForce:
    """A body's name over a period: ``since`` / ``until`` are None where open."""

    agency: str
    name: str
    since: dt.date | None
    until: dt.date | None


class AgencyTimeline:
    """The registry's bodies along their change events.

    Example::

        timeline = AgencyTimeline(vocab)
        timeline.in_force("gd-government-services-data-administration-2018",
                          dt.date(2025, 4, 8))   # → "gd-government-services-data-administration"
    """

    def __init__(self, vocab: Vocabularies):
        self.vocab = vocab
        self._ended_by: dict[str, ChangeEvent] = {}
        self._begun_by: dict[str, ChangeEvent] = {}
        for event in sorted(vocab.changes, key=lambda e: (e.date, e.id)):
            for a in event.original:
                self._ended_by.setdefault(a, event)
            for a in event.resulting:
                self._begun_by.setdefault(a, event)

    def in_force(self, agency: str, on: dt.date) -> str:
        """The body in force on ``on`` that ``agency`` stands for (itself if unchanged)."""
        seen = {agency}
        while (event := self._ended_by.get(agency)) is not None and event.date <= on:
            if len(event.resulting) != 1 or event.resulting[0] in seen:
                break
            agency = event.resulting[0]
            seen.add(agency)
        while (event := self._begun_by.get(agency)) is not None and event.date > on:
            if len(event.original) != 1 or event.original[0] in seen:
                break
            agency = event.original[0]
            seen.add(agency)
        return agency

    def predecessors(self, agency: str) -> list[str]:
        """The bodies ``agency`` came from (by the change that began it)."""
        event = self._begun_by.get(agency)
        return list(event.original) if event else []

    def successors(self, agency: str) -> list[str]:
        """The bodies ``agency`` became (by the change that ended it)."""
        event = self._ended_by.get(agency)
        return list(event.resulting) if event else []

    def lineage(self, agency: str) -> list[str]:
        """Every body of ``agency``'s line of single predecessors and successors, earliest
        first (itself included)."""
        line = [agency]
        while len(p := self.predecessors(line[0])) == 1 and p[0] not in line:
            line.insert(0, p[0])
        while len(s := self.successors(line[-1])) == 1 and s[0] not in line:
            line.append(s[0])
        return line

    def names_over_time(self, agency: str) -> list[NameInForce]:
        """The official name of each body of ``agency``'s lineage, with the period it held."""
        out = []
        for body in self.lineage(agency):
            begun, ended = self._begun_by.get(body), self._ended_by.get(body)
            out.append(
                NameInForce(
                    agency=body,
                    name=self.vocab.agency(body).name,
                    since=begun.date if begun else None,
                    until=ended.date if ended else None,
                )
            )
        return out
