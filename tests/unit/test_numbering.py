from __future__ import annotations

import pytest

from loaders.numbering import chinese_numeral, match_marker, to_chinese_numeral


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("三十七", 37),
        ("一百零一", 101),
        ("两", 2),
    ],
)
def test_chinese_numerals_read_as_numbers(text: str, value: int) -> None:
    assert chinese_numeral(text) == value
    assert chinese_numeral(to_chinese_numeral(value)) == value


def test_a_non_numeral_is_refused() -> None:
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_numeral("十x")


@pytest.mark.parametrize(
    ("line", "style", "number", "marker"),
    [
        ("一、总体要求", "cn-dun", 1, "一、"),
        ("十、保障措施", "cn-dun", 10, "十、"),
        ("(一) 开展数字关键核心技术", "cn-paren", 1, "(一)"),
        ("（三十七）提升安全可控水平", "cn-paren", 37, "（三十七）"),
        ("( 二 )半角带空格", "cn-paren", 2, "( 二 )"),
        ("1.實施關鍵核心技術攻關", "arabic", 1, "1."),
        ("50.推動數字化合作交流", "arabic", 50, "50."),
        ("3、全角顿号", "arabic", 3, "3、"),
        ("１２．全角数字", "arabic", 12, "１２．"),
    ],
)
def test_every_numbering_form_is_recognised(
    line: str, style: str, number: int, marker: str
) -> None:
    m = match_marker(line, style)  # type: ignore[arg-type]
    assert m is not None
    assert (m.number, m.text) == (number, marker)
    assert line[m.length :].lstrip()[0] not in "、.)）"


@pytest.mark.parametrize(
    ("line", "style"),
    [
        ("12 英寸晶圆线", "arabic"),
        ("2025年工作要点", "arabic"),
        ("5G网络", "arabic"),
        ("1.5倍", "arabic"),
        ("一网统管", "cn-dun"),
        ("(共建)", "cn-paren"),
    ],
)
def test_text_that_only_looks_like_numbering_is_not_a_marker(line: str, style: str) -> None:
    assert match_marker(line, style) is None  # type: ignore[arg-type]
