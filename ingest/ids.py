"""Run-unique document ids that stay the same when the same tree is read again."""
from __future__ import annotations


class DocIdAllocator:
    """First come keeps its id; a later duplicate becomes `<id>~<file>`, then `~2`, `~3`, ...

    Inputs are visited in a deterministic order, so the same tree always gets the same ids.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next_suffix: dict[str, int] = {}  # keeps many duplicates of one id linear

    def allocate(self, wanted: str, file_relative: str) -> str:
        if wanted not in self._taken:
            self._taken.add(wanted)
            return wanted
        qualified = f"{wanted}~{file_relative}"
        candidate = qualified
        suffix = self._next_suffix.get(qualified, 2)
        while candidate in self._taken:
            candidate = f"{qualified}~{suffix}"
            suffix += 1
        self._next_suffix[qualified] = suffix
        self._taken.add(candidate)
        return candidate
