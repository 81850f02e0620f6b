"""The offline import's CSV files: every property with the Neo4j type the online load gives
it, every text exactly as it is (quotes, line breaks), nothing the importer would misread."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from core.errors import GraphStoreError
from graph.bulk_import import ARRAY_DELIMITER, import_arguments, write_import_files
from graph.mapping import GraphMapping, PropertyKey, Rows

WHEN = dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)
PROPS = {
    "rank": 2,
    "score": 0.25,
    "accepted": True,
    "date": dt.date(2021, 5, 1),
    "loadedAt": WHEN,
    "text": '他说"数字化"\n第二行',
    "label": ["甲", "乙"],
}


def _mapping() -> GraphMapping:
    keys = {k: PropertyKey(predicate=f"https://example.org/{k}") for k in PROPS}
    keys["label"] = PropertyKey(predicate="https://example.org/label", is_list=True)
    return GraphMapping(labels={}, relationships={}, properties=keys)


def _rows(**props: object) -> Rows:
    return Rows(
        nodes={
            ("Item", "Measure"): [
                {"uri": "https://example.org/a", "props": {**PROPS, **props}},
                {"uri": "https://example.org/b", "props": {"rank": 3}},
            ]
        },
        relationships={
            "CONTINUED_BY": [{"s": "https://example.org/a", "o": "https://example.org/b"}]
        },
    )


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_properties_keep_their_types_and_texts(tmp_path: Path) -> None:
    files = write_import_files(tmp_path, _rows(), _mapping(), {"key": "graph", "nodes": 2})
    header, first, second = _read(files.nodes[0])
    assert header == [
        "uri:ID",
        ":LABEL",
        "accepted:boolean",
        "date:date",
        "label:string[]",
        "loadedAt:datetime",
        "rank:long",
        "score:double",
        "text:string",
    ]
    values = dict(zip(header, first, strict=True))
    assert values[":LABEL"].split(ARRAY_DELIMITER) == ["Resource", "Item", "Measure"]
    assert values["text:string"] == PROPS["text"]  # quotes and the line break kept
    assert values["label:string[]"].split(ARRAY_DELIMITER) == ["甲", "乙"]
    assert (values["loadedAt:datetime"], values["date:date"]) == (WHEN.isoformat(), "2021-05-01")
    assert (values["rank:long"], values["score:double"], values["accepted:boolean"]) == (
        "2",
        "0.25",
        "true",
    )
    assert second[header.index("rank:long")] == "3"
    assert files.multiline == (files.nodes[0],)  # the importer is told which file spans lines
    assert _read(files.relationships) == [
        [":START_ID", ":END_ID", ":TYPE"],
        ["https://example.org/a", "https://example.org/b", "CONTINUED_BY"],
    ]
    assert _read(files.meta) == [
        [":ID(meta)", ":LABEL", "key:string", "nodes:long"],
        ["graph", "_GraphMeta", "graph", "2"],
    ]


def test_a_missing_property_is_an_empty_field_and_an_empty_text_a_quoted_one(
    tmp_path: Path,
) -> None:
    files = write_import_files(tmp_path, _rows(text=""), _mapping(), {"key": "graph"})
    lines = files.nodes[0].read_text(encoding="utf-8").splitlines()
    assert lines[1].endswith(',""')  # an empty text is a text
    assert lines[2].endswith(',"3",,')  # the second node has neither score nor text


def test_values_the_importer_would_misread_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GraphStoreError, match="U\\+001F"):
        write_import_files(tmp_path, _rows(label=["a\x1fb"]), _mapping(), {})
    with pytest.raises(GraphStoreError, match="several types"):
        write_import_files(tmp_path, _rows(rank="two"), _mapping(), {})
    with pytest.raises(GraphStoreError, match="online"):
        write_import_files(tmp_path, _rows(score=float("nan")), _mapping(), {})


def test_the_import_is_strict_and_replaces_the_staged_store(tmp_path: Path) -> None:
    files = write_import_files(tmp_path, _rows(), _mapping(), {"key": "graph"})
    args = import_arguments(files, "neo4j", tmp_path / "report")
    assert args[:3] == ["database", "import", "full"] and args[-1] == "neo4j"
    assert {"--strict=true", "--bad-tolerance=0", "--id-type=string"} <= set(args)
    assert f"--multiline-fields={files.nodes[0]}" in args
