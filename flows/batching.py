"""Extraction batches that grow while the input goes on and shrink again at its end.

Every batch is a Prefect task run. In the fifth round a task run cost ~0.4 s of CPU between
the flow's engine and the API server, and on MedQuAD with 2 workers batches of 1,024 instead
of 256 documents (16 task runs instead of 65) saved 19-49 s of CPU and 7-20 s of wall time
(docs/performance.md). Now one costs ~0.1 s (thirty-eighth round: batches of 64 instead of
256, 70 task runs instead of 22, took 4.0-4.8 s more CPU), so still larger batches would save
~1 s of CPU on whole MedQuAD. Small first batches still get every worker going at once and keep a
nightly increment of a few hundred documents spread over the workers; small last batches
let the workers finish together instead of one of them extracting a large last batch alone.
"""
from __future__ import annotations

from typing import Iterable, Iterator, TypeVar

Item = TypeVar("Item")
GROWTH_LIMIT = 4  # the largest batch is this many times the first


def growing_batches(items: Iterable[Item], first: int, largest: int | None = None) -> Iterator[list[Item]]:
    """All ``items`` in order, in batches of ``first``, doubling up to ``largest`` (default
    GROWTH_LIMIT x ``first``) while more input follows.

    A full batch is handed out only once the batch after it has filled, so that at the end
    of the input the last full batch and the rest are cut back into batches of ``first``:
    the workers share the end instead of one of them taking a large last batch alone.
    """
    if first < 1:
        raise ValueError(f"batch size must be at least 1, got {first}")
    largest = max(first, largest if largest is not None else GROWTH_LIMIT * first)
    size, filling, full = first, [], None
    for item in items:
        filling.append(item)
        if len(filling) >= size:
            if full is not None:
                yield full
            full, filling = filling, []
            size = min(2 * size, largest)
    rest = (full or []) + filling
    for start in range(0, len(rest), first):
        yield rest[start:start + first]
