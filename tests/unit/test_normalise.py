"""The Simplified, punctuation-normalised form of the texts."""

from __future__ import annotations

import opencc

from loaders.normalise import OPENCC_PROFILE, normalise, to_simplified


def test_normalised_text_is_simplified_with_full_width_punctuation_and_the_same_length() -> None:
    original = "支持國家印刷及柔性顯示、超高清視頻(共建),推動AI PC;1,000個"
    normal = normalise(original)
    # punctuation next to Chinese becomes full-width; between Latin letters and digits it stays
    assert normal == "支持国家印刷及柔性显示、超高清视频（共建），推动AI PC;1,000个"
    assert len(normal) == len(original)


def test_the_chosen_profile_keeps_mainland_policy_vocabulary() -> None:
    # The work plan was converted from mainland Simplified; Taiwan-phrase profiles would
    # rewrite its terms (智慧 → 智能, 核心 → 内核), t2s converts characters only.
    text = "深化智慧監管建設。實施關鍵核心技術攻關。優化數字供銷雲平臺。"
    assert OPENCC_PROFILE == "t2s"
    assert to_simplified(text) == "深化智慧监管建设。实施关键核心技术攻关。优化数字供销云平台。"
    rewritten = opencc.OpenCC("tw2sp").convert(text)
    assert "智能" in rewritten
    assert "内核" in rewritten
