"""Researchers' query results, kept per graph version (pure logic, no I/O).

The graph changes only when it is loaded, so a read-only query asked again of the same
graph has the same answer. :class:`ResultCache` keeps the answers of ``POST /cypher`` under
the graph version they were read from and everything that shapes them:

* **Key**: the graph version, the query text exactly as sent, its parameters as canonical
  JSON (keys sorted: ``{"a": 1, "b": 2}`` and ``{"b": 2, "a": 1}`` are one key; ``1`` and
  ``1.0`` are two, as they are to Cypher), and the limits that cut a result (row cap, bytes).
* **Kept**: only complete results. A result stopped by the row cap or the byte limit is not
  kept (which rows come first is the server's streaming order unless the query orders them,
  so a repeat may cut elsewhere), nor is any error (a time or memory stop, 429 or 503
  depends on the load of the moment; a refusal is cheap to give again), nor the answer of a
  query that changes from run to run (:func:`volatile`: ``rand()``, ``randomUUID()``,
  ``timestamp()``, the current date or time).
* **Bounds**: at most ``max_entries`` results and ``max_bytes`` of their JSON; the least
  recently used go first, and a result larger than ``max_bytes`` alone is not kept.
* **Invalidation**: the first lookup or store under a new graph version empties it.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from api.cypher.text import Token, tokenize
from api.cypher.values import encoded_size

if TYPE_CHECKING:
    from api.cypher.service import CypherLimits, CypherOutcome

#: Functions whose every call may answer differently.
_RANDOM = frozenset({"RAND", "RANDOMUUID", "TIMESTAMP"})
#: Temporal functions: the current instant when called without arguments, or through
#: ``.realtime()``, ``.statement()``, ``.transaction()``.
_TEMPORAL = frozenset({"DATE", "DATETIME", "LOCALDATETIME", "LOCALTIME", "TIME"})

Key = tuple[str, str, int, int]


def volatile(query: str) -> bool:
    """Whether ``query`` calls a function whose answer changes from run to run."""
    tokens = tokenize(query)
    for n, token in enumerate(tokens):
        if token.kind != "word" or _property(tokens, n):
            continue
        name = token.text.upper()
        after = tokens[n + 1 : n + 3]
        if name in _RANDOM and _opens(after, 0):
            return True
        if name in _TEMPORAL and (
            (_opens(after, 0) and len(after) > 1 and after[1].is_symbol(")"))
            or (after[:1] and after[0].is_symbol("."))
        ):
            return True
    return False


def _opens(tokens: Sequence[Token], n: int) -> bool:
    return len(tokens) > n and tokens[n].is_symbol("(")


def _property(tokens: Sequence[Token], n: int) -> bool:
    """The word at ``n`` is a property key or a label (``n.rand``, ``:Time``), not a call."""
    return n > 0 and tokens[n - 1].is_symbol(".", ":")


def result_key(query: str, parameters: Mapping[str, Any], limits: CypherLimits) -> Key:
    """What, besides the graph version, decides a query's result."""
    canonical = json.dumps(parameters, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (query, canonical, limits.row_cap, limits.max_bytes)


class ResultCache:
    """Complete results of read-only queries, per graph version (see the module docstring).

    Args:
        max_entries: results kept at most.
        max_bytes: JSON bytes of the kept results' rows at most.

    Example::

        cache = ResultCache()
        key = result_key("MATCH (t:Task) RETURN count(t)", {}, limits)
        if (outcome := cache.get(version, key)) is None:
            outcome = await run(...)
            cache.put(version, key, outcome)
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 2**20):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._version: str | None = None
        self._entries: OrderedDict[Key, tuple[CypherOutcome, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _on(self, version: str) -> None:
        if version != self._version:
            self._entries.clear()
            self.bytes = 0
            self._version = version

    def get(self, version: str, key: Key) -> CypherOutcome | None:
        """The result kept for ``key`` read from graph ``version``, if there is one."""
        self._on(version)
        hit = self._entries.get(key)
        if hit is None:
            return None
        self._entries.move_to_end(key)
        return hit[0]

    def put(self, version: str, key: Key, outcome: CypherOutcome) -> bool:
        """Keep ``outcome`` if the policy allows (module docstring); whether it was kept."""
        if outcome.truncated or volatile(key[0]):
            return False
        size = encoded_size(outcome.rows) + encoded_size(outcome.columns)
        if size > self.max_bytes:
            return False
        self._on(version)
        old = self._entries.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        self._entries[key] = (outcome, size)
        self.bytes += size
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, (_, freed) = self._entries.popitem(last=False)
            self.bytes -= freed
        return True
