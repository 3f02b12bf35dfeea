"""Injecting one unexpected failure into the app, to test its one error path."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

INJECTED = "injected failure"


class FailOnce:
    """Wraps a function so that its first call raises RuntimeError(INJECTED) and later
    calls do what it does; `failed` is set once it has raised (to wait for a timer)."""

    def __init__(self) -> None:
        self.failed = asyncio.Event()

    def wrap(self, original: Callable[..., Any]) -> Callable[..., Any]:
        """`original`, failing the first time; it keeps its name, so the log names it."""

        @functools.wraps(original)
        def once(*args: Any, **kwargs: Any) -> Any:
            if not self.failed.is_set():
                self.failed.set()
                raise RuntimeError(INJECTED)
            return original(*args, **kwargs)

        return once

    async def wait(self) -> None:
        """Until the failure has happened (a timer fired), at most five seconds."""
        await asyncio.wait_for(self.failed.wait(), timeout=5)
