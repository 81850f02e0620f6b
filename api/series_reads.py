"""Reads for series, chains and agencies through time, over the API's repository."""

from __future__ import annotations

import datetime as dt

from api import schemas, series_queries
from api import series_schemas as ss
from api.repository import ROLE_OF_RELATIONSHIP, Repository
from core.errors import NotFound


async def series(repo: Repository) -> ss.SeriesList:
    """Every series of documents, each with its documents in order."""
    rows = await repo.rows(series_queries.SERIES)
    data = [
        ss.Series(
            id=r["id"], iri=r["iri"], title=r["title"],
            documents=[ss.SeriesDocument(**{**d, "date": _day(d["date"])}) for d in r["documents"]],
        )
        for r in rows
    ]  # fmt: skip
    return ss.SeriesList(data=data, count=len(data))


async def chain(repo: Repository, ident: str) -> ss.Chain:
    """Follow an item through each later document of its series: at every step the accepted
    links from the items reached so far, with their clause evidence.

    Raises:
        NotFound: no item has this id.
    """
    start = await repo.one("item", ident, series_queries.ITEM_IN_SERIES)
    frontier, source = [ident], start["item"]["document"]
    steps: list[ss.ChainStep] = []
    for target in start["later"]:
        rows = await repo.rows(series_queries.CHAIN_STEP, ids=frontier, target=target)
        links = [Repository.mapping(r["row"]) for r in rows]
        steps.append(ss.ChainStep(source_document=source, target_document=target, links=links))
        if links:  # a step with no link keeps the items reached, to show where it stopped
            frontier = list(dict.fromkeys(link.target.id for link in links))
        source = target
    return ss.Chain(
        item=schemas.ItemSummary(**start["item"]),
        series=start["series"],
        steps=steps,
        reached=frontier if steps and steps[-1].links else [],
    )


async def agency_history(repo: Repository, ident: str) -> ss.AgencyHistory:
    """An agency's lineage with each name's period, and what each body did in each document.

    Raises:
        NotFound: no agency has this id.
    """
    rows = await repo.rows(series_queries.AGENCY_HISTORY, id=ident)
    if not rows:
        raise NotFound("agency", ident)
    names = [
        schemas.NameInForce(
            id=r["id"], iri=r["iri"], name=r["name"], since=_date(r["since"]),
            until=_date(r["until"]), source=r["source"],
        )
        for r in rows
    ]  # fmt: skip
    roles = sorted(
        (
            schemas.DocumentRole(
                document=x["document"], date=_day(x["date"]), agency=r["id"],
                role=ROLE_OF_RELATIONSHIP[x["role"]].value, item=schemas.ItemSummary(**x["item"]),
            )
            for r in rows
            for x in r["roles"]
        ),
        key=lambda d: (d.date, d.document, d.item.id, d.role),
    )  # fmt: skip
    return ss.AgencyHistory(id=ident, names_over_time=names, roles_by_document=roles)


def _date(value: object) -> dt.date | None:
    """A Neo4j date (or None) as a Python one."""
    return None if value is None else _day(value)


def _day(value: object) -> dt.date:
    to_native = getattr(value, "to_native", None)
    native = to_native() if to_native else value
    if not isinstance(native, dt.date):
        raise TypeError(f"not a date: {value!r}")
    return native
