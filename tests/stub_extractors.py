"""Extraction factories for tests of flows.extraction_worker: they run in its child process,
so a test can make one document hang, crash or raise there (no monkeypatching reaches a child).

Markers in a document's text:
  HANG_IN_REGEX  catastrophic backtracking inside one re call (C code that holds the GIL)
  HANG_IN_SLEEP  sleeps for an hour
  EXIT_PROCESS   os._exit(3)
  KILL_PROCESS   SIGKILL to itself (what the OOM killer does)
  SEGFAULT       SIGSEGV to itself
  RAISE_ERROR    raises ValueError with a two-line message
  SLOW_1S        takes one second
  ANSWER_FOR_ANOTHER  its result names another document (a bug the supervisor raises for)
  FRAGMENT_HEAP  frees ~200 MB of the C heap among small blocks it keeps, as a group of
                 Docs does among the vocabulary's strings (glibc keeps such free pages)

Each result of ``light`` carries its child's pid, resident memory (``rss_mb``, Linux) and the
number of objects the child set aside from the cyclic collector (``frozen``).
"""
from __future__ import annotations

import gc
import os
import re
import signal
import time

_KEPT: list[bytes] = []  # the small blocks FRAGMENT_HEAP keeps alive


def _misbehave(text: str) -> None:
    if "HANG_IN_REGEX" in text:
        re.match(r"(a+)+$", "a" * 64 + "!")  # 2**64 steps
    if "HANG_IN_SLEEP" in text:
        time.sleep(3600)
    if "EXIT_PROCESS" in text:
        os._exit(3)
    if "KILL_PROCESS" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if "SEGFAULT" in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "RAISE_ERROR" in text:
        raise ValueError("bad\ndocument")
    if "SLOW_1S" in text:
        time.sleep(1)
    if "FRAGMENT_HEAP" in text:
        freed = []
        for index in range(100_000):
            freed.append(bytes(2000))  # above pymalloc's 512 bytes: glibc's heap
            if index % 64 == 0:
                _KEPT.append(bytes(600))
        del freed


def _rss_mb() -> int | None:
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS:"))
    except OSError:
        return None


def _answer(result: dict, text: str) -> dict:
    return {**result, "doc_id": "someone-else"} if "ANSWER_FOR_ANOTHER" in text else result


def light(options):
    """No pipeline: echoes the text and the child's pid (fast to start, for supervisor tests)."""
    def extract(doc_id: str, text: str) -> dict:
        _misbehave(text)
        extraction = {"pid": os.getpid(), "rss_mb": _rss_mb(), "frozen": gc.get_freeze_count(), "text": text, "options": options}
        return _answer({"doc_id": doc_id, "extraction": extraction, "signature": [1], "error": ""}, text)

    return extract


class _Grouped:
    """Like ``light``, and extracts groups too (``many``), as the flow's extraction does: a
    misbehaving document takes its whole group down with it."""

    def __init__(self, options):
        self.extract = light(options)

    def __call__(self, doc_id: str, text: str) -> dict:
        return self.extract(doc_id, text)

    def many(self, documents) -> list[dict]:
        return [{**self.extract(doc_id, text), "group": [d for d, _ in documents]} for doc_id, text in documents]


def grouped(options):
    return _Grouped(options)


class _Checked:
    """The flow's extraction (documents one by one, or a group together), except for documents
    carrying a marker: one in a group takes the whole group down, as a real hang would."""

    def __init__(self, extract):
        self.extract = extract

    def __call__(self, doc_id: str, text: str) -> dict:
        _misbehave(text)
        return _answer(self.extract(doc_id, text), text)

    def many(self, documents) -> list[dict]:
        for _, text in documents:
            _misbehave(text)
        return [_answer(result, text) for result, (_, text) in zip(self.extract.many(documents), documents)]


def real(options):
    from flows.extraction_worker import document_extractor

    return _Checked(document_extractor(options))


def failing_start(options):
    raise RuntimeError("no pipeline today")


class _Fingerprinted:
    """``light``, saying it built the pipeline its options name, as the flow's extraction says
    which one it built."""

    def __init__(self, options):
        self.extract = light(options)
        self.fingerprint = options

    def __call__(self, doc_id: str, text: str) -> dict:
        return self.extract(doc_id, text)


def fingerprinted(options):
    return _Fingerprinted(options)


def small_memory(options):
    """``light`` in a child whose address space may grow by 64 MB only: a request larger than
    that kills it while it reads it (as a huge batch does a child the OOM killer picks)."""
    import resource

    with open("/proc/self/status") as status:
        size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    limit = (size_kb + 64 * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return light(options)


def unwatched_by_the_kernel(options):
    """``light`` in a child without the kernel's death signal (as on macOS): only its own
    watch thread can notice that its parent is gone."""
    import ctypes

    from flows.parent_death import PR_SET_PDEATHSIG

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, 0)
    return light(options)
