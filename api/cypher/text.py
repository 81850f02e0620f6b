"""A researcher's query text and parameters, checked before anything reaches Neo4j.

Neo4j 5.26 cannot stop everything a read can ask of it (measured; ``bench/RESULTS.md``):

* its parser overflows its stack on deep nesting (about 300 parentheses, 250 brackets,
  500 chained operators such as ``'a' + 'a' + …`` or ``m.a.a…``) and then never answers;
* expression-level loops — list comprehensions, ``reduce``, ``all``/``any``/``none``/
  ``single`` — and the values they build run outside the transaction's checks: the time
  limit and ``TERMINATE TRANSACTION`` mark the transaction, but its thread runs on at full
  CPU until the server restarts, and the memory limits do not count those values, so
  ``[x IN range(1, 100000000) | x]`` ends in an ``OutOfMemoryError``. Row-level work
  (``UNWIND``, ``MATCH``, ``collect``) is stopped by the time limit and counted against the
  memory limits.

So the text is tokenised here (comments and strings cannot hide anything) and refused when

1. its syntax tree could grow deeper than :data:`MAX_DEPTH` (:func:`nesting_depth`), or
   it has more than :data:`MAX_TOKENS` tokens (planning time grows faster than the text);
2. it starts with ``CYPHER`` options (``debug=…`` shows planner internals, ``replan=force``
   defeats the plan cache), ``EXPLAIN`` or ``PROFILE``;
3. the estimated work of its expression-level loops exceeds :data:`MAX_WORK`: each loop
   costs its list's size times its body; a ``range()`` has the size its bounds say (literals
   and parameters are evaluated; ``size(…)``/``length(…)`` bounds count as
   :data:`UNKNOWN_SIZE`; other expressions are refused), a node's labels or keys and a
   path's nodes or relationships count :data:`SMALL_SIZE`, any other list (a variable, a
   ``collect`` result) :data:`UNKNOWN_SIZE`, so loops over such lists may not nest; a
   ``reduce`` costs the square of its list (its accumulator may grow each step) or, when its
   body uses the accumulator twice (``s + s``), doubles each step; ``range()`` directly
   under ``UNWIND`` is row-level and free;
4. nested ``replace()`` calls could multiply a string by more than :data:`MAX_GROWTH`.

Parameters are bounded too: :data:`MAX_PARAMETER_BYTES` as JSON, nesting at most
:data:`MAX_PARAMETER_DEPTH`. What these estimates cannot see (a ``collect`` of millions of
values looped over once, a property holding a huge string) is still answered by the API's
deadline; its server thread then holds one of the few Cypher slots until it ends
(:mod:`api.cypher.service`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from core.errors import CypherRejected

MAX_DEPTH = 150
MAX_TOKENS = 5_000
MAX_WORK = 2_000_000
MAX_GROWTH = 1_024
UNKNOWN_SIZE = 10_000
SMALL_SIZE = 100
MAX_PARAMETER_BYTES = 64 * 1024
MAX_PARAMETER_DEPTH = 16

TokenKind = Literal["word", "number", "string", "name", "param", "symbol"]


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    start: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words

    def is_symbol(self, *symbols: str) -> bool:
        return self.kind == "symbol" and self.text in symbols


_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    |(?P<name>`(?:[^`]|``)*(?:`|\Z))
    |(?P<param>\$(?:\w+|`(?:[^`]|``)*`))
    |(?P<number>0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)
    |(?P<word>[^\W\d]\w*)
    |(?P<symbol><>|<=|>=|=~|\+=|\.\.|::|->|<-|\|\||.)""",
    re.VERBOSE | re.DOTALL,
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())
# After these a `-` or `+` is a sign, not a subtraction.
_BEFORE_OPERAND = frozenset(
    {"NOT", "AND", "OR", "XOR", "IN", "WHEN", "THEN", "ELSE", "CASE", "RETURN", "WITH",
     "WHERE", "UNWIND", "IS", "CONTAINS", "BY", "SKIP", "LIMIT", "AS"}
)  # fmt: skip
_CHAINED = frozenset({".", "+", "-", "*", "/", "%", "^", "=", "<>", "<", ">", "<=", ">=", "=~"})
_CHAINED_WORDS = ("IN", "CONTAINS", "STARTS", "ENDS", "IS")
_CHAIN_BREAKS = (
    "AND", "OR", "XOR", "RETURN", "WITH", "WHERE", "MATCH", "OPTIONAL", "UNWIND", "ORDER",
    "SKIP", "LIMIT", "WHEN", "THEN", "ELSE", "AS", "UNION", "CALL", "YIELD",
)  # fmt: skip
_QUANTIFIERS = ("ALL", "ANY", "NONE", "SINGLE")
# Lists as long as a node's labels and keys, or a path: short in any graph.
_SMALL_LISTS = ("LABELS", "KEYS", "NODES", "RELATIONSHIPS")
_PREFIXES = ("CYPHER", "EXPLAIN", "PROFILE")


def tokenize(query: str) -> list[Token]:
    """The tokens of ``query``, without whitespace and comments (never fails)."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind in ("space", "comment") or kind is None:
            continue
        tokens.append(Token(kind, match.group(), match.start()))  # type: ignore[arg-type]
    return tokens


def _refuse(message: str, reason: str = "complexity") -> CypherRejected:
    return CypherRejected(message, reason=reason)


def check_query(query: str, parameters: Mapping[str, Any]) -> None:
    """Refuse what Neo4j could not stop or answer (see the module docstring).

    Raises:
        CypherRejected: ``complexity`` (too deep, too long, too much expression-level work,
            a string that could grow without bound), ``option`` (a ``CYPHER``, ``EXPLAIN``
            or ``PROFILE`` prefix) or ``parameters`` (too large or too deep).
    """
    check_parameters(parameters)
    tokens = tokenize(query)
    if len(tokens) > MAX_TOKENS:
        raise _refuse(
            f"The query has {len(tokens)} tokens; at most {MAX_TOKENS} are accepted. "
            "Pass long lists as parameters."
        )
    if tokens and tokens[0].is_word(*_PREFIXES):
        raise _refuse(
            f"Queries may not start with {tokens[0].text.upper()}: planner and runtime options, "
            "EXPLAIN and PROFILE are not accepted here; send the query itself.",
            reason="option",
        )
    depth = nesting_depth(tokens)
    if depth > MAX_DEPTH:
        raise _refuse(f"The query nests {depth} levels deep; at most {MAX_DEPTH} are accepted.")
    pairs = _pairs(tokens)
    estimate = _Estimate(tokens, pairs, parameters)
    work = estimate.work(0, len(tokens))
    if work > MAX_WORK:
        shown = "without bound" if math.isinf(work) else f"about {work:,.0f} steps"
        raise _refuse(
            f"The query's list expressions (comprehensions, reduce, all/any/none/single, "
            f"range) would take {shown}, which Neo4j cannot interrupt; at most "
            f"{MAX_WORK:,} are accepted. Give range() literal or parameter bounds, or "
            "iterate with UNWIND and aggregate (UNWIND range(1, $n) AS x RETURN sum(x)): "
            "rows are stopped by the time limit, expressions are not."
        )
    growth = estimate.growth(0, len(tokens))
    if growth > MAX_GROWTH:
        raise _refuse(
            f"Nested replace() calls could make a string {growth:,.0f} times longer; at most "
            f"{MAX_GROWTH:,} times is accepted."
        )


def check_parameters(parameters: Mapping[str, Any]) -> None:
    """Parameters: at most :data:`MAX_PARAMETER_BYTES` as JSON, nested at most
    :data:`MAX_PARAMETER_DEPTH` deep."""
    depth = _value_depth(parameters, 0)
    if depth > MAX_PARAMETER_DEPTH:
        raise _refuse(
            f"The parameters nest more than {MAX_PARAMETER_DEPTH} levels deep.",
            reason="parameters",
        )
    size = len(json.dumps(parameters, ensure_ascii=False).encode("utf-8"))
    if size > MAX_PARAMETER_BYTES:
        raise _refuse(
            f"The parameters take {size:,} bytes as JSON; at most {MAX_PARAMETER_BYTES:,} "
            "are accepted.",
            reason="parameters",
        )


def _value_depth(value: Any, depth: int) -> int:
    if depth > MAX_PARAMETER_DEPTH:
        return depth
    if isinstance(value, Mapping):
        return max((_value_depth(v, depth + 1) for v in value.values()), default=depth + 1)
    if isinstance(value, list | tuple):
        return max((_value_depth(v, depth + 1) for v in value), default=depth + 1)
    return depth


def nesting_depth(tokens: Sequence[Token]) -> int:
    """How deep the query's syntax tree may grow, as Neo4j's parser builds it.

    Each open bracket or ``CASE`` counts (a list or map bracket twice: the parser overflows
    at about 250 of those but 300 parentheses), and so does each operator chained at one
    level (``'a' + 'a' + …``, ``m.a.a…``: the parser overflows at about 500) and each
    ``NOT`` or sign in a row. Commas, clause keywords and ``AND``/``OR``/``XOR`` (which the
    parser flattens) start a new chain.
    """
    openers: list[str] = []
    chains = [0]
    weights = [0]
    deepest = run = 0
    previous: Token | None = None
    for token in tokens:
        if token.kind == "symbol" and token.text in _OPEN:
            if token.text == "[" and _ends_operand(previous):
                chains[-1] += 1  # an index, chained like an operator
            openers.append(_OPEN[token.text])
            weights.append(1 if token.text == "(" else 2)
            chains.append(0)
        elif token.is_word("CASE") and not _is_property(previous):
            openers.append("END")
            weights.append(1)
            chains.append(0)
        elif openers and (
            token.is_symbol(openers[-1])
            or (openers[-1] == "END" and token.is_word("END") and not _is_property(previous))
        ):
            openers.pop()
            weights.pop()
            chains.pop()
        elif token.is_symbol(",") or token.is_word(*_CHAIN_BREAKS):
            chains[-1] = 0
        sign = token.is_symbol("-", "+") and _expects_operand(previous)
        if not sign and (token.is_symbol(*_CHAINED) or token.is_word(*_CHAINED_WORDS)):
            chains[-1] += 1
        run = run + 1 if sign or token.is_word("NOT") else 0
        deepest = max(deepest, sum(weights) + sum(chains) + run)
        previous = token
    return deepest


def _ends_operand(previous: Token | None) -> bool:
    if previous is None:
        return False
    if previous.kind == "symbol":
        return previous.text in _CLOSE
    return previous.kind != "word" or previous.text.upper() not in _BEFORE_OPERAND


def _is_property(previous: Token | None) -> bool:
    return previous is not None and previous.is_symbol(".")


def _expects_operand(previous: Token | None) -> bool:
    if previous is None:
        return True
    if previous.kind == "symbol":
        return previous.text not in _CLOSE
    return previous.kind == "word" and previous.text.upper() in _BEFORE_OPERAND


def _pairs(tokens: Sequence[Token]) -> dict[int, int]:
    """Index of each opening bracket → index of its closing one (unclosed: the end)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind != "symbol":
            continue
        if token.text in _OPEN:
            stack.append(i)
        elif token.text in _CLOSE and stack:
            pairs[stack.pop()] = i
    for i in stack:
        pairs[i] = len(tokens)
    return pairs


class _Estimate:
    """The work and string growth of a token stream's expression-level loops."""

    def __init__(
        self, tokens: Sequence[Token], pairs: dict[int, int], parameters: Mapping[str, Any]
    ):
        self.tokens = tokens
        self.pairs = pairs
        self.parameters = parameters

    def _at(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def _call(self, i: int, *names: str) -> int | None:
        """The index of the ``(`` when tokens[i] calls one of ``names`` (not a property)."""
        token, after, before = self._at(i), self._at(i + 1), self._at(i - 1)
        if token is None or not token.is_word(*names) or after is None:
            return None
        if not after.is_symbol("(") or (before is not None and before.is_symbol(".")):
            return None
        return i + 1

    def _split(self, lo: int, hi: int, *, symbols: tuple[str, ...] = (",",),
               words: tuple[str, ...] = ()) -> list[tuple[int, int]]:  # fmt: skip
        """Spans of tokens[lo:hi] cut at top-level ``symbols`` / ``words``."""
        spans: list[tuple[int, int]] = []
        start = i = lo
        while i < hi:
            token = self.tokens[i]
            if token.kind == "symbol" and token.text in _OPEN:
                i = self.pairs[i] + 1
                continue
            if token.is_symbol(*symbols) or (words and token.is_word(*words)):
                spans.append((start, i))
                start = i + 1
            i += 1
        spans.append((start, hi))
        return spans

    def work(self, lo: int, hi: int) -> float:
        """Estimated steps of the expression-level loops in tokens[lo:hi]."""
        total = 0.0
        i = lo
        while i < hi:
            token = self.tokens[i]
            if token.is_symbol("[") and self._is_comprehension(i):
                close = self.pairs[i]
                parts = self._split(i + 3, close, symbols=("|",), words=("WHERE",))
                n = self.size(*parts[0])
                body = sum(self.work(a, b) for a, b in parts[1:])
                total += self.work(*parts[0]) + n * max(1.0, body)
                i = close + 1
                continue
            if (open_ := self._call(i, *_QUANTIFIERS)) is not None and self._is_loop(open_):
                close = self.pairs[open_]
                parts = self._split(open_ + 3, close, words=("WHERE",))
                n = self.size(*parts[0])
                body = sum(self.work(a, b) for a, b in parts[1:])
                total += self.work(*parts[0]) + n * max(1.0, body)
                i = close + 1
                continue
            if (open_ := self._call(i, "REDUCE")) is not None:
                total += self._reduce(open_)
                i = self.pairs[open_] + 1
                continue
            if (open_ := self._call(i, "RANGE")) is not None:
                close = self.pairs[open_]
                row_level = self._at(i - 1) is not None and self.tokens[i - 1].is_word("UNWIND")
                total += self.work(open_ + 1, close) + (0 if row_level else self.size(i, close + 1))
                i = close + 1
                continue
            i += 1
        return total

    def _is_comprehension(self, i: int) -> bool:
        """``[x IN list …]``: tokens[i] is ``[``."""
        return self._is_loop(i)

    def _is_loop(self, i: int) -> bool:
        """tokens[i] opens ``x IN …``."""
        name, keyword = self._at(i + 1), self._at(i + 2)
        return (
            name is not None
            and name.kind in ("word", "name")
            and keyword is not None
            and keyword.is_word("IN")
        )

    def _reduce(self, open_: int) -> float:
        """``reduce(acc = init, x IN list | body)``: the list's size squared (the accumulator
        may grow each step), or doubling each step when the body uses it twice."""
        close = self.pairs[open_]
        head = self._split(open_ + 1, close)
        if len(head) < 2 or head[0][1] - head[0][0] < 2:
            return self.work(open_ + 1, close)  # not a reduce Neo4j would accept
        accumulator = self.tokens[head[0][0]].text
        rest_lo = head[1][0]
        rest = self._split(rest_lo, close, symbols=("|",))
        loop_lo, loop_hi = rest[0]
        if loop_hi - loop_lo < 3 or not self.tokens[loop_lo + 1].is_word("IN"):
            return self.work(open_ + 1, close)
        n = self.size(loop_lo + 2, loop_hi)
        body_lo, body_hi = rest[1] if len(rest) > 1 else (loop_hi, loop_hi)
        uses = sum(
            1
            for j in range(body_lo, body_hi)
            if self.tokens[j].text == accumulator
            and not (j > 0 and self.tokens[j - 1].is_symbol("."))
        )
        steps = (n * n) if uses < 2 else (math.inf if n >= 60 else 64 * 2.0**n)
        inner = self.work(head[0][0], head[0][1]) + self.work(loop_lo + 2, loop_hi)
        return inner + steps * max(1.0, self.work(body_lo, body_hi))

    def size(self, lo: int, hi: int) -> float:
        """The estimated length of the list that tokens[lo:hi] evaluates to."""
        if hi - lo == 1 and self.tokens[lo].kind == "param":
            value = self.parameters.get(_param_name(self.tokens[lo].text))
            return float(len(value)) if isinstance(value, list) else UNKNOWN_SIZE
        if self.tokens[lo].is_symbol("[") and self.pairs.get(lo) == hi - 1:
            if self._is_loop(lo):
                return UNKNOWN_SIZE
            return float(len(self._split(lo + 1, hi - 1))) if hi - lo > 2 else 0.0
        if (open_ := self._call(lo, "RANGE")) is not None and self.pairs[open_] == hi - 1:
            return self._range_size(open_)
        if (open_ := self._call(lo, *_SMALL_LISTS)) is not None and self.pairs[open_] == hi - 1:
            return SMALL_SIZE
        return UNKNOWN_SIZE

    def _range_size(self, open_: int) -> float:
        args = self._split(open_ + 1, self.pairs[open_])
        values = [self._bound(a, b) for a, b in args]
        if any(v is None for v in values) or not 2 <= len(values) <= 3:
            return math.inf
        known = [v for v in values if isinstance(v, int)]
        if len(known) < len(values):
            return UNKNOWN_SIZE
        start, end = known[0], known[1]
        step = known[2] if len(known) == 3 else 1
        if step == 0:
            return 0.0
        return float(max(0, (end - start) // step + 1))

    def _bound(self, lo: int, hi: int) -> int | Literal["bounded"] | None:
        """A range bound: its integer value, ``"bounded"`` (sizes and lengths of something,
        plus or minus literals), or None (anything else)."""
        span = self.tokens[lo:hi]
        sign = -1 if span and span[0].is_symbol("-") else 1
        core = span[1:] if span and span[0].is_symbol("-", "+") else span
        if len(core) == 1:
            value = _integer(core[0], self.parameters)
            if value is not None:
                return sign * value
        i = lo
        while i < hi:
            token = self.tokens[i]
            if (open_ := self._call(i, "SIZE", "LENGTH")) is not None:
                i = self.pairs[open_] + 1
                continue
            if token.is_symbol("+", "-") or _integer(token, self.parameters) is not None:
                i += 1
                continue
            return None
        return "bounded"

    def growth(self, lo: int, hi: int) -> float:
        """How many times longer nested ``replace()`` calls in tokens[lo:hi] could make a
        string: the product of each call's factor along the deepest nesting."""
        deepest = 1.0
        i = lo
        while i < hi:
            if (open_ := self._call(i, "REPLACE")) is not None:
                close = self.pairs[open_]
                args = self._split(open_ + 1, close)
                inner = max((self.growth(a, b) for a, b in args), default=1.0)
                deepest = max(deepest, self._factor(args) * inner)
                i = close + 1
                continue
            i += 1
        return deepest

    def _factor(self, args: list[tuple[int, int]]) -> float:
        """How much one ``replace(text, search, replacement)`` can lengthen its text."""
        if len(args) != 3:
            return 1.0
        search, replacement = (self._literal(*span) for span in args[1:])
        if search is None or replacement is None:
            return 2.0
        if not search:
            return float(len(replacement) + 1)
        return max(1.0, len(replacement) / len(search))

    def _literal(self, lo: int, hi: int) -> str | None:
        if hi - lo != 1:
            return None
        token = self.tokens[lo]
        if token.kind == "string":
            return token.text[1:-1]
        if token.kind == "param":
            value = self.parameters.get(_param_name(token.text))
            return value if isinstance(value, str) else None
        return None


def _param_name(text: str) -> str:
    name = text[1:]
    return name[1:-1].replace("``", "`") if name.startswith("`") else name


def _integer(token: Token, parameters: Mapping[str, Any]) -> int | None:
    if token.kind == "number":
        text = token.text.replace("_", "").lower()
        try:
            if text.startswith("0x"):
                return int(text, 16)
            if text.startswith("0o"):
                return int(text[2:], 8)
            return int(text) if text.isdigit() else None
        except ValueError:
            return None
    if token.kind == "param":
        value = parameters.get(_param_name(token.text))
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None
