"""Agency analytics over hand-built rows: the network, centralities, communities, workload."""

from __future__ import annotations

import pytest

from core.errors import GraphStoreError
from graph.analytics import (
    Assignment,
    assignments_from_rows,
    centralities,
    co_responsibility_network,
    communities,
    community_index,
    modularity,
    short_name,
    workload,
)

CITIES = "gd-prefecture-city-governments"


def _rows(*triples: tuple[str, str, str]) -> list[Assignment]:
    return assignments_from_rows({"task": t, "agency": a, "role": r} for t, a, r in triples)


# Two clusters joined through "data": t1–t3 are data and industry tasks, t4–t5 are finance
# and commerce tasks, t6 links data to finance; the collective body implements every task.
ROWS = _rows(
    ("t1", "data", "lead"),
    ("t1", "industry", "shared"),
    ("t2", "data", "lead"),
    ("t2", "industry", "shared"),
    ("t2", "science", "shared"),
    ("t3", "industry", "lead"),
    ("t3", "science", "shared"),
    ("t4", "finance", "lead"),
    ("t4", "commerce", "shared"),
    ("t5", "finance", "shared"),
    ("t5", "commerce", "shared"),
    ("t5", "bank", "shared"),
    ("t6", "data", "shared"),
    ("t6", "finance", "shared"),
    ("t7", "emergency", "lead"),
    *((f"t{n}", CITIES, "implementing") for n in range(1, 8)),
)


def test_rows_become_assignments_once_each() -> None:
    rows = [
        {"task": "t1", "agency": "data", "role": "lead"},
        {"task": "t1", "agency": "data", "role": "lead"},
        {"task": "t1", "agency": "industry", "role": "shared"},
    ]
    assert assignments_from_rows(rows) == [
        Assignment(task="t1", agency="data", role="lead"),
        Assignment(task="t1", agency="industry", role="shared"),
    ]


@pytest.mark.parametrize(
    "row",
    [
        {"task": "t1", "agency": "data", "role": "牵头"},
        {"task": "t1", "agency": "data"},
        {"task": "t1", "agency": "data", "role": "lead", "name": "省政务和数据局"},
    ],
)
def test_a_row_that_is_not_an_assignment_is_rejected_with_its_number(
    row: dict[str, str],
) -> None:
    with pytest.raises(GraphStoreError, match="row 2 "):
        assignments_from_rows([{"task": "t0", "agency": "x", "role": "shared"}, row])


def test_edge_weight_counts_the_tasks_two_agencies_share() -> None:
    network = co_responsibility_network(ROWS, exclude={CITIES})
    assert network["data"]["industry"]["weight"] == 2
    assert network["data"]["industry"]["shared_tasks"] == ("t1", "t2")
    assert network["industry"]["science"]["weight"] == 2
    assert network["data"]["finance"]["shared_tasks"] == ("t6",)
    assert not network.has_edge("data", "commerce")
    assert network.nodes["data"]["tasks"] == 3


def test_an_agency_that_works_alone_stays_as_an_isolated_node() -> None:
    network = co_responsibility_network(ROWS, exclude={CITIES})
    assert "emergency" in network
    assert network.degree("emergency") == 0


def test_the_collective_body_links_every_agency_unless_excluded() -> None:
    with_cities = co_responsibility_network(ROWS)
    without = co_responsibility_network(ROWS, exclude={CITIES})
    agencies = set(without.nodes)
    assert set(with_cities.neighbors(CITIES)) == agencies
    assert CITIES not in without
    # Through the collective body even the lone emergency agency has a partner.
    assert with_cities.degree("emergency") == 1


def test_centralities_rank_the_broker_between_the_clusters_first() -> None:
    table = {c.agency: c for c in centralities(co_responsibility_network(ROWS, exclude={CITIES}))}
    assert table["data"].degree == 3  # industry, science, finance
    assert table["data"].strength == 4  # industry (t1, t2), science (t2), finance (t6)
    top = max(table.values(), key=lambda c: c.betweenness)
    assert top.agency in {"data", "finance"}  # the two ends of the only bridge
    assert table["data"].betweenness > table["industry"].betweenness
    assert table["bank"].betweenness == 0.0
    assert table["emergency"].degree_centrality == 0.0


def test_centralities_are_sorted_by_degree_then_strength() -> None:
    rows = centralities(co_responsibility_network(ROWS, exclude={CITIES}))
    keys = [(-c.degree, -c.strength, c.agency) for c in rows]
    assert keys == sorted(keys)


def test_communities_separate_the_two_clusters() -> None:
    network = co_responsibility_network(ROWS, exclude={CITIES})
    groups = communities(network)
    index = community_index(groups)
    assert index["data"] == index["industry"] == index["science"]
    assert index["finance"] == index["commerce"] == index["bank"]
    assert index["data"] != index["finance"]
    assert frozenset({"emergency"}) in groups
    assert sorted(index) == sorted(network.nodes)
    assert modularity(network, groups) > 0.2


def test_communities_are_numbered_largest_first() -> None:
    groups = communities(co_responsibility_network(ROWS, exclude={CITIES}))
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)


def test_an_agency_in_two_communities_is_an_error() -> None:
    with pytest.raises(GraphStoreError, match="data"):
        community_index([{"data", "industry"}, {"data"}])


def test_workload_counts_tasks_per_role_leaders_first() -> None:
    table = workload(ROWS)
    by_agency = {w.agency: w for w in table}
    assert (by_agency["data"].lead, by_agency["data"].shared) == (2, 1)
    assert by_agency[CITIES].implementing == 7
    assert by_agency[CITIES].total == 7
    assert [w.agency for w in table] == [
        "data",  # leads 2
        "finance",  # leads 1 of 3
        "industry",  # leads 1 of 3
        "emergency",  # leads 1 of 1
        CITIES,  # leads none, implements 7
        "commerce",
        "science",
        "bank",
    ]


def test_workload_counts_a_repeated_row_once() -> None:
    twice = [*ROWS, Assignment(task="t1", agency="data", role="lead")]
    assert workload(twice) == workload(ROWS)


def test_empty_input_gives_empty_results() -> None:
    network = co_responsibility_network([])
    assert network.number_of_nodes() == 0
    assert centralities(network) == []
    assert communities(network) == []
    assert modularity(network, []) == 0.0
    assert workload([]) == []


@pytest.mark.parametrize(
    ("pref", "alts", "expected"),
    [
        ("广东省发展和改革委员会", ["广东省发展改革委", "省发展改革委", "省发改委"], "省发改委"),
        ("海关总署广东分署", None, "海关总署广东分署"),
        ("广东省高级人民法院", ["省高院", "省法院", "广东高院"], "省法院"),
    ],
)
def test_short_name_is_the_shortest_name_and_ties_sort(
    pref: str, alts: list[str] | None, expected: str
) -> None:
    assert short_name(pref, alts) == expected
