"""Heads shared over a 、-list, and generic bodies, in a responsibility clause.

A list may share the head of its names either way:

- a shared prefix: ``省发展改革委、科技厅`` is 省发展改革委 and 省科技厅 (read in
  :mod:`loaders.responsibility`);
- a shared suffix: ``广州、深圳、珠海出入境边防检查总站`` is three border inspection stations,
  and ``广州、深圳市人民政府`` two city governments. The names before the last are bare
  place names; the last is a place name and the head they share.

A generic body (``相关地市政府``, ``各地级以上市人民政府``, ``各县（市、区）政府``) names a kind
of body rather than one body: it is a responsible party of its own kind, not an unresolved
agency.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

IsPlace = Callable[[str], bool]

# A head that ends in one of these repeats it where a place name already ends with it:
# 广州市、深圳市人民政府 → 广州市 + 人民政府, not 广州市市人民政府.
_ADMINISTRATIVE = "省市区县镇"

GENERIC = re.compile(
    r"^(?:省|市|县|区)?(?:各有关|各相关|有关|相关|各)"
    r"[\u4e00-\u9fff（）()、]{0,12}"
    r"(?:政府|单位|部门|机构|地市|城市|市|县|区|企业|高校|医院|学校)$"
)


def is_generic(name: str) -> bool:
    """Whether ``name`` (Simplified) names a kind of body: 相关地市政府, 各地级以上市人民政府."""
    return GENERIC.match(name) is not None


def shared_suffix(names: Sequence[str], is_place: IsPlace) -> str | None:
    """The head the last of ``names`` shares with the others, or None.

    ``["广州", "深圳", "珠海出入境边防检查总站"]`` → ``出入境边防检查总站``: every name but
    the last is a place, and the last is a place followed by the head.
    """
    if len(names) < 2 or not all(is_place(n) for n in names[:-1]):
        return None
    last = names[-1]
    for cut in range(2, len(last)):
        if is_place(last[:cut]):
            return last[cut:]
    return None


def with_head(name: str, head: str) -> str:
    """``name`` + ``head``, written once where they meet on an administrative level."""
    if name[-1:] == head[:1] and head[:1] in _ADMINISTRATIVE:
        return name + head[1:]
    return name + head
