"""Progress for people at a terminal: the flow reports documents done, the CLI draws a bar.

Prefect's logs carry the same counts for scheduled runs; the bar is only drawn when stderr
is a terminal, so logs and CI output stay clean. While it is drawn, the log handlers that
write to that terminal print through the bar's console, above the bar: written straight to
the terminal, each log line left a copy of the bar in the scrollback.
"""
from __future__ import annotations

import io
import logging
import sys
from contextlib import contextmanager
from typing import IO, Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

_listeners: list[Callable[[int, int], None]] = []


def report(extracted: int, cached: int) -> None:
    for listener in _listeners:
        listener(extracted, cached)


class _AboveTheBar(io.TextIOBase):
    """A stream whose lines the bar's console prints above the bar. rich's own FileProxy,
    sys.stderr while the bar is drawn, serves print() and warnings but not Prefect's console
    handler: that writes through a Console of its own, which writes past a FileProxy."""

    def __init__(self, console: Console):
        self._console = console
        self._partial = ""

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        if lines:
            self._console.print(Text.from_ansi("\n".join(lines)), soft_wrap=True)
        return len(text)

    def isatty(self) -> bool:
        return True  # so that Prefect's handler styles its lines as for the terminal


@contextmanager
def _logs_above(console: Console, terminal: IO[str]) -> Iterator[None]:
    """Point the log handlers that write to ``terminal`` at ``console`` for the block: Prefect's
    console handler (of the root, uvicorn and fastapi loggers) and any other stream handler."""
    loggers = [logging.getLogger(), *(x for x in list(logging.Logger.manager.loggerDict.values()) if isinstance(x, logging.Logger))]
    handlers = list(dict.fromkeys(h for x in loggers for h in x.handlers if isinstance(h, logging.StreamHandler) and h.stream is terminal))
    consoles = [h.console for h in handlers if isinstance(getattr(h, "console", None), Console)]  # Prefect's handler prints with it
    for handler in handlers:
        handler.setStream(_AboveTheBar(console))
    for own in consoles:
        own.file = _AboveTheBar(console)
    try:
        yield
    finally:
        for handler in handlers:
            handler.setStream(terminal)
        for own in consoles:
            own.file = terminal


@contextmanager
def terminal_progress(console: Console | None = None) -> Iterator[None]:
    """Show a live count of documents extracted and reused while the block runs, on
    ``console`` (default: stderr, when it is a terminal; a log file or CI output gets no
    bar, whatever FORCE_COLOR says)."""
    if console is None:
        if not sys.stderr.isatty():
            yield
            return
        console = Console(stderr=True)
    terminal = console.file
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=console,
                  transient=True, redirect_stdout=sys.stdout.isatty()) as bar, _logs_above(console, terminal):  # (print() to a redirected stdout stays there)
        task = bar.add_task("documents", total=None, detail="")

        def update(extracted: int, cached: int) -> None:
            bar.update(task, completed=extracted + cached, detail=f"{extracted + cached:,} ({extracted:,} extracted, {cached:,} from cache)")

        _listeners.append(update)
        try:
            yield
        finally:
            _listeners.remove(update)
