"""The alignment as an SSSOM mapping set (TSV with a YAML metadata header)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from align.records import Alignment

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "similarity_score",
    "similarity_measure",
    "mapping_tool",
    "mapping_tool_version",
    "subject_source",
    "object_source",
    "comment",
)


def to_sssom_tsv(alignment: Alignment, iri_base: str, titles: Mapping[str, str]) -> str:
    """Every kept link as one SSSOM row.

    An accepted link's predicate is its kind of succession as a SKOS mapping predicate
    (``skos:closeMatch`` continued, ``skos:narrowMatch`` split, ``skos:broadMatch`` merged,
    ``skos:relatedMatch`` partial; ``pkg:continuedBy`` when no clause level decided it). A
    candidate that was kept but not accepted is ``pkg:continuedBy`` with the predicate
    modifier ``Not``: the method's verdict is that it is not a continuation.
    """
    base = iri_base if iri_base.endswith("/") else iri_base + "/"
    out = io.StringIO()
    out.write(
        "# curie_map:\n"
        f"#   item: {base}item/\n"
        f"#   doc: {base}doc/\n"
        "#   pkg: https://w3id.org/policykg/ontology#\n"
        "#   semapv: https://w3id.org/semapv/vocab/\n"
        "#   skos: http://www.w3.org/2004/02/skos/core#\n"
        f"# mapping_set_id: {base}alignment/{alignment.source}/{alignment.target}\n"
        f"# mapping_set_description: {alignment.source} items to the {alignment.target} "
        "items that carry them on\n"
        "# license: https://www.apache.org/licenses/LICENSE-2.0\n"
        f"# mapping_tool: {alignment.method}\n"
        f"# mapping_tool_version: {alignment.method_version}\n"
    )
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for link in alignment.links:
        writer.writerow(
            (
                f"item:{link.source}",
                titles.get(link.source, ""),
                (link.predicate or "pkg:continuedBy") if link.accepted else "pkg:continuedBy",
                "" if link.accepted else "Not",
                f"item:{link.target}",
                titles.get(link.target, ""),
                "semapv:CompositeMatching",
                f"{link.score:.6f}",
                f"{link.evidence.similarity:.6f}",
                "weighted cosine of TF-IDF and concept signals",
                alignment.method,
                alignment.method_version,
                f"doc:{alignment.source}",
                f"doc:{alignment.target}",
                f"rank {link.rank}"
                + (f"; accepted, {link.relation}" if link.accepted and link.relation else "")
                + ("; accepted" if link.accepted and not link.relation else "")
                + (f"; clause share {link.share:.3f}" if link.share is not None else ""),
            )
        )
    return out.getvalue()
