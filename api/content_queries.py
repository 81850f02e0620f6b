"""The Cypher of a clause's policy content and of the instrument mix (named builders, with
``$parameters``; only names from closed sets defined here are inserted)."""

from __future__ import annotations

from typing import Literal, LiteralString


def _span(v: str) -> str:
    return f"span: {{start: {v}.spanStart, end: {v}.spanEnd, line: {v}.sourceLine}}"


def content_map(clause: str) -> str:
    """A map of what the clause bound to ``clause`` promises, sets, cites and uses."""
    c = clause
    return (
        "{deliverables: "
        f"[({c})-[:PROMISES]->(cd:Deliverable) | {{ordinal: cd.ordinal, kind: cd.documentKind, "
        f"verb: cd.issuingVerb, name: cd.titleSimplified, {_span('cd')}}}], "
        "targets: "
        f"[({c})-[:SETS]->(ct:Target) | {{ordinal: ct.ordinal, value: ct.targetValue, "
        "unit: ct.unit, comparator: ct.comparator, object: ct.measuredObject, "
        f"year: properties(ct).targetYear, {_span('ct')}}}], "
        "citations: "
        f"[({c})-[:CITES]->(cp:PolicyDocument) | {{iri: cp.uri, "
        "document: CASE WHEN cp.external THEN NULL ELSE cp.id END, "
        "title: coalesce(cp.title_zh_Hant, cp.title_zh_Hans), "
        "title_simplified: coalesce(cp.titleSimplified, cp.title_zh_Hans)}], "
        "instruments: "
        f"[({c})-[:USES_INSTRUMENT]->(cu:InstrumentUse)-[:TOOL]->(ctl:InstrumentTool) | "
        "{ordinal: cu.ordinal, type: cu.instrumentType, tool: cu.instrumentTool, "
        f"tool_name: ctl.prefLabel_zh_Hans, cue: cu.cue, {_span('cu')}}}]}}"
    )


MixGroup = Literal["document", "part", "agency"]

# How each grouping finds its group from the item ``i`` (the closed set of groupings).
_GROUP_MATCH: dict[MixGroup, str] = {
    "document": "WITH d, i, c, NULL AS g",
    "part": "MATCH (i)-[:IS_PART_OF]->(g:Part)",
    "agency": "MATCH (g:Agency)-[:LEADS]->(i)",
}


def instrument_mix(group: MixGroup) -> LiteralString:
    """Instrument codes per document, group, type and tool; uncoded clauses as type none.

    Parameters: ``$doc`` (a document key or null), ``$main_only`` (count only each clause's
    main instrument), ``$by_tool`` (a row per sub-tool, else per type)."""
    query = f"""
MATCH (d:PolicyDocument)<-[:IS_PART_OF]-(i:Item)<-[:IS_PART_OF]-(c:Clause)
WHERE $doc IS NULL OR d.id = $doc
{_GROUP_MATCH[group]}
OPTIONAL MATCH (c)-[:USES_INSTRUMENT]->(u:InstrumentUse)
WHERE NOT $main_only OR u.ordinal = 1
WITH d, g, c, u
RETURN d.id AS document, d.date AS date,
       CASE WHEN g IS NULL THEN NULL
            ELSE {{id: g.id, iri: g.uri,
                  name: coalesce(g.prefLabel_zh_Hans, g.titleSimplified)}} END AS group,
       coalesce(u.instrumentType, 'none') AS type,
       CASE WHEN $by_tool AND u IS NOT NULL THEN u.instrumentTool END AS tool,
       count(*) AS codes, count(DISTINCT c) AS clauses
ORDER BY date, document, group.id, type, tool
"""
    return query
