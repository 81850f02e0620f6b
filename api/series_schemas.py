"""The API's models for series, chains and agencies through time (v1)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from api.schemas import DocumentRole, ItemSummary, Mapping, NameInForce, Page, _Model


class SeriesDocument(_Model):
    id: str
    iri: str
    title: str
    date: dt.date
    position: int = Field(ge=1, description="its place in the series, from 1")


class Series(_Model):
    """An ordered series of documents (an opinion and its yearly plans)."""

    id: str
    iri: str
    title: str
    documents: list[SeriesDocument]


class SeriesList(Page[Series]):
    pass


class ChainStep(_Model):
    """One step of a chain: the accepted links from the items reached so far into the next
    document of the series, each with its clause evidence."""

    source_document: str
    target_document: str
    links: list[Mapping] = Field(description="accepted links, best first; empty: not continued")


class Chain(_Model):
    """What became of an item through the rest of its series, document by document."""

    item: ItemSummary
    series: str | None
    steps: list[ChainStep]
    reached: list[str] = Field(description="the items of the last document the chain reaches")


class AgencyHistory(_Model):
    """An agency through time: its names in force at each date, and its roles per document."""

    id: str
    names_over_time: list[NameInForce]
    roles_by_document: list[DocumentRole]
