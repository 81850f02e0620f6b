"""Reads for the API: Cypher from :mod:`api.queries`, results shaped into the API's models."""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from typing import Any, LiteralString

import neo4j
from neo4j import AsyncDriver
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from api import queries, schemas
from loaders.normalise import normalise
from policykg.errors import GraphStoreError, Neo4jUnavailable

ROLE_TYPES = {"lead": "LEADS", "shared": "SHARES", "implementing": "IMPLEMENTS"}
KIND_LABEL = {"measure": "Measure", "task": "Task"}
# Text the CJK analyzer turns into tokens: letters, digits, ideographs.
_INDEXABLE = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")
SNIPPET_RADIUS = 40


class NotFound(Exception):
    """The requested object does not exist (the API answers 404)."""

    def __init__(self, what: str, ident: str):
        self.what = what
        self.ident = ident
        super().__init__(f"no {what} with id {ident!r}")


@dataclass(frozen=True)
class Version:
    version: str | None
    loaded_at: Any
    nodes: int | None
    relationships: int | None


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
        try:
            records, _, _ = await self.driver.execute_query(
                query,
                params,
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
        except (ServiceUnavailable, SessionExpired) as e:
            raise Neo4jUnavailable(f"Neo4j is unreachable: {e}") from e
        except Neo4jError as e:
            raise GraphStoreError(f"Neo4j failed a read: {e}") from e
        except DriverError as e:
            # client-side: no pooled connection free in time, and the like
            raise Neo4jUnavailable(f"Neo4j is busy: {e}") from e
        return records

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
        d = r["d"]
        issuer = r["issuer"]
        return {
            "id": d["id"],
            "iri": d["uri"],
            "title": d.get("title_zh_Hans") or d.get("title_zh_Hant"),
            "number": d.get("number"),
            "date": d["date"].to_native(),
            "type": r["type"] or "document",
            "issuer": {
                "id": issuer["id"],
                "iri": issuer["uri"],
                "name": issuer["prefLabel_zh_Hans"],
            }
            if issuer
            else None,
            "items": r["items"],
            "kind": r["kind"],
        }

    async def documents(self) -> schemas.Documents:
        rows = await self._rows(queries.DOCUMENTS)
        data = [schemas.DocumentSummary(**self._document(r)) for r in rows]
        return schemas.Documents(data=data, count=len(data))

    async def document(self, ident: str) -> schemas.DocumentDetail:
        rows = await self._rows(queries.DOCUMENT, id=ident)
        if not rows:
            raise NotFound("document", ident)
        base = self._document(rows[0])
        d = rows[0]["d"]
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
        outline = []
        for p in parts:
            outline.append(
                schemas.OutlinePart(
                    id=p["id"],
                    iri=p["iri"],
                    number=p["number"],
                    title=p["title"],
                    title_simplified=p["title_simplified"],
                    groups=[
                        schemas.OutlineGroup(
                            id=g["id"],
                            iri=g["iri"],
                            number=g["number"],
                            title=g["title"],
                            title_simplified=g["title_simplified"],
                            items=group_items.get(g["id"], []),
                        )
                        for g in groups
                        if g["part"] == p["id"]
                    ],
                    items=part_items.get(p["id"], []),
                )
            )
        return schemas.DocumentDetail(
            **base,
            note=d.get("note"),
            preamble=d.get("preamble_zh_Hans") or d.get("preamble_zh_Hant"),
            parts=outline,
        )

    async def document_exists(self, ident: str) -> bool:
        return bool(await self._rows(queries.DOCUMENT_EXISTS, id=ident))

    # items -----------------------------------------------------------------------------

    async def items(
        self,
        *,
        kind: str | None,
        doc: str | None,
        agency: str | None,
        role: str | None,
        technology: str | None,
        region: str | None,
        limit: int,
        offset: int,
    ) -> schemas.Items:
        role_types = [ROLE_TYPES[role]] if role else list(ROLE_TYPES.values())
        rows = await self._rows(
            queries.ITEMS,
            kind=KIND_LABEL.get(kind or ""),
            doc=doc,
            agency=agency,
            role=role,
            role_types=role_types,
            technology=technology,
            region=region,
            limit=limit,
            offset=offset,
        )
        r = rows[0]
        return schemas.Items(data=[schemas.ItemSummary(**x) for x in r["data"]], count=r["count"])

    async def item(self, ident: str, kind: str | None) -> schemas.ItemDetail:
        rows = await self._rows(queries.ITEM, id=ident, kind=KIND_LABEL.get(kind or ""))
        if not rows:
            raise NotFound(kind or "item", ident)
        r = rows[0]
        return schemas.ItemDetail(
            **r["item"],
            text=r["text"],
            text_simplified=r["text_simplified"],
            script=r["script"],
            part=r["part"],
            group=r["group"],
            agencies=sorted(
                r["agencies"],
                key=lambda a: (list(ROLE_TYPES).index(a["role"]), a["inherited_from"] or ""),
            ),
            open_ended=r["open_ended"],
            technologies=r["technologies"],
            regions=r["regions"],
            programmes=r["programmes"],
            span=(r["span_start"], r["span_end"]),
            line=r["line"],
        )

    async def item_exists(self, ident: str, kind: str | None) -> bool:
        return bool(
            await self._rows(queries.ITEM_EXISTS, id=ident, kind=KIND_LABEL.get(kind or ""))
        )

    # agencies --------------------------------------------------------------------------

    async def agencies(self, limit: int, offset: int) -> schemas.Agencies:
        rows = await self._rows(queries.AGENCIES)
        data = [schemas.AgencySummary(**dict(r)) for r in rows]
        return schemas.Agencies(data=data[offset : offset + limit], count=len(data))

    async def agency(self, ident: str) -> schemas.AgencyDetail:
        rows = await self._rows(queries.AGENCY, id=ident)
        if not rows:
            raise NotFound("agency", ident)
        r = dict(rows[0])
        by_role: dict[str, list[schemas.ItemSummary]] = {
            "lead": [], "shared": [], "implementing": [], "mentioned": [],
        }  # fmt: skip
        names = {v: k for k, v in ROLE_TYPES.items()}
        for entry in r.pop("roles"):
            by_role[names[entry["role"]]].append(schemas.ItemSummary(**entry["item"]))
        by_role["mentioned"] = [schemas.ItemSummary(**i) for i in r.pop("mentioned") if i["id"]]
        aliases = sorted({*r.pop("alt"), *(w for w in r.pop("written") if w)} - {r["name"]})
        return schemas.AgencyDetail(
            **{k: v for k, v in r.items() if k not in ("former", "children")},
            aliases=aliases,
            former_names=r["former"],
            sub_organizations=r["children"],
            items=by_role,
        )

    # technologies and regions -----------------------------------------------------------

    async def technologies(self, limit: int, offset: int) -> schemas.Concepts:
        rows = await self._rows(queries.TECHNOLOGIES)
        data = [schemas.ConceptSummary(**dict(r)) for r in rows]
        return schemas.Concepts(data=data[offset : offset + limit], count=len(data))

    async def technology(self, ident: str) -> schemas.TechnologyDetail:
        rows = await self._rows(queries.TECHNOLOGY, id=ident)
        if not rows:
            raise NotFound("technology", ident)
        r = rows[0]
        return schemas.TechnologyDetail(
            id=r["id"], iri=r["iri"], name=r["name"], name_hant=r["name_hant"],
            name_en=r["name_en"], items=r["direct"], alt_labels=sorted(set(r["alt"])),
            broader=r["broader"], narrower=r["narrower"],
            item_list=[schemas.ItemSummary(**i) for i in r["items"] if i["id"]],
        )  # fmt: skip

    async def regions(self, limit: int, offset: int) -> schemas.Regions:
        rows = await self._rows(queries.REGIONS)
        data = [schemas.RegionSummary(**dict(r)) for r in rows]
        return schemas.Regions(data=data[offset : offset + limit], count=len(data))

    async def region(self, ident: str) -> schemas.RegionDetail:
        rows = await self._rows(queries.REGION, id=ident)
        if not rows:
            raise NotFound("region", ident)
        r = rows[0]
        return schemas.RegionDetail(
            id=r["id"], iri=r["iri"], name=r["name"], name_hant=r["name_hant"],
            name_en=r["name_en"], kind=r["kind"], code=r["code"], items=r["direct"],
            within=r["within"], parts=r["parts"],
            item_list=[schemas.ItemSummary(**i) for i in r["items"] if i["id"]],
        )  # fmt: skip

    # alignment -------------------------------------------------------------------------

    @staticmethod
    def _mapping(row: dict[str, Any]) -> schemas.Mapping:
        return schemas.Mapping(
            source=schemas.ItemSummary(**row["source"]),
            target=schemas.ItemSummary(**row["target"]),
            score=row["score"],
            rank=row["rank"],
            accepted=row["accepted"],
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
        rows = await self._rows(
            queries.MAPPINGS, source=source, target=target, min_score=min_score,
            accepted_only=accepted_only, item=None, limit=limit, offset=offset,
        )  # fmt: skip
        r = rows[0]
        return schemas.Mappings(data=[self._mapping(x) for x in r["data"]], count=r["count"])

    async def links(
        self, ident: str, *, successors: bool, min_score: float, accepted_only: bool
    ) -> schemas.Mappings:
        query = queries.SUCCESSORS if successors else queries.PREDECESSORS
        rows = await self._rows(query, id=ident, min_score=min_score, accepted_only=accepted_only)
        data = [self._mapping(r["row"]) for r in rows]
        return schemas.Mappings(data=data, count=len(data))

    async def coverage(self, source: str, target: str) -> schemas.Coverage:
        def entries(rows: list[neo4j.Record]) -> list[schemas.CoverageEntry]:
            return [
                schemas.CoverageEntry(
                    item=schemas.ItemSummary(**r["item"]),
                    best=schemas.ItemSummary(**r["best"]) if r["best"] else None,
                    score=r["score"],
                )
                for r in rows
            ]

        dropped = await self._rows(queries.COVERAGE_DROPPED, source=source, target=target)
        new = await self._rows(queries.COVERAGE_NEW, source=source, target=target)
        return schemas.Coverage(
            source=source, target=target, dropped=entries(dropped), new=entries(new)
        )

    # search ----------------------------------------------------------------------------

    async def search(self, q: str, limit: int, offset: int) -> schemas.SearchResults:
        simplified = normalise(q.strip())
        terms = [t for t in re.split(r"\s+", simplified) if t]
        # Every term is quoted, so Lucene reads operators and wildcards as plain text; the
        # whole query as one phrase ranks first, the terms alone (CJK bigrams) still find
        # near matches.
        quoted = [_quote(t) for t in terms if _INDEXABLE.search(t)]
        if not quoted:
            return schemas.SearchResults(query=q, query_simplified=simplified, data=[], count=0)
        lucene = " OR ".join([f"{_quote(' '.join(terms))}^4", *quoted])
        rows = await self._rows(queries.SEARCH, lucene=lucene, limit=limit, offset=offset)
        r = rows[0]
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


def _quote(text: str) -> str:
    """A Lucene phrase: the text in double quotes, with quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def highlight(text: str, original: str, terms: list[str]) -> tuple[str, str]:
    """A window of ``text`` around the first match, matches wrapped in ``<mark>``.

    The Simplified text and the original have the same length, character for character,
    so the same positions mark the same words in both. Where no whole term occurs, the
    term's character bigrams (what the CJK index matched) are marked instead.
    """
    spans: list[tuple[int, int]] = []
    for term in terms:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(term), text)]
    if not spans:
        for term in terms:
            for k in range(len(term) - 1):
                bigram = term[k : k + 2]
                spans += [(m.start(), m.end()) for m in re.finditer(re.escape(bigram), text)]
    if not spans:
        end = min(len(text), 2 * SNIPPET_RADIUS)
        return _escape(text[:end]), _escape(original[:end])
    spans.sort()
    first = spans[0][0]
    lo = max(0, first - SNIPPET_RADIUS)
    hi = min(len(text), first + 2 * SNIPPET_RADIUS)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if s < lo or e > hi:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))

    def mark(source: str) -> str:
        out, pos = [], lo
        for s, e in merged:
            out.append(_escape(source[pos:s]))
            out.append("<mark>" + _escape(source[s:e]) + "</mark>")
            pos = e
        out.append(_escape(source[pos:hi]))
        return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(source) else "")

    return mark(text), mark(original if len(original) == len(text) else text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
