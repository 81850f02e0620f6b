"""Full-text search, the pure parts: Lucene quoting and highlighted snippets."""

from __future__ import annotations

from api.snippets import _quote, highlight


def test_search_terms_are_quoted_for_lucene() -> None:
    assert _quote("数据 AND") == '"数据 AND"'
    assert _quote('a"b\\c') == '"a\\"b\\\\c"'


def test_snippet_marks_the_same_words_in_both_scripts() -> None:
    simplified = "推进数据资源开发利用。完善数据要素市场。"
    original = "推進數據資源開發利用。完善數據要素市場。"
    snippet, snippet_original = highlight(simplified, original, ["数据要素"])
    assert "<mark>数据要素</mark>" in snippet
    assert "<mark>數據要素</mark>" in snippet_original


def test_snippet_falls_back_to_bigrams_and_escapes_html() -> None:
    snippet, _ = highlight("<b>数据</b>要素", "<b>數據</b>要素", ["数据资源"])
    assert "<mark>数据</mark>" in snippet
    assert "&lt;b&gt;" in snippet
