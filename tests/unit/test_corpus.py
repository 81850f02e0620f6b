"""The real corpus: counts, numbering, repairs, responsibilities exactly as the text states."""

from __future__ import annotations

import tomllib

from loaders.records import Corpus, Role
from tests.conftest import TEST_DATA

ARTIFACTS = ["社社会", "基基础", "“万物“智联", "\n\n"]


def test_gd2021_has_36_measures_numbered_1_to_37_without_19(corpus: Corpus) -> None:
    doc = corpus.document("gd2021")
    assert [i.number for i in doc.items] == [*range(1, 19), *range(20, 38)]
    assert [i.id for i in doc.items][17:19] == ["gd2021-m18", "gd2021-m20"]
    assert len(doc.parts) == 10
    gaps = [w for w in corpus.report.warnings if w.code == "numbering-gap"]
    assert len(gaps) == 1
    assert "(十九)" in gaps[0].message
    assert gaps[0].document == "gd2021"


def test_gd2025_has_50_tasks_in_17_groups_and_6_parts(corpus: Corpus) -> None:
    doc = corpus.document("gd2025")
    assert [i.number for i in doc.items] == list(range(1, 51))
    assert len(doc.groups) == 17
    assert len(doc.parts) == 6
    assert {i.group for i in doc.items} == {g.id for g in doc.groups}
    t05 = next(i for i in doc.items if i.id == "gd2025-t05")
    assert (t05.part, t05.group) == ("gd2025-p01", "gd2025-g03")
    # the news lead is the preamble, not an item
    assert doc.preamble.startswith("近日,《數字廣東建設 2025 年工作要點》印發")
    assert all("近日" not in i.text for i in doc.items)


def test_titles_are_the_phrase_before_the_first_full_stop(corpus: Corpus) -> None:
    m01 = corpus.document("gd2021").items[0]
    assert m01.title == "开展数字关键核心技术“强基筑魂”行动"
    t01 = corpus.document("gd2025").items[0]
    assert (t01.title, t01.title_simplified) == ("實施關鍵核心技術攻關", "实施关键核心技术攻关")


def test_no_item_text_keeps_a_page_break_artifact(corpus: Corpus) -> None:
    for item in corpus.items():
        for artifact in ARTIFACTS:
            assert artifact not in item.text, (item.id, artifact)
    m24 = next(i for i in corpus.document("gd2021").items if i.number == 24)
    assert "智慧化社会治理平台" in m24.text
    m04 = next(i for i in corpus.document("gd2021").items if i.number == 4)
    assert "“万物智联”网络" in m04.text
    t05 = corpus.document("gd2025").items[4]
    assert "開展“機器人+”行動" in t05.text


def test_every_repair_is_reported_with_offset_and_original(corpus: Corpus, repo_settings) -> None:  # type: ignore[no-untyped-def]
    repairs = corpus.report.repairs
    kinds = [r.kind for r in repairs]
    assert kinds.count("page-break-repeat") == 3
    assert kinds.count("line-break-join") == 1
    for r in repairs:
        original = (repo_settings.data_dir / "corpus" / corpus.document(r.document).file).read_text(
            encoding="utf-8"
        )
        assert original[r.offset : r.offset + len(r.before)] == r.before
        assert "\n" in r.before
        assert "\n" not in r.after


def test_item_spans_point_at_the_original_text(corpus: Corpus, repo_settings) -> None:  # type: ignore[no-untyped-def]
    for doc in corpus.documents:
        original = (repo_settings.data_dir / "corpus" / doc.file).read_text(encoding="utf-8")
        for item in doc.items:
            written = original[item.span.start : item.span.end]
            assert written.startswith(item.marker)
            assert written.replace("\n", "").endswith(item.text[-10:].replace("\n", ""))
            for r in item.responsibilities:
                if r.inherited_from is None:
                    assert original[r.span.start : r.span.end] == r.surface
            for m in item.mentions:
                if original[m.span.start : m.span.end] != m.surface:
                    # only where the mention spans a page break that the load repaired
                    assert any(
                        m.span.start <= r.offset < m.span.end
                        for r in corpus.report.repairs
                        if r.document == doc.key
                    ), (item.id, m)


def test_simplified_text_is_simplified_with_full_width_punctuation(corpus: Corpus) -> None:
    t02 = corpus.document("gd2025").items[1]
    assert "超高清视频（共建）" in t02.text_simplified
    assert "超高清視頻(共建)" in t02.text
    assert len(t02.text_simplified) == len(t02.text)


def test_every_task_has_the_agencies_and_roles_the_text_states(corpus: Corpus) -> None:
    expected = tomllib.loads((TEST_DATA / "expected-responsibilities.toml").read_text("utf-8"))
    for task in corpus.document("gd2025").items:
        own = [r for r in task.responsibilities if r.inherited_from is None]
        want = expected[f"t{task.number:02d}"]
        for role in Role:
            got = [r.name for r in own if r.role is role]
            assert got == want.get(role.value, []), (task.id, role)
        assert task.open_ended == want.get("open", False), task.id
        assert [r.name for r in own if r.generic] == want.get("generic", []), task.id
        assert all(r.agency is not None for r in own if not r.generic), task.id


def test_xia_tong_carries_task_1s_implementing_bodies_to_every_later_task(corpus: Corpus) -> None:
    tasks = corpus.document("gd2025").items
    for task in tasks[1:]:
        inherited = [r for r in task.responsibilities if r.inherited_from]
        assert [(r.name, r.role, r.inherited_from) for r in inherited] == [
            ("各地级以上市人民政府", Role.IMPLEMENTING, "gd2025-t01")
        ], task.id
    assert not [r for r in tasks[0].responsibilities if r.inherited_from]


def test_places_in_a_list_are_each_found(corpus: Corpus, lexicon) -> None:  # type: ignore[no-untyped-def]
    hits = {
        (h.kind, h.ref)
        for h in lexicon.find("推进广州南沙、珠海横琴和深圳、中山全市域数字电网示范性建设")
    }
    places = {ref for kind, ref in hits if kind == "place"}
    assert len(places) == 4
    t46 = corpus.document("gd2025").items[45]
    assert {m.ref for m in t46.mentions if m.kind == "place"} >= places


def test_items_keep_their_words_for_the_alignment_but_not_in_json(corpus: Corpus, lexicon) -> None:  # type: ignore[no-untyped-def]
    for doc in corpus.documents:
        for item in doc.items:
            assert item.words == tuple(lexicon.words(item.body_simplified)), item.id
            assert item.words
            assert "words" not in item.model_dump(mode="json")
