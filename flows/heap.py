"""Giving the C heap's free memory back to the system (glibc's ``malloc_trim``).

glibc returns freed memory to the system only from the top of its heap. A process that
frees many blocks while keeping a few long-lived ones among them holds the free pages as its
own: an extraction process frees a batch's Docs among the strings its vocabulary keeps, the
flow's process a batch's results among the spool's buffers. ``malloc_trim(0)`` hands every
free page inside the heap back (madvise). Measured on MedQuAD in one process, resident
memory after each group of 32 documents: median 287 -> 259 MB and 90th percentile
305 -> 285 MB when trimmed once a batch, which is what the sum of a run's processes feels;
the process's own peak (328 MB, a group of long documents) stays. Trimmed once a group it
gave back a little more (median 251 MB) but cost ~4 % of the extraction time of a
one-worker run, the pages being faulted in again by the next group; once a batch, ~2.6 %
on average (four A/B pairs: +0.4 to +4.6 %; docs/performance.md, fifteenth round).
"""
from __future__ import annotations

import ctypes


def _glibc_malloc_trim():
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # no glibc (musl, macOS; Windows has no CDLL(None)): nothing to give back this way
        return None
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    return trim


_malloc_trim = _glibc_malloc_trim()


def return_free_memory() -> None:
    """Give the free pages inside this process's C heap back to the system."""
    if _malloc_trim is not None:
        _malloc_trim(0)
