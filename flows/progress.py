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
from datetime import timedelta
from time import monotonic
from typing import IO, Callable, Iterable, Iterator

from rich.console import Console, RenderableType
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

_listeners: list[Callable[[int, int, int | None, bool], None]] = []


def report(extracted: int, cached: int, total: int | None = None, final: bool = False) -> None:
    """Documents done so far; ``total``: documents to process among those read so far (None:
    as last reported); ``final``: the input is read to its end, so ``total`` is all of them.
    Cheap enough per document: the bar only takes the latest counts when it redraws."""
    for listener in _listeners:
        listener(extracted, cached, total, final)


class _DocumentsBar(Progress):
    """Documents done, of the total once the input is read, and the time left at the rate
    documents have been extracted since the first one was found (the cache's take no time),
    counting down between the batches that update it."""

    def __init__(self, console: Console):
        self._counts: tuple[int, int, int, bool] | None = None  # extracted, cached, total, final
        self._extraction_started: float | None = None
        self._rate: tuple[float, float] | None = None  # (when, documents extracted per second)
        super().__init__(TextColumn("documents"), BarColumn(), TextColumn("{task.fields[counts]}"), TimeElapsedColumn(),
                         TextColumn("{task.fields[left]}"), console=console, transient=True, refresh_per_second=4,
                         redirect_stdout=sys.stdout.isatty())  # (print() to a redirected stdout stays there)
        self._task = self.add_task("documents", total=None, counts="", left="")

    def count(self, extracted: int, cached: int, total: int | None, final: bool) -> None:
        previous = self._counts or (0, 0, 0, False)
        if total is None:
            total, final = previous[2:]
        if self._extraction_started is None and total > cached:
            self._extraction_started = monotonic()
        if extracted != previous[0] and self._extraction_started is not None:
            now = monotonic()
            self._rate = (now, extracted / (now - self._extraction_started))
        self._counts = (extracted, cached, total, final)  # one assignment: the bar reads it from its own thread

    def get_renderables(self) -> Iterable[RenderableType]:
        if self._counts is not None:
            extracted, cached, total, final = self._counts
            counts = f"{extracted + cached:,} of {total:,}{'' if final else ' found so far'} ({extracted:,} extracted, {cached:,} from cache)"
            left = ""
            if final and self._rate is not None and extracted < total - cached:
                rated_at, rate = self._rate
                seconds = max(0.0, (total - cached - extracted) / rate - (monotonic() - rated_at))
                left = f"{timedelta(seconds=round(seconds))} left"
            self.update(self._task, completed=extracted + cached, total=total if final else None, counts=counts, left=left)
        yield from super().get_renderables()


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
    with _DocumentsBar(console) as bar, _logs_above(console, terminal):
        _listeners.append(bar.count)
        try:
            yield
        finally:
            _listeners.remove(bar.count)
