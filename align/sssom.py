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
    """Every kept link as one SSSOM row; accepted links use ``pkg:continuedBy``.

    Candidates that were kept but not accepted use ``skos:relatedMatch`` so that a consumer
    reading only the predicate does not take a candidate for an accepted continuation.
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
                "pkg:continuedBy" if link.accepted else "skos:relatedMatch",
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
                f"rank {link.rank}" + ("; accepted" if link.accepted else ""),
            )
        )
    return out.getvalue()
