"""Researchers' own Cypher: read-only, bounded in time, memory, rows, bytes and concurrency.

The defences, each where it can be enforced rather than guessed:

1. :mod:`~api.cypher.text` reads the query's tokens before anything reaches Neo4j and
   refuses what the server could not stop or answer: syntax nested deep enough to overflow
   its parser, planner options (``CYPHER debug=…``, ``replan=force``), expression-level loops
   and string growth beyond a budget, oversized parameters.
2. :mod:`~api.cypher.plan` asks the planner (``EXPLAIN``) and refuses anything but a plain
   read of the graph: writes, schema and administration, ``LOAD CSV``, ``CALL … IN
   TRANSACTIONS``, procedures outside a short allowlist, other databases.
3. :mod:`~api.cypher.service` runs it in a read-only transaction on drivers of its own, a
   few at a time, answers by the deadline and makes sure the server's transaction is gone,
   and stops the result at a row cap or a byte budget (:mod:`~api.cypher.values`).
"""

from api.cypher.plan import check_plan
from api.cypher.service import CypherLimits, CypherOutcome, CypherService
from api.cypher.text import check_query
from api.cypher.values import to_json

__all__ = [
    "CypherLimits",
    "CypherOutcome",
    "CypherService",
    "check_plan",
    "check_query",
    "to_json",
]
