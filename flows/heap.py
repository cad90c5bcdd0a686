"""A long-lived process's memory: free heap pages given back, built objects out of the
collector's way.

glibc returns freed memory to the system only from the top of its heap. A process that
frees many blocks while keeping a few long-lived ones among them holds the free pages as its
own: an extraction process frees a batch's Docs among the strings its vocabulary keeps, the
flow's process a batch's results among the spool's buffers. ``malloc_trim(0)`` once a batch
hands them back (madvise): an extraction process's usual level on MedQuAD fell from a median
of 287 to 259 MB, for ~2.6 % of its time (docs/performance.md, fifteenth round).

Python's cyclic collector scans every container object at each full collection, those a
process built at start and keeps to its end too: an extraction process's pipeline and
lexicon. ``gc.freeze`` after the build takes them out of the scans (docs/performance.md,
sixteenth round).
"""
from __future__ import annotations

import ctypes
import gc


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


def set_aside_what_was_built() -> None:
    """Exempt every object alive now from the cyclic collector's scans, for the rest of the
    process; call it once, after building what the process keeps to its end. The garbage of
    the build is collected first, not frozen with it."""
    gc.collect()
    gc.freeze()
