"""Running a coroutine from a test, whatever the thread's own event loop is doing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_async(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``main()`` in a fresh event loop of its own thread.

    The browser tests keep an event loop running in the main thread for the whole session,
    and ``asyncio.run`` refuses to start inside one. The coroutine is only created in the
    new thread, so a refusal can never leave one unawaited.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result()
