"""Make-style freshness of a run's outputs: a rerun over unchanged inputs does nothing.

A run records in ``run.json`` a manifest of everything its tables depend on (each input
file's size and SHA-256, walked as ingest walks them, without the output folder and the
decisions file; the pipeline fingerprint plus the claims, ingest and flows code;
the options that change results; the reviewer decisions file) and the SHA-256 of every
file it wrote. A later run whose manifest is the same, over outputs nobody touched, is up
to date: the CLI says so without starting Prefect, and the flow returns without
extracting or writing. Anything else (one changed byte of input, code, decisions or
output) rebuilds, and so does every run after one where an extraction failed (timeout,
crash) or a file hashed at the start could not be read later (an NFS hiccup), so that
those documents are retried. No Prefect, no spaCy.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from extractors.options import digest_files, pipeline_fingerprint
from flows.options import RunOptions
from ingest.model import UNREADABLE, reject_reason
from ingest.walk import InputFile, iter_input_files, validate_roots

RUN_FILE = "run.json"
PROJECT_ROOT = Path(__file__).resolve().parents[1]
CODE_FOLDERS = ("claims", "ingest", "flows")  # extractors/ is in the pipeline fingerprint
CODE_SUFFIXES = (".py", ".j2", ".tsv", ".csv", ".txt")
# How a run executes, not what it writes: changing these never makes tables stale
# (max_input_drop only decides whether a run may write at all: flows.input_guard).
EXECUTION_OPTIONS = frozenset({"workers", "batch_size", "dask_address", "use_cache", "force", "max_input_drop", "lock_wait_s", "run_timeout_s"})


def file_digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _walk(options: RunOptions) -> Iterator[InputFile]:
    """The input files the run reads (iter_documents walks the same)."""
    return iter_input_files(validate_roots(options.inputs, options.excluded), options.excluded)


def _input_files(options: RunOptions) -> dict[str, str]:
    """Input path -> "size:sha256", or the problem that keeps it from being read (ingest
    rejects a file for the same problem: :func:`unread_since_hashed` counts on it)."""
    files = {}
    for found in _walk(options):
        try:
            status = os.stat(found.path)
            if found.problem or not stat.S_ISREG(status.st_mode):  # a FIFO would block the open until a writer came
                files[found.path] = found.problem or reject_reason(UNREADABLE, "not a regular file")
            else:
                files[found.path] = f"{status.st_size}:{file_digest(Path(found.path))}"
        except OSError as error:
            files[found.path] = reject_reason(UNREADABLE, error.strerror or str(error))
    return files


def unread_since_hashed(manifest: dict, documents: list[dict]) -> bool:
    """Whether ingest found more files unreadable than the manifest did: a read that failed
    after the file was hashed (an NFS hiccup). Such a run must not be up to date, or its
    rejects would stand until the file changed."""
    rejected = sum(str(row["reason"]).startswith(UNREADABLE) for row in documents)
    return rejected > sum(value.startswith(UNREADABLE) for value in manifest["inputs"].values())


def code_fingerprint(extraction_fingerprint: str) -> str:
    """The extraction fingerprint plus every file of code and resources the tables depend on."""
    digest = hashlib.sha256(extraction_fingerprint.encode())
    digest_files(digest, [file for folder in CODE_FOLDERS for file in (PROJECT_ROOT / folder).rglob("*")], PROJECT_ROOT, CODE_SUFFIXES)
    return digest.hexdigest()[:16]


def build_manifest(options: RunOptions, extraction_fingerprint: str) -> dict:
    """What this run's tables will depend on."""
    return {
        "inputs": _input_files(options),
        "code": code_fingerprint(extraction_fingerprint),
        "options": {k: v for k, v in sorted(options.parameters().items()) if k not in EXECUTION_OPTIONS},
        "decisions": file_digest(options.decisions_path) if options.decisions_path.is_file() else "",
    }


def with_outputs(manifest: dict, output: Path, staged: dict[Path, Path]) -> dict:
    """The manifest plus the digest of every file the run writes (names relative to ``output``),
    read from the temporary it is staged in: run.json is written before any output is renamed."""
    return {**manifest, "outputs": {path.relative_to(output).as_posix(): file_digest(temporary) for path, temporary in staged.items()}}


def previous_run(output: Path) -> dict | None:
    try:
        return json.loads((output / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fresh_outputs(options: RunOptions, manifest: dict | None = None) -> dict | None:
    """The previous run's run.json when its tables are up to date for ``options`` (whose
    manifest is built here unless given); checked without starting Prefect or importing spaCy."""
    if options.force or not options.use_cache:
        return None
    return up_to_date(Path(options.output), lambda: manifest or build_manifest(options, pipeline_fingerprint(options.pipeline)))


def inputs_changed(options: RunOptions) -> bool:
    """Whether the input gained a file, or one changed size, since the previous run into the
    same output recorded it (True without such a record); a removed file alone leaves nothing
    to extract. Sizes only, no hashing (a large corpus takes seconds to hash, and the run
    hashes it anyway): a hint for starting an extraction process early, not what decides
    what is rebuilt. A renamed or moved file counts as gained, though the cache (keyed by the
    text) serves it: one extraction process then starts for nothing, which costs a core for
    its start-up and no time on the run's path."""
    recorded = ((previous_run(Path(options.output)) or {}).get("manifest") or {}).get("inputs")
    if recorded is None:
        return True
    for found in _walk(options):
        before = recorded.get(found.path)
        try:
            now = found.problem or f"{Path(found.path).stat().st_size}:"
        except OSError:
            return True
        if before is None or not before.startswith(now):
            return True
    return False


def run_summary(run_info: dict) -> dict:
    """What a caller of a run sees, from the run's run.json contents."""
    return {"counts": run_info["counts"], "rejected": len(run_info["rejects"]), "open_conflicts": run_info["open_conflicts"]}


def up_to_date(output: Path, manifest_of) -> dict | None:
    """The previous run's ``run.json`` when its outputs are untouched and ``manifest_of()``
    (called only if they are) equals its manifest; else None."""
    previous = previous_run(output)
    recorded = (previous or {}).get("manifest") or {}
    if not recorded.get("outputs"):
        return None
    try:
        if any(file_digest(output / name) != digest for name, digest in recorded["outputs"].items()):
            return None
    except OSError:
        return None  # an output was removed
    current = manifest_of()
    return previous if {k: v for k, v in recorded.items() if k != "outputs"} == current else None
