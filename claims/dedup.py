"""Near-duplicate documents: copied or syndicated passages should not look like corroboration.

Documents are compared by MinHash signatures (Broder 1997) of character 5-grams over the
lower-cased words, indexed with LSH (datasketch) at Jaccard >= NEAR_DUPLICATE_THRESHOLD.
Character shingles rather than word shingles because health passages are short: one
changed word in a 20-word passage leaves word 5-shingle Jaccard near 0.6 but character
5-gram Jaccard near 0.84. A signature is computed where the
text is (the extraction workers) and only the signature travels to the consolidation step.
"""
from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
# 32 bands of 4 rows: a pair at Jaccard 0.8 becomes a candidate with probability ~1, one at
# 0.3 with ~0.23; every candidate is then checked against the threshold, so recall is
# bought with a few cheap comparisons (datasketch's default split for 0.8 misses ~1 in 4).
LSH_BANDS_ROWS = (32, 4)
SCHEME = "affine64"  # datasketch 2: fixed explicitly so stored signatures stay comparable
SHINGLE_CHARS = 5
NEAR_DUPLICATE_THRESHOLD = 0.8
_WORD = re.compile(r"\w+")


def document_signature(text: str) -> list[int]:
    """MinHash signature of the document's character shingles (plain ints, picklable)."""
    folded = " ".join(_WORD.findall(text.lower()))
    shingles = {folded[i:i + SHINGLE_CHARS] for i in range(max(1, len(folded) - SHINGLE_CHARS + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.tolist()


def find_duplicates(signatures: dict[str, list[int]], sha256: dict[str, str]) -> dict[str, str]:
    """Map each duplicate doc_id to the first (sorted) doc_id of its group.

    Exact duplicates are found by text hash; near duplicates by LSH candidates whose
    estimated Jaccard similarity passes the threshold.
    """
    parent: dict[str, str] = {}

    def find(doc_id: str) -> str:
        while parent.get(doc_id, doc_id) != doc_id:
            doc_id = parent[doc_id]
        return doc_id

    def union(a: str, b: str) -> None:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)

    first_with_hash: dict[str, str] = {}
    for doc_id in sorted(sha256):
        digest = sha256[doc_id]
        if digest in first_with_hash:
            union(first_with_hash[digest], doc_id)
        else:
            first_with_hash[digest] = doc_id
    lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS_ROWS)
    minhashes = {}
    for doc_id in sorted(signatures):
        minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=np.array(signatures[doc_id], dtype=np.uint64))
        for candidate in lsh.query(minhash):
            if minhash.jaccard(minhashes[candidate]) >= NEAR_DUPLICATE_THRESHOLD:
                union(candidate, doc_id)
        lsh.insert(doc_id, minhash)
        minhashes[doc_id] = minhash
    return {doc_id: find(doc_id) for doc_id in set(signatures) | set(sha256) if find(doc_id) != doc_id}
