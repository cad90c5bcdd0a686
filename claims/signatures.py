"""MinHash signatures of documents (Broder 1997), computed where the text is.

A signature is 128 minima of character 5-gram keys under affine permutations, as datasketch
computes them, done in numpy. Character shingles rather than word shingles because health
passages are short: one changed word in a 20-word passage leaves word 5-shingle Jaccard near
0.6 but character 5-gram Jaccard near 0.84. The extraction workers compute each document's
signature and the extraction cache keeps it, so this module is part of the pipeline
fingerprint (:data:`extractors.options.SIGNATURE_CODE`): editing it re-extracts a corpus.
How signatures are compared (:mod:`claims.dedup`) is not, and can change freely.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence, Union

import numpy as np

NUM_PERM = 128
Signature = Union[Sequence[int], np.ndarray]  # NUM_PERM uint64 values: a list, or an array as the spool keeps them
SHINGLE_CHARS = 5
_WORD = re.compile(r"\w+")
# A shingle's key is the polynomial of its code points in this odd 64-bit base, mod 2^64
# (MurmurHash3's fmix64 constants, then the finalizer itself before the permutations).
_BASE = np.uint64(0x9E3779B97F4A7C15)
_FMIX64 = (33, np.uint64(0xFF51AFD7ED558CCD), 33, np.uint64(0xC4CEB9FE1A85EC53), 33)
_ROWS_PER_BLOCK = 4096  # shingles permuted at once: 4096 x NUM_PERM x 8 bytes = 4 MB


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a*h + b mod 2^64 of datasketch's
    MinHash(NUM_PERM, seed=1, scheme="affine64"), drawn the same way (a odd, so bijective)."""
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 63, NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = generator.randint(0, 1 << 64, NUM_PERM, dtype=np.uint64)
    return a, b


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, a bijection that spreads every input bit over the word."""
    s1, m1, s2, m2, s3 = _FMIX64
    values = values ^ (values >> np.uint64(s1))
    values = values * m1
    values = values ^ (values >> np.uint64(s2))
    values = values * m2
    return values ^ (values >> np.uint64(s3))


def shingle_keys(text: str) -> np.ndarray:
    """The distinct 64-bit keys of the document's shingles: every SHINGLE_CHARS characters of
    its lower-cased words joined by single spaces (the whole folded text when shorter).

    A key is the polynomial of the shingle's code points in _BASE mod 2^64, computed for all
    positions at once; two different shingles share a key only by a 64-bit accident."""
    folded = " ".join(_WORD.findall(text.lower()))
    codes = np.frombuffer(folded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = min(SHINGLE_CHARS, len(codes))
    keys = np.zeros(len(codes) - width + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            keys = keys * _BASE + codes[offset:len(codes) - width + 1 + offset]
    return np.unique(keys)


def document_signature(text: str) -> list[int]:
    """MinHash signature (Broder 1997) of the document's shingles, as plain ints (picklable).

    It equals datasketch's ``MinHash(NUM_PERM, seed=1, scheme="affine64")`` updated with the
    shingle keys (a test holds them together), but all in numpy: a Python set of shingle
    bytes and datasketch's default SHA-1 of each, one call per shingle, made signatures ~3x
    slower (25.7 -> 10.3 s of CPU on MedQuAD).
    """
    a, b = _permutations()
    mixed = _fmix64(shingle_keys(text))
    signature = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    buffer = np.empty((min(len(mixed), _ROWS_PER_BLOCK), NUM_PERM), dtype=np.uint64)  # in place: no temporaries
    for start in range(0, len(mixed), _ROWS_PER_BLOCK):
        keys = mixed[start:start + _ROWS_PER_BLOCK, None]
        block = buffer[:len(keys)]
        np.multiply(keys, a, out=block)  # wraps mod 2^64, as the permutations mean
        block += b
        np.minimum(signature, block.min(axis=0), out=signature)
    return signature.tolist()
