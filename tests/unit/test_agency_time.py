"""Agencies through time: change events, the body in force on a date, names over time, and
the change events in the RDF graph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG

from core.errors import AlignmentError, ManifestError, VocabularyError
from loaders.agency_time import AgencyTimeline
from loaders.corpus import load_corpus
from loaders.lexicon import Lexicon
from loaders.manifest import read_manifest
from loaders.records import Corpus
from loaders.vocabulary import read_vocabularies
from ontology.namespaces import PKG
from policykg.pipeline import document_pairs, pick_pair
from tests.conftest import REPO, TEST_DATA

OLD = "gd-government-services-data-administration-2018"
NEW = "gd-government-services-data-administration"


@pytest.fixture(scope="module")
def timeline(lexicon: Lexicon) -> AgencyTimeline:
    return AgencyTimeline(lexicon.vocab)


@pytest.mark.parametrize(
    ("agency", "on", "in_force"),
    [
        (OLD, dt.date(2023, 3, 20), OLD),
        (NEW, dt.date(2023, 3, 20), OLD),  # the new name read before the change
        (OLD, dt.date(2025, 4, 8), NEW),  # the old name read after it
        (NEW, dt.date(2025, 4, 8), NEW),
        (NEW, dt.date(2024, 1, 1), NEW),  # in force from the day of the change
        ("gd-commerce-department", dt.date(2000, 1, 1), "gd-commerce-department"),
    ],
)
def test_the_body_in_force_on_a_date(
    timeline: AgencyTimeline, agency: str, on: dt.date, in_force: str
) -> None:
    assert timeline.in_force(agency, on) == in_force


def test_predecessor_successor_and_names_over_time(timeline: AgencyTimeline) -> None:
    assert timeline.predecessors(NEW) == [OLD]
    assert timeline.successors(OLD) == [NEW]
    names = [(n.name, n.since, n.until) for n in timeline.names_over_time(NEW)]
    assert names == [
        ("广东省政务服务数据管理局", None, dt.date(2024, 1, 1)),
        ("广东省政务服务和数据管理局", dt.date(2024, 1, 1), None),
    ]
    assert timeline.names_over_time(OLD) == timeline.names_over_time(NEW)


def test_each_years_text_resolves_to_the_body_in_force_then(family: Corpus) -> None:
    lead_2023 = family.document("fam2023").items[0].responsibilities[0]
    lead_2025 = family.document("fam2025").items[0].responsibilities[0]
    assert (lead_2023.surface, lead_2023.agency) == ("省政务服务数据管理局", OLD)
    assert (lead_2025.surface, lead_2025.agency) == ("省政務和數據局", NEW)


def _reissued(family: Path, issuer: str, instead: str) -> Corpus:
    """The family with its 2023 plan issued by ``instead`` (in its text and its entry)."""
    for name in ("fam-2023-workplan.txt", "manifest.toml"):
        path = family / "corpus" / name
        path.write_text(path.read_text("utf-8").replace(issuer, instead), "utf-8")
    return load_corpus(family / "corpus" / "manifest.toml", family / "vocab")


def test_the_issuer_resolves_to_the_body_in_force_on_the_documents_date(
    tmp_path: Path, corpus: Corpus
) -> None:
    import shutil

    assert corpus.document("gd2025").issuer_agency == NEW
    family = tmp_path / "family"
    shutil.copytree(TEST_DATA / "family", family)
    # the 2023 plan issued by the data administration under its name of 2023
    plan = _reissued(family, "广东省人民政府办公厅", "广东省政务服务数据管理局").document("fam2023")
    assert (plan.issuer, plan.issuer_agency) == ("广东省政务服务数据管理局", OLD)
    # and under its name of 2025: on a 2023 document that is the body of 2023 too
    renamed = _reissued(family, "广东省政务服务数据管理局", "广东省政务服务和数据管理局")
    assert renamed.document("fam2023").issuer_agency == OLD


def test_a_change_naming_an_unknown_agency_fails_with_file_and_line(tmp_path: Path) -> None:
    import shutil

    vocab = tmp_path / "vocab"
    shutil.copytree(REPO / "data" / "vocab", vocab)
    path = vocab / "agency-changes.toml"
    path.write_text(
        path.read_text("utf-8").replace(f'resulting = ["{NEW}"]', 'resulting = ["no-such-body"]'),
        "utf-8",
    )
    with pytest.raises(VocabularyError, match="no-such-body") as info:
        read_vocabularies(vocab)
    assert info.value.path == path
    assert info.value.line is not None


def test_change_events_in_the_graph(graph: Graph) -> None:
    base = "https://w3id.org/policykg/"
    event = URIRef(base + "change/gd-2024-government-services-data-reform")
    assert (event, ORG.originalOrganization, URIRef(base + "agency/" + OLD)) in graph
    assert (event, ORG.resultingOrganization, URIRef(base + "agency/" + NEW)) in graph
    assert (event, PKG.changeDate, Literal(dt.date(2024, 1, 1), datatype=XSD.date)) in graph
    assert graph.value(event, PKG.citation) is not None
    assert (URIRef(base + "agency/" + OLD), ORG.changedBy, event) in graph
    former = {str(o) for o in graph.objects(URIRef(base + "agency/" + NEW), PKG.formerName)}
    assert former == {"广东省政务服务数据管理局", "省政务服务数据管理局", "省政数局"}


def test_a_series_aligns_its_consecutive_pairs(family: Corpus) -> None:
    manifest = read_manifest(TEST_DATA / "family" / "corpus" / "manifest.toml")
    assert document_pairs(family, manifest) == [("fam2021", "fam2023"), ("fam2023", "fam2025")]
    assert len(document_pairs(family)) == 3  # without series: every pair by date


def test_the_pair_to_align_is_picked_from_the_series_when_an_end_is_left_out() -> None:
    pairs = [("fam2021", "fam2023"), ("fam2023", "fam2025")]
    assert pick_pair(pairs, None, None) == ("fam2021", "fam2023")
    assert pick_pair(pairs, "fam2023", None) == ("fam2023", "fam2025")
    assert pick_pair(pairs, None, "fam2023") == ("fam2021", "fam2023")
    assert pick_pair(pairs, "fam2021", "fam2025") == ("fam2021", "fam2025")  # any pair asked
    with pytest.raises(AlignmentError, match=r"--source fam2025 .*fam2021 → fam2023"):
        pick_pair(pairs, "fam2025", None)


def test_a_series_naming_an_unknown_document_fails(tmp_path: Path) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(TEST_DATA / "family" / "corpus", corpus)
    manifest = corpus / "manifest.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('"fam2023", "fam2025"]', '"fam2023", "fam2024"]'),
        "utf-8",
    )
    with pytest.raises(ManifestError, match="fam2024"):
        read_manifest(manifest)
