"""Page-break and line-break repair, with and without a repeated boundary character."""

from __future__ import annotations

from loaders.text import Piece, is_repeated_boundary, join_lines, split_lines

WORDS = {"社会", "基础", "人人", "设施", "治理", "人民"}


def is_word(w: str) -> bool:
    return w in WORDS


def join(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Join every non-blank line of ``text`` as one block, as the structure parser does."""
    pieces: list[Piece] = []
    blank = False
    for line in split_lines(text):
        if line.blank:
            blank = True
            continue
        pieces.append(Piece(line=line, start=line.start, text=line.text, blank_before=blank))
        blank = False
    mapped, repairs = join_lines(pieces, text, document="doc", is_word=is_word)
    assert len(mapped.offsets) == len(mapped.text)
    for i, c in enumerate(mapped.text):
        if c != "\n":
            assert text[mapped.offsets[i]] == c, "every kept character maps to its original"
    return mapped.text, [(r.kind, r.before, r.after) for r in repairs]


def test_page_break_repeating_the_boundary_character_is_removed_and_recorded() -> None:
    text, repairs = join("建设智慧化社\n\n社会治理平台。")
    assert text == "建设智慧化社会治理平台。"
    assert repairs == [("page-break-repeat", "社\n\n社会", "社会")]


def test_page_break_without_repeat_is_joined() -> None:
    text, repairs = join("加大对数字化转型共\n\n性开发平台的支持。")
    assert text == "加大对数字化转型共性开发平台的支持。"
    assert repairs == [("page-break-join", "共\n\n性", "共性")]


def test_repeated_opening_quote_of_an_open_quotation_is_removed() -> None:
    text, repairs = join("形成泛在互联的“万物\n\n“智联”网络。")
    assert text == "形成泛在互联的“万物智联”网络。"
    assert repairs == [("page-break-repeat", "物\n\n“智", "物智")]


def test_genuine_reduplication_across_a_break_is_kept() -> None:
    text, repairs = join("让人\n\n人人都能享受数字服务。")
    assert text == "让人人人都能享受数字服务。"
    assert repairs[0][0] == "page-break-join"


def test_line_broken_inside_a_quotation_is_joined() -> None:
    text, repairs = join("开展“\n机器人+”行动。")
    assert text == "开展“机器人+”行动。"
    assert repairs == [("line-break-join", "“\n机", "“机")]


def test_a_finished_paragraph_is_not_joined_to_the_next() -> None:
    text, repairs = join("第一段结束。\n\n第二段开始。")
    assert text == "第一段结束。\n第二段开始。"
    assert repairs == []


def test_repeat_needs_a_word_across_the_break() -> None:
    assert is_repeated_boundary("智慧化社", "社会治理", is_word)
    assert not is_repeated_boundary("智慧化社", "社区", is_word)  # 社区 not in the test words
    assert not is_repeated_boundary("人", "人人都", is_word)  # 人人 is a word
    assert not is_repeated_boundary("平台", "为核心", is_word)
