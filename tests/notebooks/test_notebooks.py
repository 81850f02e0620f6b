"""The notebooks, run top to bottom against the test server, and what a reader relies on in them.

Each notebook is read from ``notebooks/`` and executed in memory by a fresh ipykernel (the
``python3`` kernel of this interpreter, working folder ``notebooks/``), which inherits
``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` pointing at the suite's
loaded Neo4j. The committed notebooks keep the outputs they were saved with: nothing here writes
them. Cells are found by their tags (``metadata.tags``), so the assertions do not depend on cell
positions.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from graph.server import ManagedServer
from graph.store import LoadResult
from loaders.records import Corpus

pytestmark = pytest.mark.notebooks

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
CELL_TIMEOUT_S = 300
AGENCY = "广东省政务服务和数据管理局"


def _read(name: str) -> Any:
    return nbformat.read(NOTEBOOKS / name, as_version=4)  # type: ignore[no-untyped-call]


def _code_cells(nb: Any) -> Iterator[Any]:
    return (cell for cell in nb.cells if cell.cell_type == "code")


def _tagged(nb: Any, tag: str) -> Any:
    (cell,) = [c for c in _code_cells(nb) if tag in c.metadata.get("tags", [])]
    return cell


def _text(cell: Any) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in {"execute_result", "display_data"}:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def _images(cell: Any) -> list[str]:
    return [
        output.data["image/png"]
        for output in cell.outputs
        if output.output_type == "display_data" and "image/png" in output.data
    ]


def _runner(server: ManagedServer, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Execute a notebook by file name against ``server``; the executed copy."""
    connection = server.connection
    assert connection.password is not None
    monkeypatch.setenv("NEO4J_URI", connection.uri)
    monkeypatch.setenv("NEO4J_USER", connection.user)
    monkeypatch.setenv("NEO4J_PASSWORD", connection.password)
    monkeypatch.setenv("NEO4J_DATABASE", connection.database)

    def run(name: str) -> Any:
        nb = _read(name)
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT_S,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOKS)}},
        )
        client.execute()  # raises CellExecutionError on the first cell that fails
        for cell in _code_cells(nb):
            streams = [o for o in cell.outputs if o.output_type == "stream"]
            warnings = [o.text for o in streams if o.name == "stderr"]
            assert not warnings, f"{name}: a cell wrote to stderr: {warnings}"
        return nb

    return run


@pytest.fixture
def run_notebook(
    neo4j_server: ManagedServer, loaded: LoadResult, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """Execute a notebook by file name against the loaded test server; the executed copy."""
    return _runner(neo4j_server, monkeypatch)


@pytest.fixture
def run_family_notebook(
    family_server: ManagedServer, family_loaded: LoadResult, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """Execute a notebook against the test family's server (a three-document series)."""
    return _runner(family_server, monkeypatch)


def test_tour_connects_through_neo4j_uri_and_shows_a_measure_and_an_agency(
    run_notebook: Any, neo4j_server: ManagedServer
) -> None:
    nb = run_notebook("01-tour.ipynb")
    assert f"named by NEO4J_URI: {neo4j_server.uri}" in _text(_tagged(nb, "connection"))
    labels = _text(_tagged(nb, "label-counts"))
    assert any(line.split()[1:] == ["Measure", "36"] for line in labels.splitlines())
    assert any(line.split()[1:] == ["Task", "50"] for line in labels.splitlines())
    successors = _text(_tagged(nb, "successors"))
    # gd2021-m07 (public data) carries on first in gd2025-t03 (data resources), then t21
    assert successors.index("gd2025-t03") < successors.index("gd2025-t21")
    assert "公共数据" in successors
    leaders = _text(_tagged(nb, "leaders")).splitlines()
    first_row = next(line for line in leaders if line.startswith("0 "))
    assert AGENCY in first_row
    agency_tasks = _text(_tagged(nb, "agency-tasks"))
    assert "牵头 lead" in agency_tasks
    assert "按职责分工负责 shared" in agency_tasks


def test_2021_to_2025_draws_the_flow_the_heat_map_and_the_technologies(
    run_notebook: Any,
) -> None:
    nb = run_notebook("02-2021-to-2025.ipynb")
    assert "2021 sentences" in _text(_tagged(nb, "numbers"))
    assert len(_images(_tagged(nb, "flow-figure"))) == 1
    assert "36 measures × 50 tasks" in _text(_tagged(nb, "score-matrix"))
    assert len(_images(_tagged(nb, "heat-map"))) == 1
    kinds = _text(_tagged(nb, "kinds"))
    assert all(k in kinds for k in ("partial", "split", "merged", "continued"))
    # 措施 6 goes sentence by sentence to two tasks: smart roads and water to 26, oceans to 24
    split = _text(_tagged(nb, "split-measure"))
    assert "gd2021-m06: 5 sentences, 4 carried on in 2 tasks (gd2025-t24, gd2025-t26)" in split
    assert "一轴两网" in split
    assert len(_images(_tagged(nb, "split-figure"))) == 1
    assert "of 36 measures have no sentence carried on" in _text(_tagged(nb, "dropped"))
    assert "sentences of" in _text(_tagged(nb, "not-continued"))
    new_tasks = _text(_tagged(nb, "new-tasks"))
    assert "of 50 tasks carry no 2021 sentence on" in new_tasks
    assert "加快法治数字化" in new_tasks  # courts and procuratorates, never in the 2021 text
    assert "广东省高级人民法院" in new_tasks
    assert len(_images(_tagged(nb, "technology-figure"))) == 1


def test_agencies_notebook_ranks_centrality_and_draws_the_network(run_notebook: Any) -> None:
    nb = run_notebook("03-agencies.ipynb")
    choice = _text(_tagged(nb, "collective-choice"))
    assert "with 各地级以上市人民政府" in choice
    assert "without (used below)" in choice
    degree = _text(_tagged(nb, "degree-table")).splitlines()
    first_row = next(line for line in degree if line.startswith("0 "))
    assert AGENCY in first_row
    communities = _text(_tagged(nb, "communities")).splitlines()
    assert any("省法院" in line and "省检察院" in line for line in communities)
    assert AGENCY in _text(_tagged(nb, "workload-table"))
    assert len(_images(_tagged(nb, "workload-figure"))) == 1
    assert len(_images(_tagged(nb, "network-figure"))) == 1


def test_instruments_notebook_draws_the_2021_to_2025_mix_and_lists_what_clauses_promise(
    run_notebook: Any, corpus: Corpus
) -> None:
    nb = run_notebook("04-instruments.ipynb")
    table = _text(_tagged(nb, "mix-table"))
    for d in corpus.documents:
        codes = sum(len(c.instruments) for i in d.items for c in i.clauses)
        uncoded = sum(1 for i in d.items for c in i.clauses if not c.instruments)
        assert f"{d.date.year}: {codes} codes; {uncoded} clauses with no instrument" in table
    assert len(_images(_tagged(nb, "mix-figure"))) == 1
    assert "percentage points" in _text(_tagged(nb, "mix-change"))
    assert "保障措施" in _text(_tagged(nb, "mix-by-part"))
    assert AGENCY in _text(_tagged(nb, "mix-by-agency"))
    deliverables = _text(_tagged(nb, "deliverables"))
    assert "省制造业数字化转型行动方案" in deliverables
    assert "广东省工业和信息化厅" in deliverables
    assert "有线电视超高清机顶盒占比" in _text(_tagged(nb, "targets"))


def test_series_notebook_follows_the_corpus_series_in_its_one_step(run_notebook: Any) -> None:
    nb = run_notebook("05-series.ipynb")
    assert "Series gd 「数字广东建设」: 2 documents, 1 step(s)" in _text(_tagged(nb, "series"))
    assert "gd2021 → gd2025: " in _text(_tagged(nb, "steps"))
    assert "reaches 1 step(s)" in _text(_tagged(nb, "follow"))
    assert len(_images(_tagged(nb, "series-figure"))) == 1
    assert "the longest has 1 step(s)" in _text(_tagged(nb, "paths"))
    assert "sentence pair(s)" in _text(_tagged(nb, "path-clauses"))


def test_series_notebook_follows_a_measure_through_three_documents(
    run_family_notebook: Any,
) -> None:
    nb = run_family_notebook("05-series.ipynb")
    series = _text(_tagged(nb, "series"))
    assert "Series famdg 「数字政府改革建设」: 3 documents, 2 step(s)" in series
    assert "fam2021 (2021) → fam2023 (2023) → fam2025 (2025)" in series
    steps = _text(_tagged(nb, "steps"))
    assert "fam2021 → fam2023: " in steps
    assert "fam2023 → fam2025: " in steps
    follow = _text(_tagged(nb, "follow"))
    assert "reaches 2 step(s)" in follow
    assert len(_images(_tagged(nb, "series-figure"))) == 1
    assert "the longest has 2 step(s)" in _text(_tagged(nb, "paths"))
    clauses = _text(_tagged(nb, "path-clauses"))
    assert clauses.count("sentence pair(s)") == 2
    # each year's lead is the body in force then: renamed in 2024
    leads = _text(_tagged(nb, "path-leads"))
    assert "广东省政务服务数据管理局" in leads.split("2025")[0]
    assert "广东省政务服务和数据管理局" in leads.split("2025")[-1]


def test_matplotlib_finds_a_noto_cjk_font_with_the_figures_characters() -> None:
    spec = importlib.util.spec_from_file_location("_figures", NOTEBOOKS / "_figures.py")
    assert spec is not None and spec.loader is not None
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    family = figures.find_cjk_font()
    assert isinstance(family, str) and family.startswith("Noto")
    assert "CJK" in family


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_committed_notebooks_carry_outputs_run_in_order(name: str) -> None:
    nb = _read(name)
    counts = [cell.execution_count for cell in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run top to bottom, then saved"
    assert not [o for cell in _code_cells(nb) for o in cell.outputs if o.output_type == "error"]
