"""Throughput, rerun time and peak memory on MedQuAD; prints one table (docs/performance.md).

(a) scispaCy's tokenizer alone (the floor), (b) our extraction without Prefect
(``extract_texts``, doc_to_extraction included) and (b)/(a), (c) the CLI end to end with
--workers 1 and 2 (start-up, ingest, consolidation and writing included; the median of
``--repeat`` runs with 2 workers, since this shared machine's speed drifts by up to half
within an hour; each with the floor measured just before it, the machine's speed at that
run) and whether the 2-worker run's evidence names only mention rows there are,
(d) the first run that fills the extraction cache, an immediate no-change rerun and a run
with one new file beside the cached corpus (a night of a growing folder),
(e) peak memory of the CLI for a quarter, half and the whole corpus, and for ``--scale``
multiples of it (a corpus grown past MedQuAD: :func:`_write_multiple`); and (a) once more at
the end, to show how far the machine's speed moved meanwhile.

Words are whitespace-separated tokens of the answers (``len(text.split())``).
Peak memory comes in two figures (``_memory_probe.py``): the whole run's, the largest sum of
PSS over its processes at one moment (the flow's, the extraction workers, Prefect's server,
the side process), the nearest figure to what a machine must hold and what the target
judges; and the largest single process's RSS. Sampling the memory costs the run CPU, so (e)
has runs of its own and (c) and (d) are not sampled.

Usage: python benchmarks/throughput.py [--limit N] [--skip-cli] [--repeat N] [--scale K ...]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import _medquad  # beside this script

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv/bin/symptom-claims"
TARGETS = {"ratio": 0.35, "end_to_end_s": 60.0, "rerun_s": 15.0, "memory_mb": 1500.0}
# The file a night adds to the input folder (d): the cache serves every other document.
NEW_DOCUMENT = "Fatigue affects about 80 percent of people with multiple sclerosis, a new page says.\n"

MEMORY_PROBE = Path(__file__).with_name("_memory_probe.py")


def _records(limit: int | None) -> list[str]:
    lines = []
    with gzip.open(_medquad.CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(lines) >= limit:
                break
            if line.strip():
                lines.append(line)
    return lines


def _write_subset(lines: list[str], path: Path) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(lines)
    return path


_WHOLE_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?!\d|[.,]\d)")  # "12", "999"; not "2010" nor "1,500" nor "2.5"


def _write_multiple(lines: list[str], times: int, path: Path) -> Path:
    """The corpus ``times`` over, as a corpus grown past MedQuAD: copy k > 0 of a record has
    ``~k`` after its id and every whole number below 1,000 in its answer raised by k, so it
    adds documents, mentions, claims and conflicts of its own (exact copies would add only
    evidence of the same claims, and near duplicates to fold)."""
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for copy in range(times):
            for line in lines:
                record = json.loads(line)
                if copy:
                    record["id"] = f"{record['id']}~{copy}"
                    record["answer"] = _WHOLE_NUMBER.sub(lambda number, k=copy: str(int(number.group()) + k), record.get("answer") or "")
                handle.write(json.dumps(record) + "\n")
    return path


def _corpus_share(row: str) -> float:
    """How much of the corpus an (e) row ran on: "quarter, ..." 0.25, "2 x the corpus, ..." 2."""
    size = row.split(",")[0]
    return {"quarter": 0.25, "half": 0.5, "whole": 1.0}.get(size) or float(size.split(" x ")[0])


def _words(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)


def tokenizer_floor(texts: list[str]) -> float:
    from extractors.tokenization import blank_english

    tokenizer = blank_english().tokenizer
    started = time.perf_counter()
    for _ in tokenizer.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - started


def extraction(texts: list[str]) -> tuple[float, float]:
    """(pipeline load seconds, extraction seconds) of extract_texts over all texts, set up as
    the flow's extraction process is (flows.extraction_worker.serve)."""
    from extractors.pipeline import extract_texts, get_nlp
    from flows.heap import set_aside_what_was_built

    started = time.perf_counter()
    get_nlp()
    set_aside_what_was_built()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    for _ in extract_texts((str(i), text) for i, text in enumerate(texts)):
        pass
    return loaded, time.perf_counter() - started


def _stage_seconds(output: Path) -> str:
    """The run's own stage timings from run.json, e.g. "consolidate 2.1 s, write 1.3 s"."""
    try:
        timings = json.loads((output / "run.json").read_text(encoding="utf-8"))["timings_seconds"]
        counts = json.loads((output / "run.json").read_text(encoding="utf-8"))["counts"]
    except (OSError, KeyError, ValueError):
        return ""
    return ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + f" ({counts.get('claims', '?')} claims, {counts.get('conflicts', '?')} conflicts)"


def _dangling_mention_ids(output: Path) -> int:
    """Evidence rows' mention ids that name no row of mentions.csv: 0 in a sound run. The test
    suite checks the sample corpus; a whole corpus has sentences the sample lacks (five such
    rows of MedQuAD went unseen until the twenty-seventh round)."""
    import pandas as pd

    columns = ["symptom_mention_id", "condition_mention_id", "statistic_mention_id"]
    mention_ids = set(pd.read_csv(output / "mentions.csv", usecols=["mention_id"], dtype=str)["mention_id"])
    evidence = pd.read_csv(output / "evidence.csv", usecols=columns, dtype=str, keep_default_na=False)
    return sum(int(((evidence[column] != "") & ~evidence[column].isin(mention_ids)).sum()) for column in columns)


def _extracted(output: Path) -> str:
    run = json.loads((output / "run.json").read_text(encoding="utf-8"))
    return f"{run['extracted']} extracted, {run['from_cache']} from cache"


class Memory(NamedTuple):
    run_mb: float  # the largest sum of PSS over the run's processes at one moment
    process_mb: float  # the largest single process's peak RSS

    def __str__(self) -> str:
        return f"{self.run_mb:,.0f} MB (largest process {self.process_mb:,.0f} MB)"


def run_cli(corpus: Path, output: Path, workers: int, no_cache: bool, sample_memory: bool = False) -> tuple[float, Memory]:
    """(wall seconds, peak memory) of one CLI run in a fresh measuring process; the whole
    run's memory only when sampled, which costs the run CPU (``_memory_probe.py``)."""
    command = [str(CLI), "run", "--input", str(corpus), "--output", str(output), "--text-field", "answer",
               "--workers", str(workers)] + (["--no-cache"] if no_cache else [])
    started = time.perf_counter()
    probe = subprocess.run([sys.executable, str(MEMORY_PROBE), *([] if sample_memory else ["--no-sampling"]), *command],
                           capture_output=True, text=True)
    wall = time.perf_counter() - started
    if probe.returncode:
        raise SystemExit(f"memory probe failed: {probe.stderr[-2000:]}")
    process_mb, run_mb, code = probe.stdout.split()
    if code != "0":
        raise SystemExit(f"CLI failed ({code}): {' '.join(command)}\n{probe.stderr[-2000:]}")
    return wall, Memory(float(run_mb), float(process_mb))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="first N answers only")
    parser.add_argument("--skip-cli", action="store_true", help="only (a) and (b)")
    parser.add_argument("--repeat", type=int, default=3, help="CLI runs with --workers 2, judged by their median (default 3)")
    parser.add_argument("--scale", type=int, nargs="*", default=[2], help="peak memory also for these multiples of the corpus (default 2)")
    args = parser.parse_args(argv)
    if any(times < 2 for times in args.scale):
        parser.error("--scale takes multiples of 2 or more (the whole corpus is measured anyway)")
    if _medquad.missing():
        print(_medquad.missing())
        return
    lines = _records(args.limit)
    texts = [json.loads(line).get("answer") or "" for line in lines]
    words = _words(texts)
    rows: list[tuple[str, str, str]] = []  # (what, figure, target)

    def add(what: str, figure: str, target: str = "") -> None:
        rows.append((what, figure, target))
        print(f"  {what}: {figure}", file=sys.stderr, flush=True)

    print(f"MedQuAD: {len(texts)} answers, {words:,} words, {sum(map(len, texts)):,} chars; "
          f"{os.cpu_count()} cores", file=sys.stderr, flush=True)
    floor = tokenizer_floor(texts)
    add("(a) scispaCy tokenizer alone", f"{words / floor:,.0f} words/s ({floor:.1f} s)")
    loaded, extracted = extraction(texts)
    ratio = (words / extracted) / (words / floor)
    add("(b) extract_texts, no Prefect", f"{words / extracted:,.0f} words/s ({extracted:.1f} s; pipeline load {loaded:.1f} s)")
    add("(b)/(a)", f"{ratio:.3f}", f">= {TARGETS['ratio']} {'ok' if ratio >= TARGETS['ratio'] else 'MISSED'}")

    if not args.skip_cli:
        with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
            tmp = Path(tmp)
            corpus = _medquad.CORPUS.resolve() if args.limit is None else _write_subset(lines, tmp / "corpus.jsonl.gz")
            memory_of: dict[str, Memory] = {}
            for workers, repeat in ((1, 1), (2, args.repeat)):
                runs, floors = [], []
                for _ in range(repeat):
                    if repeat > 1:  # the floor just before each judged run: the machine's speed then
                        floors.append(words / tokenizer_floor(texts))
                    runs.append(run_cli(corpus, tmp / f"out-w{workers}", workers, no_cache=True))
                wall = statistics.median(w for w, _ in runs)
                ok = "ok" if wall < TARGETS["end_to_end_s"] else "MISSED"
                each = (f" (median of {repeat}: {', '.join(f'{w:.1f} s at a floor of {f:,.0f} words/s' for (w, _), f in zip(runs, floors))})"
                        if repeat > 1 else "")
                add(f"(c) CLI end to end, --workers {workers}", f"{wall:.1f} s, {words / wall:,.0f} words/s{each}",
                    f"< {TARGETS['end_to_end_s']:.0f} s {ok}" if workers == 2 else "")
                add(f"    stages (run.json), --workers {workers}", _stage_seconds(tmp / f"out-w{workers}") + (" (last run)" if repeat > 1 else ""))
            dangling = _dangling_mention_ids(tmp / "out-w2")
            add("    evidence ids naming no mention row", str(dangling), f"0 {'ok' if dangling == 0 else 'MISSED'}")
            growing = tmp / "growing"  # a folder the nightly job reads: the corpus, then one file more
            growing.mkdir()
            (growing / corpus.name).symlink_to(corpus)
            first, _ = run_cli(growing, tmp / "out-cache", 2, no_cache=False)
            add("(d) first cached run (fills .cache), --workers 2", f"{first:.1f} s")
            before = (tmp / "out-cache" / "run.json").read_bytes()
            rerun, _ = run_cli(growing, tmp / "out-cache", 2, no_cache=False)
            add("(d) no-change rerun, --workers 2", f"{rerun:.1f} s",
                f"< {TARGETS['rerun_s']:.0f} s {'ok' if rerun < TARGETS['rerun_s'] else 'MISSED'}")
            up_to_date = (tmp / "out-cache" / "run.json").read_bytes() == before
            add("    rerun", "up to date: nothing extracted or written" if up_to_date else _stage_seconds(tmp / "out-cache"))
            (growing / "new-note.txt").write_text(NEW_DOCUMENT, encoding="utf-8")
            one_more, _ = run_cli(growing, tmp / "out-cache", 2, no_cache=False)
            add("(d) one new file, the rest cached, --workers 2", f"{one_more:.1f} s")
            add("    stages (run.json), one new file", _stage_seconds(tmp / "out-cache") + f" ({_extracted(tmp / 'out-cache')})")
            # (e) in runs of their own: sampling the memory costs the run CPU, so (c) and (d) do not
            for name, share in (("quarter", 4), ("half", 2)):
                subset = _write_subset(lines[: len(lines) // share], tmp / f"{name}.jsonl.gz")
                _, memory = run_cli(subset, tmp / f"out-{name}", 2, no_cache=True, sample_memory=True)
                memory_of[f"{name}, --workers 2"] = memory
                add(f"    stages (run.json), {name}, --workers 2", _stage_seconds(tmp / f"out-{name}"))
            for workers in (1, 2):
                _, memory_of[f"whole, --workers {workers}"] = run_cli(corpus, tmp / f"out-w{workers}", workers, no_cache=True, sample_memory=True)
            for times in args.scale:
                grown = _write_multiple(lines, times, tmp / f"times-{times}.jsonl.gz")
                wall, memory = run_cli(grown, tmp / f"out-times-{times}", 2, no_cache=True, sample_memory=True)
                memory_of[f"{times} x the corpus, --workers 2"] = memory
                add(f"    {times} x the corpus, --workers 2", f"{wall:.1f} s; " + _stage_seconds(tmp / f"out-times-{times}"))
                grown.unlink()
            for name, memory in sorted(memory_of.items(), key=lambda item: _corpus_share(item[0])):
                add(f"(e) peak memory of the run, {name}", str(memory),
                    f"< {TARGETS['memory_mb']:,.0f} MB {'ok' if memory.run_mb < TARGETS['memory_mb'] else 'MISSED'}")

    if not args.skip_cli:  # this machine's speed drifts: the floor once more shows by how much meanwhile
        again = tokenizer_floor(texts)
        add("(a) again, after the CLI runs", f"{words / again:,.0f} words/s ({again:.1f} s)")

    width = max(len(what) for what, _, _ in rows)
    print(f"\nthroughput on MedQuAD ({len(texts)} answers, {words:,} words), {os.cpu_count()} cores\n")
    print(f"| {'measure'.ljust(width)} | figure | target |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for what, figure, target in rows:
        print(f"| {what.ljust(width)} | {figure} | {target} |")


if __name__ == "__main__":
    main()
