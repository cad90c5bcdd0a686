"""One process at a time writes an output folder.

Two runs into one folder (a nightly run still going when the next one starts, a run by hand
during the scheduled one) would interleave their tables, and each would drop the other's
cache entries as "no longer in the input"; a ``decide`` during a run would be overwritten by
the run's conflicts table. So ``run`` (the flow, however it is started) and ``decide`` hold
an advisory lock on ``<output>/.cache/run.lock`` while they read and write the folder, and a
second one stops with :class:`OutputBusy`, naming the holder: at once, or after waiting for
it up to ``wait_s`` (a scheduled run that meets a run by hand waits for it rather than losing
its night).

The lock is ``flock(2)``: the kernel releases it when its holder exits, however it ends
(SIGKILL, a crash, a power loss), so a lock is never left behind to be cleared by hand. It
holds between processes on one machine and on local file systems; on NFS, Linux emulates it
with the server's byte-range locks (docs/reliability.md).
"""
from __future__ import annotations

import fcntl
import os
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

LOCK_NAME = "run.lock"
WAIT_POLL_S = 5.0  # how often a waiting run tries the lock again

# Folders this process holds, with how many holds are open: the CLI takes the lock before it
# starts Prefect (so that a busy folder fails in a second), and the flow it runs takes it again.
_held: dict[Path, int] = {}


class OutputBusy(Exception):
    """Another process holds the output folder's lock; nothing was read or written."""


def lock_path(output: Path) -> Path:
    return Path(output) / ".cache" / LOCK_NAME


def _holder(handle) -> str:
    handle.seek(0)
    return handle.read().strip() or "a process that has not said which"


def _lock(handle, folder: Path, wait_s: float, on_wait: Callable[[str], None] | None) -> None:
    """Take the lock on the open ``handle``, trying again every WAIT_POLL_S for up to ``wait_s``."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                waited = f" (waited {wait_s:g} s)" if wait_s else ""
                raise OutputBusy(f"{folder} is being written by another symptom-claims process ({_holder(handle)}){waited}; "
                                 "wait for it to end, or write to another --output") from None
            if on_wait is not None:
                on_wait(f"{folder} is being written by another symptom-claims process ({_holder(handle)}): waiting up to {left:.0f} s")
                on_wait = None  # said once
            time.sleep(min(WAIT_POLL_S, left))


@contextmanager
def exclusive_output(output: Path, command: str = "run", wait_s: float = 0,
                     on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock on ``output`` for the block, or raise :class:`OutputBusy` once another
    holder has kept it ``wait_s`` seconds (0: at once); ``on_wait`` is told when waiting starts."""
    folder = Path(output).resolve()
    if folder in _held:
        _held[folder] += 1
        try:
            yield
        finally:
            _held[folder] -= 1
        return
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        _lock(handle, folder, wait_s, on_wait)
        handle.seek(0)
        handle.truncate()
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        handle.write(f"`{command}`, pid {os.getpid()} on {socket.gethostname()}, since {started}\n")
        handle.flush()
        _held[folder] = 1
        try:
            yield
        finally:
            del _held[folder]
            handle.seek(0)
            handle.truncate()  # (the kernel drops the lock when the file closes)
