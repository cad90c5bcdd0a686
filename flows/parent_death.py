"""A child process that dies with its parent, also when the parent is SIGKILLed.

The OOM killer or `kill -9` skips every cleanup of the parent: its children ran on, orphaned
(the temporary API server; an extraction child inside one long C call, such as a regular
expression gone catastrophic, which holds the GIL so that no thread of its own can notice).
Linux's ``PR_SET_PDEATHSIG`` has the kernel signal the child instead. The kernel follows the
*thread* that started the child, not its process: start such children from a thread that
lives as long as the process (the main thread, or :func:`start_on_launcher`'s).
"""
from __future__ import annotations

import ctypes
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")

PR_SET_PDEATHSIG = 1  # prctl(2)

# One thread, kept until the process exits, that starts children which must die with the
# process: a task thread of Prefect's runner ends with its run, and its children with it.
_launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="child-launcher")


def _new_launcher() -> None:
    """A forked process has the executor but not its thread: submitting to it would wait forever."""
    global _launcher
    _launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="child-launcher")


os.register_at_fork(after_in_child=_new_launcher)


def start_on_launcher(start: Callable[..., T], *args, **kwargs) -> T:
    """``start(*args, **kwargs)`` (a ``subprocess.Popen``) run on the launcher thread."""
    return _launcher.submit(start, *args, **kwargs).result()


def die_with_parent(parent: int, signum: int) -> None:
    """In the child: receive ``signum`` when the parent's starting thread ends, and exit now
    if the parent (pid ``parent``) is already gone. No-op outside Linux."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum)
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)
