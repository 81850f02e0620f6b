"""Agency analytics: who shares tasks with whom, who sits between them, and who carries what.

The 2025 work plan closes each task with the bodies responsible for it and their role:
牵头 (lead), 按职责分工负责 (shared: each within its remit), 结合实际落实 (implementing:
carried out locally, here always the collective 各地级以上市人民政府) and, in some yearly
plans, 配合 (supporting: assisting the lead). This module turns rows
of (task, agency, role), as a Cypher query returns them, into

* the *co-responsibility network*: agencies are nodes, and two agencies are linked when both
  are responsible for the same task, the edge's weight being the number of such tasks;
* centralities of that network (degree, weighted degree, betweenness);
* its communities (greedy modularity maximisation, weighted);
* each agency's workload: tasks it leads, shares and implements.

Every function is pure: nothing here talks to Neo4j, so the notebooks fetch rows with Cypher
and the unit tests build rows by hand. Rows that do not fit raise
:class:`~core.errors.GraphStoreError` (the graph does not hold what the analysis needs).

Example::

    rows = [
        {"task": "gd2025-t01", "agency": "drc", "role": "shared"},
        {"task": "gd2025-t01", "agency": "miit", "role": "shared"},
    ]
    network = co_responsibility_network(assignments_from_rows(rows))
    network["drc"]["miit"]["weight"]  # 1
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import GraphStoreError
from loaders.records import Role

#: The roles in the order a reader meets them: 牵头, 按职责分工负责, 落实.
ROLES: tuple[Role, ...] = tuple(Role)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Assignment(_Record):
    """One agency's role on one task: a qualified responsibility, flattened to a row.

    Args:
        task: the task's id, e.g. ``gd2025-t43``.
        agency: the agency's id, e.g. ``gd-government-services-data-administration``.
        role: ``lead`` (牵头), ``shared`` (按职责分工负责), ``implementing`` (落实) or
            ``supporting`` (配合).
    """

    task: str
    agency: str
    role: Role


class Centrality(_Record):
    """How central one agency is in the co-responsibility network.

    ``degree`` counts the agencies it shares at least one task with; ``strength`` adds up
    the shared tasks over those links (the weighted degree); ``degree_centrality`` is degree
    over the number of other agencies; ``betweenness`` is the share of shortest paths
    (counted in links, not weighted) between other agencies that pass through it.
    """

    agency: str
    degree: int
    strength: int
    degree_centrality: float
    betweenness: float


class Workload(_Record):
    """How many tasks an agency leads (牵头), shares (按职责分工负责), implements (落实) and
    supports (配合)."""

    agency: str
    lead: int
    shared: int
    implementing: int
    supporting: int = 0

    @property
    def total(self) -> int:
        """Tasks the agency is responsible for in any role."""
        return self.lead + self.shared + self.implementing + self.supporting


def assignments_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Assignment]:
    """Rows with keys ``task``, ``agency`` and ``role`` as assignments, without duplicates.

    Raises:
        GraphStoreError: a row lacks a key, has another key, or names an unknown role.
    """
    seen: dict[tuple[str, str, str], Assignment] = {}
    for n, row in enumerate(rows, start=1):
        try:
            assignment = Assignment.model_validate(dict(row))
        except ValidationError as e:
            raise GraphStoreError(f"row {n} is not a (task, agency, role) assignment: {e}") from e
        seen.setdefault((assignment.task, assignment.agency, assignment.role), assignment)
    return list(seen.values())


def short_name(pref_label: str, alt_labels: Iterable[str] | None = None) -> str:
    """The shortest of an agency's names, for labels in a figure (省发改委, not the full name).

    Ties go to the name that sorts first, so the choice does not depend on the order in which
    the database returns alternative labels.
    """
    names = [pref_label, *(alt_labels or ())]
    return min(names, key=lambda name: (len(name), name))


def co_responsibility_network(
    assignments: Iterable[Assignment], *, exclude: Collection[str] = ()
) -> nx.Graph:
    """The network of agencies that share tasks, whatever their role on them.

    Every agency responsible for at least one task is a node (attribute ``tasks``: how many);
    two agencies are linked when both are responsible for the same task, with ``weight`` the
    number of shared tasks and ``shared_tasks`` their ids, sorted. Agencies in ``exclude``
    are left out, as if they were not named on any task; an agency that shares no task with
    another stays in the network as an isolated node.
    """
    bodies_per_task: dict[str, set[str]] = defaultdict(set)
    for a in assignments:
        if a.agency not in exclude:
            bodies_per_task[a.task].add(a.agency)
    tasks_per_agency: Counter[str] = Counter()
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for task, bodies in bodies_per_task.items():
        tasks_per_agency.update(bodies)
        for pair in combinations(sorted(bodies), 2):
            shared[pair].append(task)
    network = nx.Graph()
    for agency in sorted(tasks_per_agency):
        network.add_node(agency, tasks=tasks_per_agency[agency])
    for (first, second), tasks in sorted(shared.items()):
        network.add_edge(first, second, weight=len(tasks), shared_tasks=tuple(sorted(tasks)))
    return network


def centralities(network: nx.Graph) -> list[Centrality]:
    """Degree and betweenness of every agency, most connected first (then by id)."""
    if network.number_of_nodes() == 0:
        return []
    degree_centrality: dict[str, float] = nx.degree_centrality(network)
    betweenness: dict[str, float] = nx.betweenness_centrality(network, normalized=True)
    rows = [
        Centrality(
            agency=agency,
            degree=int(network.degree(agency)),
            strength=int(network.degree(agency, weight="weight")),
            degree_centrality=float(degree_centrality[agency]),
            betweenness=float(betweenness[agency]),
        )
        for agency in network.nodes
    ]
    return sorted(rows, key=lambda c: (-c.degree, -c.strength, c.agency))


def communities(network: nx.Graph, *, resolution: float = 1.0) -> list[frozenset[str]]:
    """Groups of agencies that share tasks more among themselves than with the rest.

    Greedy modularity maximisation (Clauset–Newman–Moore) on the weighted network, which is
    deterministic. Largest community first, ties by their first agency id; an isolated
    agency is a community of its own.
    """
    if network.number_of_nodes() == 0:
        return []
    found: Sequence[Collection[str]] = nx.community.greedy_modularity_communities(
        network, weight="weight", resolution=resolution
    )
    return sorted((frozenset(c) for c in found), key=lambda c: (-len(c), min(c)))


def community_index(groups: Sequence[Collection[str]]) -> dict[str, int]:
    """Each agency's community, numbered from 0 in the order given.

    Raises:
        GraphStoreError: an agency appears in two communities.
    """
    index: dict[str, int] = {}
    for n, group in enumerate(groups):
        for agency in group:
            if agency in index:
                raise GraphStoreError(f"{agency} is in communities {index[agency]} and {n}")
            index[agency] = n
    return index


def modularity(network: nx.Graph, groups: Sequence[Collection[str]]) -> float:
    """The weighted modularity of a partition of the network (0 for a network with no link)."""
    if network.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(network, groups, weight="weight"))


def workload(assignments: Iterable[Assignment]) -> list[Workload]:
    """Tasks per agency and role, the agencies leading most first (then by total, then id).

    A task counts once per agency and role, however many times the rows repeat it.
    """
    tasks: dict[tuple[str, Role], set[str]] = defaultdict(set)
    agencies: set[str] = set()
    for a in assignments:
        tasks[(a.agency, a.role)].add(a.task)
        agencies.add(a.agency)
    rows = [
        Workload(
            agency=agency,
            lead=len(tasks[(agency, Role.LEAD)]),
            shared=len(tasks[(agency, Role.SHARED)]),
            implementing=len(tasks[(agency, Role.IMPLEMENTING)]),
            supporting=len(tasks[(agency, Role.SUPPORTING)]),
        )
        for agency in agencies
    ]
    return sorted(rows, key=lambda w: (-w.lead, -w.total, w.agency))
