"""One process at a time writes an output folder.

Two runs into one folder (a nightly run still going when the next one starts, a run by hand
during the scheduled one) would interleave their tables, and each would drop the other's
cache entries as "no longer in the input"; a ``decide`` during a run would be overwritten by
the run's conflicts table. So ``run`` (the flow, however it is started) and ``decide`` hold
an advisory lock on ``<output>/.cache/run.lock`` while they read and write the folder, and a
second one stops at once with :class:`OutputBusy`, naming the holder.

The lock is ``flock(2)``: the kernel releases it when its holder exits, however it ends
(SIGKILL, a crash, a power loss), so a lock is never left behind to be cleared by hand. It
holds between processes on one machine and on local file systems; on NFS, Linux emulates it
with the server's byte-range locks (docs/reliability.md).
"""
from __future__ import annotations

import fcntl
import os
import socket
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

LOCK_NAME = "run.lock"

# Folders this process holds, with how many holds are open: the CLI takes the lock before it
# starts Prefect (so that a busy folder fails in a second), and the flow it runs takes it again.
_held: dict[Path, int] = {}


class OutputBusy(Exception):
    """Another process holds the output folder's lock; nothing was read or written."""


def lock_path(output: Path) -> Path:
    return Path(output) / ".cache" / LOCK_NAME


@contextmanager
def exclusive_output(output: Path, command: str = "run") -> Iterator[None]:
    """Hold the lock on ``output`` for the block, or raise :class:`OutputBusy` at once."""
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
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "a process that has not said which"
            raise OutputBusy(f"{folder} is being written by another symptom-claims process ({holder}); "
                             "wait for it to end, or write to another --output") from None
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
