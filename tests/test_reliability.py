"""Reliability guarantees of a whole run (see docs/reliability.md for the table of guarantees).

* A hostile corpus (binary, broken encodings, huge lines, NUL bytes, malformed HTML with
  scripts, tricky CSV, broken JSONL, truncated gzip, a gzip bomb, symlink loops, odd file
  names, spreadsheet formulas) goes through one flow run: the run completes, every input
  is accounted for, CSV cells are neutralized and Parquet keeps raw values.
* --strict exits 1 when inputs are rejected.
* A document that hangs extraction is rejected as ``timeout``, one that kills its extraction
  process as ``extraction_error``; the rest of the batch is extracted, the run completes, and
  the next run retries both (neither is cached).
* An extraction cache that cannot store (read-only, full, locked) is kept: only the results it
  could not store are extracted again, and the log says so once, then counts them.
* Documents past --max-documents are listed as ``over_limit`` rejects.
* A run killed with SIGKILL at several points and rerun gives the tables of an
  uninterrupted run, and leaves no temporary files.
* Input order and the number of worker processes do not change a byte of the tables.

Everything is generated in tmp_path; nothing is fetched.
"""
from __future__ import annotations

import contextlib
import csv
import gzip
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from claims import schema
from ingest import IngestLimits, iter_documents
from tests.conftest import PROJECT_ROOT
from tests.test_extraction_worker import gone, wait_until

HOSTILE_MAX_FILE_MB = 10  # the 20 MB single-line file must be rejected before it is read
BIG_FILE_BYTES = 20_000_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MARKERS = ("EVIL_SCRIPT", "EVIL_JS", "EVIL_HANDLER", "javascript:", "<script")


def run_flow(inputs, output, **kwargs):
    from flows.options import RunOptions
    from flows.symptom_claims import run

    return run(RunOptions(inputs=[str(p) for p in inputs], output=str(output), **kwargs))


def csv_files(output: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(output.glob("*.csv"))}


def temporaries(output: Path) -> list[Path]:
    return [p for p in output.rglob("*") if p.name.endswith(".tmp")]


# --- the hostile corpus ------------------------------------------------------------------

def write_hostile_corpus(root: Path) -> dict[str, str]:
    """Write the corpus; returns {relative path: expected reason keyword or 'ok'} for files
    whose outcome is fixed (others must merely be accounted for)."""
    root.mkdir(parents=True)
    expected = {}

    def put(name: str, data: bytes | str, outcome: str | None = None) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if outcome:
            expected[name] = outcome
        return path

    put("binary.txt", bytes(range(256)) * 64, "binary")
    put("invalid-utf8.txt", b"Fatigue affects \xff\xfe\xfa\xc3( about 80% of people with multiple sclerosis.\n")
    put("utf16-bom.txt", "Nausea affects about 30 percent of people with migraine.\n".encode("utf-16"), "ok")
    put("utf16-nobom.txt", "Tremor affects about 70% of people with Parkinson's disease.\n".encode("utf-16-le"), "ok")
    put("latin1.txt", "Café au lait spots: fatigue affects about 80% of people with multiple sclerosis.\n".encode("latin-1"), "ok")
    put("empty.txt", b"", "empty")
    put("whitespace.md", b"  \n\t\r\n   \n", "empty")
    with open(root / "huge-line.txt", "wb") as handle:  # 20 MB, one line, no newline
        chunk = b"fatigue of people with 80% " * 40_000
        while handle.tell() < BIG_FILE_BYTES:
            handle.write(chunk)
    expected["huge-line.txt"] = "too_large"
    put("nul.txt", b"Fatigue affects\x00 about 80% of people with multiple sclerosis.\n", "binary")
    put("nested.html", "<html><body>" + "<div><span>" * 50_000 + "<p>Fatigue affects about 80% of people with multiple sclerosis."
        + "</span>" * 10 + "<p <b>< / ><<>>&bogus; <!-- unclosed comment <table><tr><td>cell", "ok")
    put("script.html", "<html><head><title>t</title><script>alert('EVIL_SCRIPT')</script></head><body>"
        "<p><a href=\"javascript:alert('EVIL_JS')\">Headache</a> affects about 50% of people with migraine.</p>"
        "<img src=x onerror=\"EVIL_HANDLER()\"><script type=\"text/javascript\">document.write('EVIL_SCRIPT')</script>"
        "<noscript>EVIL_SCRIPT</noscript><style>p{}</style></body></html>", "ok")
    put("records.csv", 'id,text\n'
        'c1,"Fatigue affects ""about"" 80% of people\nwith multiple sclerosis, they say."\n'
        'c2,"Nausea, vomiting and ""headache"" occur in 1 in 4 people with migraine."\n'
        '"=HYPERLINK(""http://evil.example"",""x"")","Tremor affects about 70% of people with Parkinson\'s disease."\n')
    put("records.jsonl", '{"id": "j1", "text": "Headache affects about 50% of people with migraine."}\n'
        '{"id": "j2", "text": "broken\n'
        '[1, 2, 3]\n'
        '\n'
        '{"id": "j5", "text": "Fatigue affects about 80% of people with multiple sclerosis."}\n'
        '{"id": "@SUM(A1)", "text": "Spasticity affects about 20 percent of people with MS."}\n')
    text = ("Fatigue affects about 80% of people with multiple sclerosis.\n" * 200).encode()
    compressed = gzip.compress(text, mtime=0)
    put("truncated.txt.gz", compressed[:len(compressed) // 2], "parse_error")
    jsonl = "".join(f'{{"id": "z{i}", "text": "Nausea affects about {i % 90 + 5}% of people with migraine number {i}."}}\n' for i in range(200))
    compressed = gzip.compress(jsonl.encode(), mtime=0)
    put("truncated.jsonl.gz", compressed[:len(compressed) // 2])
    put("bomb.txt.gz", gzip.compress(b"a" * 50_000_000, compresslevel=9), "too_large")
    os.symlink("loop.txt", root / "loop.txt")  # a symlink to itself
    expected["loop.txt"] = "unreadable"
    os.symlink(".", root / "dirloop")  # a folder symlink into its own parent
    expected["dirloop"] = "unreadable"
    put("with space.txt", "Dizziness affects about 40% of people with multiple sclerosis.\n", "ok")
    put("new\nline.txt", "Pain affects about 50% of people with multiple sclerosis.\n", "ok")
    put("ünïcödé 症状.txt", "Spasticity affects about 20 percent of people with MS.\n", "ok")
    put("=cmd.txt", "Fatigue affects about 80% of people with multiple sclerosis.\n", "ok")
    put("formulas.txt", "=HYPERLINK(\"http://evil.example\",\"x\") Fatigue affects about 75% of people with multiple sclerosis.\n"
        "+Nausea affects about 30 percent of people with migraine.\n"
        "-Headache affects about 60% of people with migraine.\n"
        "@Tremor affects about 70% of people with Parkinson's disease.\n", "ok")
    return expected


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    expected = write_hostile_corpus(corpus)
    output = tmp_path_factory.mktemp("out")
    started = time.perf_counter()
    summary = run_flow([corpus], output, formats=("csv", "parquet"), max_file_mb=HOSTILE_MAX_FILE_MB)
    print(f"\nhostile run: {time.perf_counter() - started:.1f} s")
    return corpus, expected, output, summary


def read_csv_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_hostile_corpus_every_input_is_accounted_for(hostile_run):
    corpus, expected, output, summary = hostile_run
    documents = read_csv_raw(output / schema.DOCUMENTS.file_name)
    limits = IngestLimits(max_file_bytes=HOSTILE_MAX_FILE_MB * 1_000_000)
    ingested = {d.doc_id: (d.status, d.reason) for d in iter_documents([corpus], limits=limits)}
    ingested_ids = {d.doc_id for d in iter_documents([corpus], limits=limits)}
    from claims.writers import restore_formula

    written = {restore_formula(row.doc_id): (row.status, row.reason) for row in documents.itertuples()}
    assert written == ingested and len(documents) == len(ingested_ids)
    assert not documents["reason"].str.startswith("extraction_error").any()
    assert summary["rejected"] == (documents["status"] == "rejected").sum()

    by_source = {}
    for row in documents.itertuples():
        by_source.setdefault(restore_formula(row.source).split("#")[0], []).append((row.status, row.reason))
    on_disk = [os.path.relpath(p, corpus) for p in corpus.rglob("*") if not p.name.startswith(".")]
    for relative in on_disk:  # rglob does not enter the symlinked folder
        assert relative in by_source, f"{relative!r} missing from documents.csv"
    for relative, outcome in expected.items():
        outcomes = by_source[relative]
        if outcome == "ok":
            assert outcomes == [("ok", "")], (relative, outcomes)
        else:
            assert any(status == "rejected" and reason.startswith(outcome) for status, reason in outcomes), (relative, outcomes)
    assert by_source["huge-line.txt"] == [("rejected", "too_large: 20,000,000 bytes > 10,000,000 byte limit; raise --max-file-mb")] or \
        by_source["huge-line.txt"][0][1].startswith("too_large: 2")
    assert "symlink loop" in by_source["loop.txt"][0][1]
    assert "compression ratio" in by_source["bomb.txt.gz"][0][1] or "decompressed more" in by_source["bomb.txt.gz"][0][1]

    jsonl = dict(by_source.items())["records.jsonl"]
    reasons = sorted(reason for status, reason in jsonl if status == "rejected")
    assert [r.split(":")[1].strip() for r in reasons] == ["line 2", "line 3"], reasons
    assert sum(status == "ok" for status, _ in jsonl) == 3
    truncated = by_source["truncated.jsonl.gz"]
    assert sum(s == "ok" for s, _ in truncated) > 50  # the records before the damage are kept
    assert [r for s, r in truncated if s == "rejected"][0].startswith("parse_error: gzip")
    csv_rows = {r.doc_id: r for r in documents.itertuples() if r.source.startswith("records.csv")}
    assert {"c1", "c2"} <= set(csv_rows) and all(r.status == "ok" for r in csv_rows.values())


def test_hostile_corpus_texts_and_offsets(hostile_run):
    corpus, _, output, _ = hostile_run
    texts = {d.doc_id: d.text for d in iter_documents([corpus]) if d.status == "ok"}
    assert texts["utf16-bom.txt"].startswith("Nausea affects") and texts["utf16-nobom.txt"].startswith("Tremor affects")
    assert texts["latin1.txt"].startswith("Café au lait")
    assert "\n" in texts["c1"] and '"about"' in texts["c1"]
    from claims.writers import read_tables

    mentions = read_tables(output)["mentions"]
    assert len(mentions) > 20
    for row in mentions.itertuples():
        assert texts[row.doc_id][int(row.start):int(row.end)] == row.text


def test_scripts_and_javascript_links_never_reach_the_outputs(hostile_run):
    _, _, output, _ = hostile_run
    for path in list(output.glob("*.csv")) + list(output.glob("*.parquet")):
        data = path.read_bytes() if path.suffix == ".csv" else pd.read_parquet(path).to_csv().encode()
        for marker in MARKERS:
            assert marker.encode() not in data, (path.name, marker)
    evidence = read_csv_raw(output / schema.EVIDENCE.file_name)
    assert evidence["doc_id"].eq("script.html").any(), "the visible text of script.html yields a claim"


def test_csv_cells_are_neutralized_and_parquet_keeps_raw_values(hostile_run):
    _, _, output, _ = hostile_run
    neutralized = {}
    for table in schema.TABLES:
        string_columns = [c.name for c in table.columns if c.dtype == "string"]
        with open(output / table.file_name, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            for column in string_columns:
                cell = row[column]
                assert not cell.startswith(FORMULA_START), (table.name, column, cell[:60])
                if cell.startswith("'") and cell[1:2] in "=+-@":
                    neutralized.setdefault(table.name, set()).add(cell[1])
    assert neutralized.get("documents", set()) >= {"=", "@"}  # =cmd.txt, =HYPERLINK(...) and @SUM(A1) ids
    assert neutralized.get("mentions", set()) >= {"=", "@"}
    assert neutralized.get("evidence", set()) >= {"=", "+", "-", "@"}, neutralized  # sentences of formulas.txt

    documents = pd.read_parquet(output / "documents.parquet")
    assert {"=cmd.txt", "@SUM(A1)", '=HYPERLINK("http://evil.example","x")'} <= set(documents["doc_id"])
    evidence = pd.read_parquet(output / "evidence.parquet")
    starts = {s[0] for s in evidence["sentence"].dropna()}
    assert {"=", "+", "-"} <= starts  # "@Tremor" is one token and yields no claim; '@' is covered by the ids above
    assert not any(str(s).startswith("'") for s in evidence["sentence"].dropna())


def test_strict_exits_1_when_inputs_are_rejected(prefect_harness, tmp_path, capsys):
    from flows.cli import main

    corpus = tmp_path / "tiny"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    assert main(["run", "--input", str(corpus), "--output", str(tmp_path / "out"), "--strict"]) == 1
    assert "(1 rejected)" in capsys.readouterr().out


# --- time limit per document and documents per run -------------------------------------

def test_a_hanging_or_crashing_document_is_rejected_and_retried_by_the_next_run(prefect_harness, tmp_path, monkeypatch, caplog):
    import flows.symptom_claims as flow_module
    from flows import extraction_worker

    # The real extraction in the child, except for documents that carry a marker (see the stub).
    monkeypatch.setattr(extraction_worker, "DEFAULT_FACTORY", "tests.stub_extractors:real")
    monkeypatch.setattr(flow_module, "FAILURES_LOGGED", 1)  # the first failure is named, the other counted
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a-high.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")
    (corpus / "b-hangs.txt").write_text("HANG_IN_REGEX Headache affects about 50% of people with migraine.\n", encoding="utf-8")
    (corpus / "c-crashes.txt").write_text("KILL_PROCESS Nausea affects about 30% of people with migraine.\n", encoding="utf-8")
    (corpus / "d-low.txt").write_text("Only 30% of people with multiple sclerosis have fatigue.\n", encoding="utf-8")
    output = tmp_path / "out"
    timings = []
    for extracted, from_cache in ((2, 0), (0, 2)):  # the rerun retries exactly the two rejects; failures are not extractions
        caplog.clear()
        started = time.perf_counter()
        with caplog.at_level("INFO"):
            summary = run_flow([corpus], output, doc_timeout_s=2)
        timings.append(round(time.perf_counter() - started, 1))
        documents = read_csv_raw(output / schema.DOCUMENTS.file_name).set_index("doc_id")
        assert documents.loc["b-hangs.txt", "reason"] == "timeout: extraction took longer than 2 s; raise --doc-timeout, or split the document"
        assert documents.loc["c-crashes.txt", "reason"] == ("extraction_error: the extraction process died (killed by SIGKILL, "
                                                            "out of memory?); the other documents are not affected")
        assert list(documents.loc[["a-high.txt", "d-low.txt"], "status"]) == ["ok", "ok"] and summary["rejected"] == 2
        conflicts = read_csv_raw(output / schema.CONFLICTS.file_name)
        assert list(conflicts["kind"]) == ["numeric"] and set(conflicts["doc_ids"].str.split("|").sum()) == {"a-high.txt", "d-low.txt"}
        run_info = json.loads((output / "run.json").read_text(encoding="utf-8"))
        assert (run_info["extracted"], run_info["from_cache"]) == (extracted, from_cache)
        assert f"4 inputs: 2 ok, 2 rejected, {extracted} extracted, 2 failed extraction, {from_cache} from cache" in caplog.text
        assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and r.name == "prefect.flow_runs"] == [
            f"extraction failed for 'b-hangs.txt': {documents.loc['b-hangs.txt', 'reason']}",
            "extraction failures not named above: 1 (documents.csv lists every one with its reason)"]
    print(f"\ntimeout runs (s): {timings}")


def test_a_run_that_fails_inside_a_batch_keeps_what_it_extracted_for_the_next_run(prefect_harness, tmp_path, monkeypatch):
    """Each extraction is cached as it arrives, not when its batch ends: a run that dies
    inside a batch (here an exception after two of its four documents) costs the next run
    only the documents it had not extracted."""
    import flows.symptom_claims as flow_module
    from flows import extraction_worker

    monkeypatch.setattr(extraction_worker, "DEFAULT_FACTORY", "tests.stub_extractors:real")
    monkeypatch.setattr(flow_module, "extract_batch", flow_module.extract_batch.with_options(retries=0))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in (("a", "Fatigue affects about 80% of people with multiple sclerosis."), ("b", "Headache affects about 50% of people with migraine."),
                       ("c", "ANSWER_FOR_ANOTHER Nausea affects about 30% of people with migraine."), ("d", "Only 30% of people with multiple sclerosis have fatigue.")):
        (corpus / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    output = tmp_path / "out"
    with pytest.raises(RuntimeError, match="answered for 'someone-else', expected 'c.txt'"):
        run_flow([corpus], output)
    (corpus / "c.txt").write_text("Nausea affects about 30% of people with migraine.\n", encoding="utf-8")
    run_flow([corpus], output)
    run_info = json.loads((output / "run.json").read_text(encoding="utf-8"))
    assert (run_info["extracted"], run_info["from_cache"]) == (2, 2)


def test_a_pipeline_that_cannot_start_fails_the_run_and_keeps_the_tables(prefect_harness, tmp_path, monkeypatch):
    """An upgrade that breaks the pipeline changes the fingerprint, so nothing is cached and
    nothing can be extracted: the run used to reject every document as extraction_error,
    exit 0 and replace good tables with those rejects."""
    import flows.symptom_claims as flow_module
    from flows import extraction_worker

    monkeypatch.setattr(flow_module, "extract_batch", flow_module.extract_batch.with_options(retries=0))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")
    output = tmp_path / "out"
    run_flow([corpus], output)
    before = {path.name: path.read_bytes() for path in output.iterdir() if path.is_file()}
    monkeypatch.setattr(extraction_worker, "DEFAULT_FACTORY", "tests.stub_extractors:failing_start")
    (corpus / "a.txt").write_text("Fatigue affects about 70% of people with multiple sclerosis.\n", encoding="utf-8")
    with pytest.raises(extraction_worker.ExtractionUnavailable, match="did not start: RuntimeError: no pipeline today"):
        run_flow([corpus], output)
    assert {path.name: path.read_bytes() for path in output.iterdir() if path.is_file()} == before


def test_a_large_run_whose_tables_cannot_be_written_leaves_nothing_of_the_side_process_beside_the_old_tables(prefect_harness, tmp_path, monkeypatch):
    """The side process writes the page's temporary meanwhile: a failure of the tables left it."""
    import flows.symptom_claims as flow_module

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")
    output = tmp_path / "out"
    monkeypatch.setattr(flow_module, "LARGE_RUN_DOCUMENTS", 1)
    monkeypatch.setattr(flow_module, "write_outputs", flow_module.write_outputs.with_options(retries=0))

    def full_disk(*args, **kwargs):
        time.sleep(2)  # the page is written meanwhile
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(flow_module, "stage_tables", full_disk)
    with pytest.raises(OSError, match="No space left"):
        run_flow([corpus], output)
    assert temporaries(output) == [] and not (output / "report.html").exists()


def test_a_cache_that_cannot_store_is_kept_and_the_run_says_so_once(prefect_harness, tmp_path, monkeypatch, caplog):
    """An error that is not damage (here a read-only database; a full disk or a lock alike)
    used to delete the cache, so that the next run extracted everything again: now only the
    results it could not store are extracted again, and the log says so once, then counts."""
    from flows.cache import ExtractionCache

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Only 30% of people with multiple sclerosis have fatigue.\n", encoding="utf-8")
    output = tmp_path / "out"
    run_flow([corpus], output)
    (corpus / "c.txt").write_text("Headache affects about 50% of people with migraine.\n", encoding="utf-8")
    (corpus / "d.txt").write_text("Nausea affects about 30% of people with migraine.\n", encoding="utf-8")
    open_database = ExtractionCache._open
    monkeypatch.setattr(ExtractionCache, "_open", lambda cache: read_only(open_database(cache)))
    with caplog.at_level("WARNING"):
        run_flow([corpus], output)
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and r.name == "prefect.flow_runs"] == [
        "a result could not be cached (OperationalError: attempt to write a readonly database); the cache is kept "
        "and the run goes on (the next run extracts such documents again)",
        "2 extraction results could not be cached (the error is above): the next run extracts them again"]
    monkeypatch.undo()
    run_flow([corpus], output)
    run_info = json.loads((output / "run.json").read_text(encoding="utf-8"))
    assert (run_info["extracted"], run_info["from_cache"]) == (2, 2)


def read_only(db: sqlite3.Connection) -> sqlite3.Connection:
    db.execute("PRAGMA query_only = 1")  # writes fail with SQLITE_READONLY
    return db


def test_documents_past_the_run_limit_are_rejected_and_the_run_says_so(prefect_harness, tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        summary = run_flow([corpus], tmp_path / "out", max_documents=2)
    documents = read_csv_raw(tmp_path / "out" / schema.DOCUMENTS.file_name)
    assert list(documents["status"]) == ["ok", "ok", "rejected"] and summary["rejected"] == 1
    assert documents.loc[2, "reason"] == "over_limit: run limit of 2 documents reached; raise --max-documents"
    assert "run limit of 2 documents reached: 1 more rejected as over_limit" in caplog.text


# --- crash safety ------------------------------------------------------------------------

def _cli_env(prefect_home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PYTHONPATH=str(PROJECT_ROOT))
    return env


def _start_cli(corpus: Path, output: Path, prefect_home: Path) -> subprocess.Popen:
    # Own session: the kill reaches Prefect's temporary API server too.
    return subprocess.Popen([sys.executable, "-m", "flows", "run", "--input", str(corpus), "--output", str(output)],
                            cwd=PROJECT_ROOT, env=_cli_env(prefect_home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _kill_when(process: subprocess.Popen, condition, deadline_seconds: float) -> str:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline and process.poll() is None and not condition():
        time.sleep(0.05)
    finished = process.poll() is not None
    _kill(process)
    return "finished before the kill" if finished else "killed"


def _cached_entries(output: Path) -> int:
    """Extractions the run has committed to its cache database so far."""
    for database in (output / ".cache").rglob("*.sqlite"):
        try:
            with contextlib.closing(sqlite3.connect(database)) as connection:
                return connection.execute("SELECT count(*) FROM entries").fetchone()[0]
        except sqlite3.Error:  # created but no table yet
            return 0
    return 0


def test_killed_runs_resume_to_the_tables_of_an_uninterrupted_run(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(PROJECT_ROOT / "data" / "raw", corpus)
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    started = time.perf_counter()
    uninterrupted = _start_cli(corpus, reference, tmp_path / "prefect-reference")
    outcomes = []
    try:
        # 1: during start-up; 2: as soon as the first extraction result is cached. A kill while
        # the outputs are written leaves the previous ones and '.<name>.*.tmp' temporaries
        # (claims.writers.StagedWrite), also of a format this run does not write: that state is
        # planted directly, since a third CLI run would cost another ~40 s.
        run = _start_cli(corpus, crashed, tmp_path / "prefect-1")
        outcomes.append(_kill_when(run, lambda: False, 5))
        run = _start_cli(corpus, crashed, tmp_path / "prefect-2")
        outcomes.append(_kill_when(run, lambda: _cached_entries(crashed) > 0, 90))
        (crashed / ".claims.csv.k1ll3d.tmp").write_text("claim_id,symptom\nhalf a ta", encoding="utf-8")
        (crashed / ".report.html.k1ll3d.tmp").write_text("<html>", encoding="utf-8")
        (crashed / ".run.json.k1ll3d.tmp").write_text("{", encoding="utf-8")
        (crashed / ".documents.parquet.k1ll3d.tmp").write_bytes(b"PAR1")
        final = subprocess.run([sys.executable, "-m", "flows", "run", "--input", str(corpus), "--output", str(crashed)],
                               cwd=PROJECT_ROOT, env=_cli_env(tmp_path / "prefect-final"), capture_output=True, text=True, timeout=120)
        assert final.returncode == 0, final.stderr[-3000:]
        assert uninterrupted.wait(timeout=120) == 0, uninterrupted.stderr.read()[-3000:]
    finally:
        _kill(uninterrupted)
    print(f"\ncrash test: kills {outcomes}, {time.perf_counter() - started:.1f} s")
    assert csv_files(crashed) == csv_files(reference)
    assert len(csv_files(reference)) == len(schema.TABLES)
    assert temporaries(crashed) == [] and temporaries(reference) == []


def _descendants(pid: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_a_terminated_run_leaves_no_process_behind(tmp_path):
    """SIGTERM (a scheduler's timeout) stops the temporary API server and the extraction
    processes with the run; Python's default left the server running."""
    run = _start_cli(PROJECT_ROOT / "data" / "raw", tmp_path / "out", tmp_path / "prefect")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and b"Beginning flow run" not in run.stderr.readline():
            assert run.poll() is None, "the run ended before its flow run began"
        children = _descendants(run.pid)
        assert len(children) >= 2  # the API server, the extraction process
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=60) == 128 + signal.SIGTERM
        assert wait_until(lambda: all(gone(pid) for pid in children), 15), [pid for pid in children if not gone(pid)]
    finally:
        _kill(run)


def test_a_terminated_run_does_not_wait_for_the_batch_in_flight(tmp_path):
    """Prefect's runner waits for its running tasks: a busy extraction child went on through
    its whole batch (up to 1,024 documents, each up to --doc-timeout) before SIGTERM took."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stuck.txt").write_text("HANG_IN_SLEEP Fatigue affects about 80% of people with MS.\n", encoding="utf-8")
    script = ("import sys\nfrom flows import extraction_worker\nfrom flows.cli import main\n"
              "extraction_worker.DEFAULT_FACTORY = 'tests.stub_extractors:light'  # sleeps an hour in the document\n"
              f"sys.exit(main(['run', '--input', {str(corpus)!r}, '--output', {str(tmp_path / 'out')!r}]))\n")
    run = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, env=_cli_env(tmp_path / "prefect"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and b"Beginning flow run" not in run.stderr.readline():
            assert run.poll() is None, "the run ended before its flow run began"
        time.sleep(3)  # the document is in its child by now
        run.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert run.wait(timeout=60) == 128 + signal.SIGTERM
        assert time.monotonic() - started < 20
        assert not (tmp_path / "out" / "documents.csv").exists()
    finally:
        _kill(run)


def test_a_run_past_its_timeout_fails_at_once_and_writes_nothing(prefect_harness, tmp_path, monkeypatch):
    """A run hung on one document (or a read of a share) held back every later scheduled run:
    --run-timeout fails it, and its extraction stops as a SIGTERM's does."""
    from flows import extraction_worker

    monkeypatch.setattr(extraction_worker, "DEFAULT_FACTORY", "tests.stub_extractors:light")  # sleeps an hour in the document
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stuck.txt").write_text("HANG_IN_SLEEP Fatigue affects about 80% of people with MS.\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        run_flow([corpus], tmp_path / "out", run_timeout_s=5)
    assert time.monotonic() - started < 30
    assert not (tmp_path / "out" / "documents.csv").exists()
    assert not extraction_worker._busy


# --- determinism -------------------------------------------------------------------------

def write_two_roots(root: Path) -> tuple[Path, Path]:
    a, b = root / "a", root / "b"
    shutil.copytree(PROJECT_ROOT / "data" / "raw" / "ms", a / "ms")
    shutil.copytree(PROJECT_ROOT / "data" / "raw" / "pages", b / "pages")
    shutil.copy(PROJECT_ROOT / "data" / "raw" / "migraine.md", b / "migraine.md")
    shutil.copy(PROJECT_ROOT / "data" / "raw" / "diabetes.md", a / "diabetes.md")
    fatigue = (a / "ms" / "fatigue.txt").read_text(encoding="utf-8")
    (b / "copy-of-fatigue.txt").write_text(fatigue, encoding="utf-8")  # exact duplicate in the other root
    (a / "near-copy.txt").write_text(fatigue.replace("about", "approximately", 1), encoding="utf-8")
    (b / "figures.txt").write_text("Fatigue affects about 40% of people with multiple sclerosis.\n"
                                   "Headache affects about 90% of people with migraine.\n", encoding="utf-8")
    return a, b


def test_input_order_and_workers_do_not_change_the_tables(prefect_harness, tmp_path):
    a, b = write_two_roots(tmp_path / "corpus")
    timings = {}
    outputs = {}
    for name, inputs, workers in (("ab-1", [a, b], 1), ("ba-1", [b, a], 1), ("ab-2", [a, b], 2)):
        started = time.perf_counter()
        outputs[name] = tmp_path / name
        run_flow(inputs, outputs[name], workers=workers, batch_size=3, use_cache=False)
        timings[name] = round(time.perf_counter() - started, 1)
    print(f"\ndeterminism runs (s): {timings}")
    reference = csv_files(outputs["ab-1"])
    assert len(reference) == len(schema.TABLES)
    documents = read_csv_raw(outputs["ab-1"] / schema.DOCUMENTS.file_name).set_index("doc_id")
    assert documents.loc["ms/fatigue.txt", "duplicate_of"] == "copy-of-fatigue.txt"  # the first by sorted doc_id
    for name in ("ba-1", "ab-2"):
        other = csv_files(outputs[name])
        differing = [table for table in reference if reference[table] != other.get(table)]
        assert not differing, f"{name} differs from ab-1 in {differing}"
