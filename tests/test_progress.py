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


def test_a_log_line_prints_above_the_bar_and_leaves_no_copy_of_it(terminal):
    from prefect.logging.handlers import PrefectConsoleHandler

    console, stream = terminal
    handler = PrefectConsoleHandler(stream=stream)  # as Prefect's logging.yml makes it, on stderr
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.progress")
    logger.addHandler(handler)
    try:
        with progress.terminal_progress(console):
            progress.report(0, 3)
            logger.warning("the first batch is slow")
        logger.warning("the bar is gone")
    finally:
        logger.removeHandler(handler)
    assert screen(stream.getvalue()) == ["WARNING the first batch is slow", "WARNING the bar is gone"]
    assert handler.stream is stream and handler.console.file is stream  # after the bar, straight to the terminal again
