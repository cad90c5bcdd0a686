"""Turn the caller's files and folders into a deterministic sequence of input files."""
from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from .model import UNREADABLE, UsageError, reject_reason


@dataclass(frozen=True)
class InputFile:
    """A file to read, named by its path relative to the input root it was found under."""

    path: str
    relative: str
    problem: str = ""  # reject reason already known from walking ("" when none)


def validate_roots(paths: Sequence[str | os.PathLike], exclude: Mapping[str | os.PathLike, str] | None = None) -> list[Path]:
    """Fail before anything is read, so a typo never yields a half-empty run.

    ``exclude`` maps paths that are never input (a run's output folder) to what they are,
    for the message: naming one, or a path inside one, is a mistake, not an empty input.
    """
    if isinstance(paths, (str, os.PathLike)):
        raise UsageError(f"expected a list of input paths, got the single path {str(paths)!r}")
    if not paths:
        raise UsageError("no input paths given")
    roots = [Path(path) for path in paths]
    for root in roots:
        if not os.path.lexists(root):
            raise UsageError(f"input path does not exist: {str(root)!r}")
        for path, what in (exclude or {}).items():
            if lies_within(root, path):
                place = "is" if os.path.realpath(root) == os.path.realpath(path) else "lies in"
                raise UsageError(f"input path {str(root)!r} {place} {what} {str(path)!r}, which is never read as input")
    return roots


def lies_within(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it, symlinks resolved."""
    real_folder = os.path.realpath(folder)
    return os.path.commonpath([os.path.realpath(path), real_folder]) == real_folder


def iter_input_files(roots: list[Path], exclude: Collection[str | os.PathLike] = ()) -> Iterator[InputFile]:
    """Yield each file once, with a relative path no earlier file has already claimed.

    A file reached twice (overlapping roots) is read once. Two different files with the
    same relative path get parent directory names prefixed until the path is unique.
    Folders and files in ``exclude`` are passed over where a folder walk meets them.
    """
    real_excluded = frozenset(os.path.realpath(path) for path in exclude)
    seen_paths: set[str] = set()
    claimed_relatives: set[str] = set()
    for root in roots:
        absolute_root = Path(os.path.abspath(root))
        is_folder = os.path.isdir(root)
        parent_names = (absolute_root if is_folder else absolute_root.parent).parts[1:]
        found = _walk_folder(root, real_excluded) if is_folder else [InputFile(str(root), root.name)]
        for input_file in found:
            absolute = os.path.abspath(input_file.path)
            if absolute in seen_paths:
                continue
            seen_paths.add(absolute)
            relative = _claim_relative(input_file.relative, parent_names, claimed_relatives)
            yield InputFile(input_file.path, relative, input_file.problem)


def _walk_folder(root: Path, real_excluded: frozenset[str]) -> Iterator[InputFile]:
    """Depth-first in sorted name order, skipping dotfiles and excluded paths, never
    entering symlinked folders (so the real path of an entry that is no symlink is the
    root's real path plus its relative path: no realpath call per file)."""
    real_root = os.path.realpath(root)
    try:
        pending = [_sorted_entries(root)]
    except OSError as error:
        yield InputFile(str(root), root.name, reject_reason(UNREADABLE, error.strerror))
        return
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        if entry.name.startswith("."):
            continue
        native_relative = os.path.relpath(entry.path, root)
        real_path = os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real_root, native_relative)
        if real_path in real_excluded:
            continue
        relative = PurePath(native_relative).as_posix()
        if entry.is_dir(follow_symlinks=False):
            try:
                pending.append(_sorted_entries(entry.path))
            except OSError as error:
                yield InputFile(entry.path, relative, reject_reason(UNREADABLE, error.strerror))
        elif entry.is_symlink() and os.path.isdir(entry.path):
            yield InputFile(entry.path, relative, reject_reason(UNREADABLE, "symlinked directory not followed"))
        else:
            yield InputFile(entry.path, relative)


def _sorted_entries(folder: str | Path) -> Iterator[os.DirEntry]:
    with os.scandir(folder) as entries:
        return iter(sorted(entries, key=lambda entry: entry.name))


def _claim_relative(relative: str, parent_names: tuple[str, ...], claimed: set[str]) -> str:
    candidates = [
        _printable("/".join((*parent_names[len(parent_names) - depth :], relative)))
        for depth in range(len(parent_names) + 1)
    ]
    chosen = next((c for c in candidates if c not in claimed), candidates[-1])
    claimed.add(chosen)
    return chosen


def _printable(path: str) -> str:
    """Show undecodable bytes in file names as \\xNN so ids stay valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
