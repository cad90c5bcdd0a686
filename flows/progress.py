"""Progress for people at a terminal: the flow reports documents done, the CLI draws a bar.

Prefect's logs carry the same counts for scheduled runs; the bar is only drawn when stderr
is a terminal, so logs and CI output stay clean.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

_listeners: list[Callable[[int, int], None]] = []


def report(extracted: int, cached: int) -> None:
    for listener in _listeners:
        listener(extracted, cached)


@contextmanager
def terminal_progress(enabled: bool | None = None) -> Iterator[None]:
    """Show a live count of documents extracted and reused while the block runs."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task("documents", total=None, detail="")

        def update(extracted: int, cached: int) -> None:
            bar.update(task, completed=extracted + cached, detail=f"{extracted + cached:,} ({extracted:,} extracted, {cached:,} from cache)")

        _listeners.append(update)
        try:
            yield
        finally:
            _listeners.remove(update)
