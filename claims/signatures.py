"""MinHash signatures of documents, computed where the text is.

A signature is NUM_PERM slots of one-permutation MinHash (Li, Owen & Zhang 2012, "One
Permutation Hashing") over the document's character 5-gram keys: each key is hashed once, its
top bits pick a slot and the slot keeps its smallest hash; a slot no key fell into takes the
value of the first filled slot in a fixed random order of the slots (Shrivastava 2017,
"Optimal Densification for Fast and Accurate Minwise Hashing"). The share of slots two
signatures agree in estimates the Jaccard similarity of their shingles as classic MinHash
does (NUM_PERM independent permutations, datasketch's scheme until the thirty-seventh round),
but each key is hashed once instead of NUM_PERM times: 2.3x less CPU per document on MedQuAD
(docs/performance.md). Character shingles rather than word shingles because health passages
are short: one changed word in a 20-word passage leaves word 5-shingle Jaccard near 0.6 but
character 5-gram Jaccard near 0.84. The extraction workers compute each document's signature
and the extraction cache keeps it, so this module is part of the pipeline fingerprint
(:data:`extractors.options.SIGNATURE_CODE`): editing it re-extracts a corpus. How
signatures are compared (:mod:`claims.dedup`) is not, and can change freely.
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
# (MurmurHash3's fmix64 constants, then the finalizer itself before its slot is picked).
_BASE = np.uint64(0x9E3779B97F4A7C15)
_FMIX64 = (33, np.uint64(0xFF51AFD7ED558CCD), 33, np.uint64(0xC4CEB9FE1A85EC53), 33)
_SLOT_BITS = NUM_PERM.bit_length() - 1  # a key's top bits name its slot
if NUM_PERM != 1 << _SLOT_BITS:
    raise ValueError("NUM_PERM must be a power of two: a key's top bits pick its slot")


@lru_cache(maxsize=1)
def _probe_orders() -> np.ndarray:
    """Row i: slot i, then every other slot in a random order drawn once (seed 1). An empty
    slot takes the value of the first filled slot of its row. The rows are the same for every
    document, so where slot i is empty in two documents both copy from the first slot of the
    row that either fills, and agree exactly when they agree there: with the probability of
    their Jaccard similarity, as a filled slot does, so a pair's estimate stays unbiased. (A
    copied slot repeats its source's agreement, so pairs chosen by agreeing slots, as LSH
    chooses its candidates, lean high: docs/performance.md, thirty-seventh round.)"""
    generator = np.random.RandomState(1)
    slots = np.arange(NUM_PERM)
    return np.array([np.r_[slot, generator.permutation(np.delete(slots, slot))] for slot in slots])


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
    """One-permutation MinHash signature of the document's shingles, as plain ints (picklable):
    slot i holds the smallest mixed key whose top bits are i, or, when there is none, the
    value of the first filled slot in row i of :func:`_probe_orders`."""
    mixed = np.sort(_fmix64(shingle_keys(text)))
    slots = (mixed >> np.uint64(64 - _SLOT_BITS)).astype(np.intp)
    smallest = np.flatnonzero(np.r_[True, slots[1:] != slots[:-1]])  # sorted: each slot's first key is its least
    values, filled = np.zeros(NUM_PERM, dtype=np.uint64), np.zeros(NUM_PERM, dtype=bool)
    values[slots[smallest]], filled[slots[smallest]] = mixed[smallest], True
    orders = _probe_orders()
    return values[orders[np.arange(NUM_PERM), filled[orders].argmax(axis=1)]].tolist()
