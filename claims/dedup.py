"""Near-duplicate documents: copied or syndicated passages should not look like corroboration.

Documents are compared by their MinHash signatures (:mod:`claims.signatures`), indexed with
LSH banding as datasketch's MinHashLSH does it (in numpy here), at Jaccard >=
NEAR_DUPLICATE_THRESHOLD. Only the signatures travel from the extraction workers to the
consolidation step.
"""
from __future__ import annotations

from typing import Iterator, Mapping

import numpy as np

from claims.signatures import NUM_PERM, Signature

# 32 bands of 4 rows: a pair at Jaccard 0.8 becomes a candidate with probability ~1, one at
# 0.3 with ~0.23; every candidate is then checked against the threshold, so recall is
# bought with a few cheap comparisons (datasketch's default split for 0.8 misses ~1 in 4).
LSH_BANDS_ROWS = (32, 4)
NEAR_DUPLICATE_THRESHOLD = 0.8
if NUM_PERM % 8 or NUM_PERM > 255:
    raise ValueError("_count_per_row adds a signature's agreeing values in 8-byte words and in one byte")


def _earlier_band_mates(matrix: np.ndarray) -> Iterator[tuple[int, list[np.ndarray]]]:
    """(row, its earlier mates band by band) for each row in order that has any: in each band
    of LSH_BANDS_ROWS (datasketch's MinHashLSH banding), the sorted indices of the earlier rows
    that share all rows of the band with it; a mate sharing several bands is in several lists.

    Each band's rows are grouped by their values once (a stable sort, so a group lists its
    members in order); a row's earlier mates in that band are the members before it, a slice
    of the band's order. Rows without any (most documents) are skipped in numpy, not visited
    one by one."""
    bands, rows = LSH_BANDS_ROWS
    count = len(matrix)
    orders, group_starts, positions = [], [], []
    earlier = np.zeros(count, dtype=np.int64)  # earlier mates of each row, summed over the bands
    for band in range(bands):
        keys = np.ascontiguousarray(matrix[:, band * rows:(band + 1) * rows]).view(f"V{8 * rows}").ravel()
        groups = np.unique(keys, return_inverse=True)[1].ravel()
        order = np.argsort(groups, kind="stable").astype(np.int32)  # int32: half the bytes to gather and sort
        position = np.empty(count, dtype=np.int32)
        position[order] = np.arange(count, dtype=np.int32)
        first_of_group = np.searchsorted(groups[order], groups).astype(np.int32)  # where each row's group starts in ``order``
        orders.append(order)
        group_starts.append(first_of_group)
        positions.append(position)
        earlier += position - first_of_group
    for index in np.flatnonzero(earlier).tolist():
        yield index, [orders[band][group_starts[band][index]:positions[band][index]] for band in range(bands)]


_BYTE_LANES = np.uint64(0x0101010101010101)


def _count_per_row(flags: np.ndarray) -> np.ndarray:
    """The true flags in each NUM_PERM of ``flags`` (a flat bool array): summed as 64-bit words
    of eight 0/1 bytes, each byte lane adding at most NUM_PERM / 8 flags (no carry), then the
    eight lanes added into the top byte by one multiplication. ``count_nonzero(axis=1)`` takes
    three times as long on rows this short."""
    lanes = flags.view(np.uint64).reshape(-1, NUM_PERM // 8).sum(axis=1)
    return (lanes * _BYTE_LANES) >> np.uint64(56)


def _passing(matrix: np.ndarray, low_bytes: np.ndarray, index: int, candidates: np.ndarray) -> np.ndarray:
    """The candidates whose signature agrees with row ``index``'s in NEAR_DUPLICATE_THRESHOLD of
    its values. The values' low bytes are compared first, an eighth of the bytes: two values
    that are equal have equal low bytes, so a candidate they reject fails on the values too,
    and only the few they let through (near duplicates, almost never a stranger) are compared
    whole. The low bytes are compared flat, row ``index`` repeated: numpy broadcasts a row over
    8,000 candidates in short inner loops, several times slower."""
    equal_bytes = low_bytes[candidates].ravel() == np.tile(low_bytes[index], len(candidates))
    candidates = candidates[_count_per_row(equal_bytes) / NUM_PERM >= NEAR_DUPLICATE_THRESHOLD]
    if not len(candidates):
        return candidates
    equal = np.count_nonzero(matrix[candidates] == matrix[index], axis=1)
    return candidates[equal / NUM_PERM >= NEAR_DUPLICATE_THRESHOLD]


def _components(matrix: np.ndarray) -> np.ndarray:
    """A component label per row: rows share one when a chain of band mates, each pair passing
    NEAR_DUPLICATE_THRESHOLD, joins them.

    Each row is compared with its earlier band mates, never with those already in its own
    component, which cannot change it. Its band with the most mates is compared first: where
    documents come in large groups of near duplicates (MedQuAD's templated pages, a corpus of
    syndicated copies) that joins the row to its group, whose members then leave the other
    bands' lists before any comparing. Labels are kept whole (every row holds its
    component's, the smaller component relabelled on a merge), so one gather finds them."""
    label = np.arange(len(matrix), dtype=np.int32)
    members: dict[int, list[int]] = {}  # label -> its rows, for components of two or more

    def join(index: int, mates: np.ndarray) -> None:
        for other in np.unique(label[mates]).tolist():
            own = int(label[index])
            if other == own:
                continue
            big, small = (own, other) if len(members.get(own, ())) >= len(members.get(other, ())) else (other, own)
            moved = members.pop(small, [small])
            label[moved] = big
            members.setdefault(big, [big]).extend(moved)

    low_bytes = (matrix & np.uint64(0xFF)).astype(np.uint8)
    slot = np.empty(len(matrix), dtype=np.int64)  # scratch: a place in ``others`` for each row named there
    for index, band_mates in _earlier_band_mates(matrix):
        join(index, _passing(matrix, low_bytes, index, max(band_mates, key=len)))
        others = np.concatenate(band_mates)
        others = others[label[others] != label[index]]
        if len(others):
            # once each, without sorting: whichever write to a row's slot survives names one of
            # its places in ``others``, so the row is kept at that place only
            places = np.arange(len(others))
            slot[others] = places
            join(index, _passing(matrix, low_bytes, index, others[slot[others] == places]))
    return label


def find_duplicates(signatures: Mapping[str, Signature], sha256: dict[str, str]) -> dict[str, str]:
    """Map each duplicate doc_id to the first (sorted) doc_id of its group.

    ``signatures``: doc_id -> MinHash signature (:func:`claims.signatures.document_signature`).

    Exact duplicates are found by text hash; near duplicates by LSH candidates whose
    estimated Jaccard similarity passes the threshold.

    The LSH is datasketch's MinHashLSH banding (LSH_BANDS_ROWS: a candidate shares all rows
    of some band) done on one numpy matrix. Documents with one signature (MedQuAD's
    thousands of copies of one boilerplate paragraph) enter it once; then each document is
    compared with its earlier candidates that are not yet in its group, all of them at once
    (:func:`_components`), the groups being the connected components of the pairs that pass.
    Band mates come from one sort per band, not from dicts of bytes per candidate (6.1 ->
    2.3 s on MedQuAD, same groups; tests check the groups against every passing pair). Most
    candidates fail, pages that share a band of their template and little else: 1.4 of
    33.5 million candidate pairs pass on four times MedQuAD (benchmarks/throughput.py's
    copies). Comparing low bytes first, leaving out each document's own group and counting
    each candidate once without sorting took that search from 13.4 to 6.6 s (1.3 to 1.2 s on
    MedQuAD).
    """
    parent: dict[str, str] = {}

    def find(doc_id: str) -> str:
        while parent.get(doc_id, doc_id) != doc_id:
            parent[doc_id] = parent.get(parent[doc_id], parent[doc_id])  # path halving
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
    # Documents with one signature are near duplicates of each other (estimated Jaccard 1);
    # the LSH below then sees each distinct signature once, represented by its first doc_id.
    first_with_signature: dict[bytes, str] = {}
    rows = {doc_id: np.asarray(signature, dtype=np.uint64) for doc_id, signature in signatures.items()}
    for doc_id in sorted(rows):
        key = rows[doc_id].tobytes()
        if key in first_with_signature:
            union(first_with_signature[key], doc_id)
        else:
            first_with_signature[key] = doc_id
    ids = list(first_with_signature.values())
    if ids:
        wrong = next((len(rows[doc_id]) for doc_id in ids if len(rows[doc_id]) != NUM_PERM), None)
        if wrong is not None:
            raise ValueError(f"Expecting minhash with length {NUM_PERM}, got {wrong}")
        first_in_component: dict[int, str] = {}
        for doc_id, component in zip(ids, _components(np.stack([rows[doc_id] for doc_id in ids])).tolist()):
            union(first_in_component.setdefault(component, doc_id), doc_id)
    return {doc_id: find(doc_id) for doc_id in set(signatures) | set(sha256) if find(doc_id) != doc_id}
