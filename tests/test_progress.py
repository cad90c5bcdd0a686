"""The CLI's progress bar, drawn on a terminal emulated by a StringIO."""
import io
import logging
import re

import pytest
from rich.console import Console

from flows import progress


@pytest.fixture
def terminal():
    stream = io.StringIO()
    return Console(file=stream, force_terminal=True, width=150), stream


def screen(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw``: rich draws the bar with carriage returns,
    erase line (CSI 2K) and cursor up (CSI A), and styles it (CSI m)."""
    lines, row = [""], 0
    for token in re.findall(r"\x1b\[[\d;?]*[a-zA-Z]|\r|\n|[^\x1b\r\n]+", raw):
        if token == "\n":
            row += 1
            lines += [""] * (row + 1 - len(lines))
        elif token.startswith("\x1b") and token.endswith("A"):
            row -= int(token[2:-1] or 1)
        elif token == "\x1b[2K":
            lines[row] = ""
        elif token[0] not in "\x1b\r":
            lines[row] += token
    return [line for line in lines if line]


def last_bar(raw: str) -> str:
    """The bar as last drawn (rich erases the line before each drawing)."""
    return re.sub(r"\x1b\[[\d;?]*[a-zA-Z]|\r|\n", "", raw.split("\x1b[2K")[-2]).strip()


def test_a_log_line_prints_above_the_bar_and_leaves_no_copy_of_it(terminal):
    from prefect.logging.handlers import PrefectConsoleHandler

    console, stream = terminal
    handler = PrefectConsoleHandler(stream=stream)  # as Prefect's logging.yml makes it, on stderr
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.progress")
    logger.addHandler(handler)
    try:
        with progress.terminal_progress(console):
            progress.report(0, 3, 10)
            logger.warning("the first batch is slow")
        logger.warning("the bar is gone")
    finally:
        logger.removeHandler(handler)
    assert screen(stream.getvalue()) == ["WARNING the first batch is slow", "WARNING the bar is gone"]
    assert handler.stream is stream and handler.console.file is stream  # after the bar, straight to the terminal again


def test_the_bar_counts_cached_documents_and_shows_the_total_and_time_left_once_the_input_is_read(terminal, monkeypatch):
    console, stream = terminal
    now = [100.0]
    monkeypatch.setattr(progress, "monotonic", lambda: now[0])
    with progress.terminal_progress(console):
        progress.report(0, 2, 2)  # two documents from the cache while the input is read
    assert "2 of 2 found so far (0 extracted, 2 from cache)" in last_bar(stream.getvalue())
    with progress.terminal_progress(console):
        progress.report(0, 2, 12)  # the first document to extract: 10 of them, then the input's end
        now[0] = 110.0
        progress.report(4, 2, 12, final=True)  # 4 extracted in 10 s: 6 more take 15 s
        progress.report(4, 2)  # (a batch's report says nothing of the total)
        now[0] = 115.0  # and 5 s later, no batch done since, 10 s
    assert re.search(r"6 of 12 \(4 extracted, 2 from cache\) \d:\d\d:\d\d 0:00:10 left$", last_bar(stream.getvalue()))
