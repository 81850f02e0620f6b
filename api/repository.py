"""Reads for the API: Cypher from :mod:`api.queries`, results shaped into the API's models.

Every call into the driver goes through :func:`graph.connection.driver_errors`, so what
reaches the routes is the project's error tree, never the driver's exceptions.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, LiteralString

import neo4j
from neo4j import AsyncDriver
from pydantic import BaseModel

from api import queries, schemas
from api.content import clause_content, mix_rows
from api.content_queries import MixGroup, instrument_mix
from api.snippets import highlight, lucene_query
from core.errors import GraphStoreError, NotFound
from graph.connection import driver_errors
from graph.queries import READ_SHAPE, ROLE_RELATIONSHIPS
from loaders.normalise import normalise
from loaders.records import Role
from ontology.namespaces import PREFIXES

ROLE_OF_RELATIONSHIP = {rel: role for role, rel in ROLE_RELATIONSHIPS.items()}


@dataclass(frozen=True)
class Version:
    version: str | None
    loaded_at: Any
    nodes: int | None
    relationships: int | None


@dataclass(frozen=True)
class ConceptView:
    """A kind of concept as the API shows it: where it is in the graph, and its models.

    ``up`` and ``down`` name the detail's fields for the concepts above and below
    (``broader``/``narrower`` for technologies, ``within``/``parts`` for places).
    """

    what: str
    kind: queries.ConceptKind
    summary: type[BaseModel]
    page: type[BaseModel]
    detail: type[BaseModel]
    up: str
    down: str


TECHNOLOGIES = ConceptView(
    "technology", queries.TECHNOLOGY, schemas.ConceptSummary, schemas.Concepts,
    schemas.TechnologyDetail,
    up="broader", down="narrower",
)  # fmt: skip
REGIONS = ConceptView(
    "region", queries.PLACE, schemas.RegionSummary, schemas.Regions, schemas.RegionDetail,
    up="within", down="parts",
)  # fmt: skip


def curie(iri: str) -> str:
    """An IRI in a known namespace as a prefixed name (``skos:closeMatch``)."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _links(rows: list[dict[str, Any]]) -> list[schemas.ClauseLinkOut]:
    """Clause links from Cypher, best first."""
    ordered = sorted(rows, key=lambda r: (-r["score"], r["clause"]["id"]))
    return [schemas.ClauseLinkOut(**{k: v for k, v in r.items() if k != "signals"})
            for r in ordered]  # fmt: skip


def _clause_summary(row: dict[str, Any]) -> schemas.ClauseSummary:
    return schemas.ClauseSummary(
        **row["clause"],
        continued_in=_links(row["continued_in"]),
        carried_from=_links(row["carried_from"]),
        not_continued_in=sorted(row["not_continued_in"]),
        content=clause_content(row["content"], row["clause"]),
    )


def _fields(model: type[BaseModel], row: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``row`` that ``model`` has fields for."""
    return {k: v for k, v in row.items() if k in model.model_fields}


def item_detail(r: Mapping[str, Any]) -> schemas.ItemDetail:
    """An item's detail from its ``queries.ITEM`` row."""
    order = list(Role)
    return schemas.ItemDetail(
        **r["item"],
        clauses=[_clause_summary(c) for c in r["clauses"]],
        text=r["text"],
        text_simplified=r["text_simplified"],
        script=r["script"],
        part=r["part"],
        group=r["group"],
        agencies=sorted(
            r["agencies"],
            key=lambda a: (order.index(Role(a["role"])), a["inherited_from"] or ""),
        ),
        open_ended=r["open_ended"],
        technologies=r["technologies"],
        regions=r["regions"],
        programmes=r["programmes"],
        span=(r["span_start"], r["span_end"]),
        line=r["line"],
    )


class Repository:
    """Every read the API makes, against one database of one async driver.

    Args:
        driver: the process's async driver (created once, in the app's lifespan).
        database: the database name.
        version_ttl_s: how long the graph's version is trusted before it is read again.
    """

    def __init__(self, driver: AsyncDriver, database: str, version_ttl_s: float = 1.0):
        self.driver = driver
        self.database = database
        self.version_ttl_s = version_ttl_s
        self._version: Version | None = None
        self._version_read = 0.0
        self._version_lock = asyncio.Lock()
        self._version_failed = False
        self._refresh: asyncio.Task[None] | None = None

    async def _rows(self, query: LiteralString, **params: Any) -> list[neo4j.Record]:
        with driver_errors("read the graph"):
            records, _, _ = await self.driver.execute_query(
                query, params, database_=self.database, routing_=neo4j.RoutingControl.READ
            )
        return records

    async def _one(self, what: str, ident: str, query: LiteralString, **params: Any) -> Any:
        rows = await self._rows(query, id=ident, **params)
        if not rows:
            raise NotFound(what, ident)
        return rows[0]

    async def shape(self, key: str) -> str | None:
        """The answer precomputed at load under ``key`` (:mod:`api.shapes`), if there is one."""
        rows = await self._rows(READ_SHAPE, key=key)
        return rows[0]["body"] if rows else None

    # for the reads of other modules (api.series_reads)
    rows = _rows
    one = _one

    async def version(self, *, fresh: bool = False) -> Version:
        """The loaded graph's version, trusted for ``version_ttl_s``.

        Once that has passed, the version is read again in the background while requests go
        on with the one already known, so no request waits on the read; a single read runs
        at a time. Requests wait for a read only when there is no version yet, when
        ``fresh`` is asked for, or when the last read failed: then they see the failure
        (Neo4j down means 503) until a read succeeds again.
        """
        if fresh:
            return await self._read_version()
        if self._version is None or self._version_failed:
            async with self._version_lock:
                if self._version is None or self._version_failed:
                    await self._read_version()
        elif time.monotonic() - self._version_read > self.version_ttl_s and self._refresh is None:
            self._refresh = asyncio.create_task(self._refresh_version())
        assert self._version is not None
        return self._version

    async def _read_version(self) -> Version:
        try:
            rows = await self._rows(queries.META_VERSION)
        except GraphStoreError:
            self._version_failed = True
            raise
        if rows:
            r = rows[0]
            self._version = Version(r["version"], r["loaded_at"], r["nodes"], r["relationships"])
        else:
            self._version = Version(None, None, None, None)
        self._version_read = time.monotonic()
        self._version_failed = False
        return self._version

    async def _refresh_version(self) -> None:
        try:
            await self._read_version()
        except GraphStoreError:
            pass  # recorded in _version_failed: the next request reads again and sees it
        finally:
            self._refresh = None

    # documents -------------------------------------------------------------------------

    @staticmethod
    def _document(r: neo4j.Record) -> dict[str, Any]:
        d, issuer = r["d"], r["issuer"]
        return {
            "id": d["id"],
            "iri": d["uri"],
            "title": d.get("title_zh_Hans") or d.get("title_zh_Hant"),
            "number": d.get("number"),
            "date": d["date"].to_native(),
            "type": r["type"] or "document",
            "issuer": (
                {"id": issuer["id"], "iri": issuer["uri"], "name": issuer["prefLabel_zh_Hans"]}
                if issuer
                else None
            ),
            "items": r["items"],
            "kind": r["kind"],
        }

    async def documents(self) -> schemas.Documents:
        rows = await self._rows(queries.DOCUMENTS)
        data = [schemas.DocumentSummary(**self._document(r)) for r in rows]
        return schemas.Documents(data=data, count=len(data))

    async def document(self, ident: str) -> schemas.DocumentDetail:
        row = await self._one("document", ident, queries.DOCUMENT)
        parts = await self._rows(queries.OUTLINE_PARTS, id=ident)
        groups = await self._rows(queries.OUTLINE_GROUPS, id=ident)
        items = await self._rows(queries.OUTLINE_ITEMS, id=ident)
        group_items: dict[str, list[str]] = {}
        part_items: dict[str, list[str]] = {}
        for i in items:
            if i["group"]:
                group_items.setdefault(i["group"], []).append(i["id"])
            else:
                part_items.setdefault(i["part"], []).append(i["id"])
        outline = [
            schemas.OutlinePart(
                **_fields(schemas.OutlinePart, dict(p)),
                groups=[
                    schemas.OutlineGroup(
                        **_fields(schemas.OutlineGroup, dict(g)),
                        items=group_items.get(g["id"], []),
                    )
                    for g in groups
                    if g["part"] == p["id"]
                ],
                items=part_items.get(p["id"], []),
            )
            for p in parts
        ]
        d = row["d"]
        return schemas.DocumentDetail(
            **self._document(row),
            note=d.get("note"),
            preamble=d.get("preamble_zh_Hans") or d.get("preamble_zh_Hant"),
            parts=outline,
        )

    async def require_document(self, ident: str) -> None:
        """Raise :class:`NotFound` unless a document has this id."""
        await self._one("document", ident, queries.DOCUMENT_EXISTS)

    # items -----------------------------------------------------------------------------

    async def items(
        self,
        *,
        kind: str | None,
        doc: str | None,
        agency: str | None,
        role: Role | None,
        technology: str | None,
        region: str | None,
        limit: int,
        offset: int,
    ) -> schemas.Items:
        role_types = [ROLE_RELATIONSHIPS[role]] if role else list(ROLE_RELATIONSHIPS.values())
        (r,) = await self._rows(
            queries.ITEMS, kind=kind, doc=doc, agency=agency, role=role, role_types=role_types,
            technology=technology, region=region, limit=limit, offset=offset,
        )  # fmt: skip
        return schemas.Items(data=[schemas.ItemSummary(**x) for x in r["data"]], count=r["count"])

    async def item(self, ident: str, kind: str | None) -> schemas.ItemDetail:
        return item_detail(await self._one(kind or "item", ident, queries.ITEM, kind=kind))

    async def clause(self, ident: str) -> schemas.ClauseDetail:
        """One clause: its text and span, what it names, and its links both ways."""
        r = await self._one("clause", ident, queries.CLAUSE)
        candidates = _links(r["candidates"])
        sources = _links(r["sources"])
        signals = {
            link["clause"]["id"]: json.loads(link["signals"])
            for link in (*r["candidates"], *r["sources"])
        }
        return schemas.ClauseDetail(
            **r["clause"],
            continued_in=[c for c in candidates if c.accepted],
            carried_from=[c for c in sources if c.accepted],
            not_continued_in=sorted(r["not_continued_in"]),
            content=clause_content(r["content"], r["clause"]),
            item_summary=schemas.ItemSummary(**r["item"]),
            script=r["script"],
            technologies=sorted(r["technologies"], key=lambda x: x["id"]),
            regions=sorted(r["regions"], key=lambda x: x["id"]),
            programmes=sorted(r["programmes"], key=lambda x: x["id"]),
            candidates=candidates,
            sources=sources,
            signals=signals,
        )

    async def instrument_mix(
        self, by: MixGroup, level: str, doc: str | None, main_only: bool
    ) -> schemas.InstrumentMix:
        """The instrument codes per document (and part or lead agency), type and tool."""
        rows = await self._rows(
            instrument_mix(by), doc=doc, main_only=main_only, by_tool=level == "tool"
        )
        data = mix_rows([dict(r) for r in rows])
        return schemas.InstrumentMix(
            data=data,
            count=len(data),
            by=by,
            level=level,
            main_only=main_only,
        )

    async def require_item(self, ident: str, kind: str | None) -> None:
        """Raise :class:`NotFound` unless an item of ``kind`` (None: any) has this id."""
        await self._one(kind or "item", ident, queries.ITEM_EXISTS, kind=kind)

    # agencies --------------------------------------------------------------------------

    async def agencies(self, limit: int, offset: int) -> schemas.Agencies:
        (r,) = await self._rows(queries.AGENCIES, limit=limit, offset=offset)
        data = [schemas.AgencySummary(**x) for x in r["data"]]
        return schemas.Agencies(data=data, count=r["count"])

    async def agency(self, ident: str) -> schemas.AgencyDetail:
        r = await self._one("agency", ident, queries.AGENCY)
        agency = r["agency"]
        by_role: dict[str, list[schemas.ItemSummary]] = {role.value: [] for role in Role}
        for entry in r["roles"]:
            role = ROLE_OF_RELATIONSHIP[entry["role"]]
            by_role[role.value].append(schemas.ItemSummary(**entry["item"]))
        by_role["mentioned"] = [schemas.ItemSummary(**i) for i in r["mentioned"] if i["id"]]
        aliases = sorted({*r["alt"], *(w for w in r["written"] if w)} - {agency["name"]})
        from api.series_reads import agency_history  # it reads through this repository

        history = await agency_history(self, ident)
        return schemas.AgencyDetail(
            **agency,
            aliases=aliases,
            former_names=r["former"],
            sub_organizations=r["children"],
            items=by_role,
            names_over_time=history.names_over_time,
            roles_by_document=history.roles_by_document,
        )

    # technologies and regions -----------------------------------------------------------

    async def concepts(self, view: ConceptView, limit: int, offset: int) -> BaseModel:
        """A page of concepts of one kind, with how many items name each directly."""
        (r,) = await self._rows(queries.concepts(view.kind), limit=limit, offset=offset)
        data = [view.summary(**_fields(view.summary, x)) for x in r["data"]]
        return view.page(data=data, count=r["count"])

    async def concept(self, view: ConceptView, ident: str) -> BaseModel:
        """One concept with the concepts above and below it and the items naming it."""
        r = await self._one(view.what, ident, queries.concept(view.kind))
        row = {
            **r["concept"],
            "alt_labels": sorted(set(r["concept"]["alt"])),
            view.up: r["up"],
            view.down: r["down"],
            "item_list": [schemas.ItemSummary(**i) for i in r["item_list"] if i["id"]],
        }
        return view.detail(**_fields(view.detail, row))

    # alignment -------------------------------------------------------------------------

    @staticmethod
    def mapping(row: dict[str, Any]) -> schemas.Mapping:
        """One link row (:data:`api.queries.MAPPING_ROW`) as the API's model."""
        return Repository._mapping(row)

    @staticmethod
    def _mapping(row: dict[str, Any]) -> schemas.Mapping:
        pairs = sorted(row["clauses"], key=lambda c: (c["source"]["number"], -c["score"]))
        return schemas.Mapping(
            source=schemas.ItemSummary(**row["source"]),
            target=schemas.ItemSummary(**row["target"]),
            score=row["score"],
            rank=row["rank"],
            accepted=row["accepted"],
            share=row["share"],
            relation=row["relation"],
            predicate=curie(row["predicate"]) if row["predicate"] else None,
            clauses=[schemas.ClausePair(**c) for c in pairs],
            evidence=json.loads(row["evidence"]),
        )

    async def mappings(
        self,
        source: str,
        target: str,
        min_score: float,
        accepted_only: bool,
        limit: int,
        offset: int,
    ) -> schemas.Mappings:
        (r,) = await self._rows(
            queries.MAPPINGS, source=source, target=target, min_score=min_score,
            accepted_only=accepted_only, limit=limit, offset=offset,
        )  # fmt: skip
        return schemas.Mappings(data=[self._mapping(x) for x in r["data"]], count=r["count"])

    async def links(
        self, ident: str, direction: queries.LinkDirection, min_score: float, accepted_only: bool
    ) -> schemas.Mappings:
        """An item's candidate links in ``direction`` (successors or predecessors)."""
        rows = await self._rows(
            queries.links(direction), id=ident, min_score=min_score, accepted_only=accepted_only
        )
        return self.mappings_of([r["row"] for r in rows])

    @classmethod
    def mappings_of(cls, rows: list[dict[str, Any]]) -> schemas.Mappings:
        """Links from their ``queries.links`` rows, in the rows' order."""
        data = [cls._mapping(row) for row in rows]
        return schemas.Mappings(data=data, count=len(data))

    async def coverage(self, source: str, target: str) -> schemas.Coverage:
        def entries(rows: list[neo4j.Record]) -> list[schemas.CoverageEntry]:
            return [
                schemas.CoverageEntry(
                    item=schemas.ItemSummary(**r["item"]),
                    best=schemas.ItemSummary(**r["best"]) if r["best"] else None,
                    score=r["score"],
                    clauses=[schemas.ClauseVerdictOut(**c) for c in r["clauses"]],
                )
                for r in rows
            ]

        pair = {"source": source, "target": target}
        dropped = await self._rows(queries.COVERAGE_DROPPED, **pair)
        new = await self._rows(queries.COVERAGE_NEW, **pair)
        not_continued = await self._rows(queries.COVERAGE_NOT_CONTINUED, **pair)
        return schemas.Coverage(
            source=source, target=target, dropped=entries(dropped), new=entries(new),
            not_continued=[schemas.ClauseVerdictOut(**dict(r)) for r in not_continued],
        )  # fmt: skip

    # search ----------------------------------------------------------------------------

    async def search(self, q: str, limit: int, offset: int) -> schemas.SearchResults:
        simplified = normalise(q.strip())
        terms, lucene = lucene_query(simplified)
        if lucene is None:
            return schemas.SearchResults(query=q, query_simplified=simplified, data=[], count=0)
        (r,) = await self._rows(queries.SEARCH, lucene=lucene, limit=limit, offset=offset)
        hits = []
        for x in r["data"]:
            snippet, original = highlight(x["text"], x["original"], terms)
            hits.append(
                schemas.SearchHit(
                    item=schemas.ItemSummary(**x["item"]),
                    score=x["score"],
                    snippet=snippet,
                    snippet_original=original,
                )
            )
        return schemas.SearchResults(
            query=q, query_simplified=simplified, data=hits, count=r["count"]
        )
