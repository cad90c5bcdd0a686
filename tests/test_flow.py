"""End to end: the Prefect flow over the sample corpus in data/raw, on Prefect's test harness."""
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from claims import schema
from claims.conflicts import CONFLICT_KINDS
from ingest import iter_documents
from tests.conftest import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "data" / "raw"


def read(output: Path, table) -> pd.DataFrame:
    return pd.read_csv(output / table.file_name, dtype=str, keep_default_na=False)


def three_sample_documents(corpus: Path) -> Path:
    """``corpus``, created with three real documents of the sample: a run over them takes seconds."""
    corpus.mkdir()
    for path in sorted((SAMPLE / "ms").glob("*.txt"))[:3]:
        shutil.copy(path, corpus / path.name)
    return corpus


def run_flow(inputs, output, **kwargs):
    from flows.options import RunOptions
    from flows.symptom_claims import run

    return run(RunOptions(inputs=[str(p) for p in inputs], output=str(output), **kwargs))


@pytest.fixture(scope="module")
def sample_run(prefect_harness, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus") / "raw"
    shutil.copytree(SAMPLE, corpus)
    output = tmp_path_factory.mktemp("out")
    summary = run_flow([corpus], output, formats=("csv", "parquet"))
    return corpus, output, summary


def test_all_tables_follow_the_schema(sample_run):
    _, output, _ = sample_run
    for table in schema.TABLES:
        assert list(read(output, table).columns) == table.column_names
        assert (output / f"{table.name}.parquet").exists()
    assert (output / "run.json").exists()


def test_every_input_is_accounted_for(sample_run):
    corpus, output, summary = sample_run
    documents = read(output, schema.DOCUMENTS)
    expected = {d.doc_id: d.status for d in iter_documents([corpus])}
    assert dict(zip(documents["doc_id"], documents["status"])) == expected
    rejected = documents[documents["status"] == "rejected"]
    assert set(rejected["reason"].str.split(":").str[0]) == {"empty", "parse_error"}
    assert summary["rejected"] == len(rejected)


def test_a_rejected_input_has_no_character_count_and_an_accepted_one_its_texts(sample_run):
    corpus, output, _ = sample_run
    texts = {d.doc_id: d.text for d in iter_documents([corpus]) if d.status == "ok"}
    documents = read(output, schema.DOCUMENTS)
    rejected = documents["status"] == "rejected"
    assert rejected.any() and (documents.loc[rejected, "n_chars"] == "").all()
    assert documents.loc[~rejected, "n_chars"].astype(int).tolist() == [len(texts[d]) for d in documents.loc[~rejected, "doc_id"]]


def test_mention_offsets_point_into_the_document_text(sample_run):
    corpus, output, _ = sample_run
    texts = {d.doc_id: d.text for d in iter_documents([corpus]) if d.status == "ok"}
    mentions = read(output, schema.MENTIONS)
    assert len(mentions) > 50
    for row in mentions.itertuples():
        assert texts[row.doc_id][int(row.start):int(row.end)] == row.text


def test_every_mention_id_of_the_evidence_is_a_row_of_mentions(sample_run):
    _, output, _ = sample_run
    mention_ids = set(read(output, schema.MENTIONS)["mention_id"])
    evidence = read(output, schema.EVIDENCE)
    for column in ("symptom_mention_id", "condition_mention_id", "statistic_mention_id"):
        assert set(evidence[column]) - {""} <= mention_ids, column


def test_every_column_the_sample_leaves_empty_says_when(sample_run):
    from claims.writers import read_tables
    from tests.test_claims_tables import undocumented_empty_columns

    assert undocumented_empty_columns(read_tables(sample_run[1])) == []


def test_planted_conflicts_are_found_and_the_agreeing_figures_are_not(sample_run):
    _, output, _ = sample_run
    conflicts = read(output, schema.CONFLICTS)
    assert set(conflicts["kind"]) <= set(CONFLICT_KINDS)  # the kinds `review --kind` accepts
    claims = read(output, schema.CLAIMS).set_index("claim_id")
    pairs = set()
    for row in conflicts.itertuples():
        names = tuple(sorted(claims.loc[c, "symptom"].lower() for c in row.claim_ids.split("|")))
        pairs.add((row.kind, names, claims.loc[row.claim_ids.split("|")[0], "condition"].lower()))
    assert ("numeric", ("fatigue", "fatigue"), "multiple sclerosis") in pairs
    assert ("numeric", ("tremor", "tremor"), "parkinson's disease") in pairs
    assert any(kind == "qualitative" and names == ("headache", "headache") for kind, names, _ in pairs)
    assert not any(names[0] in ("aura", "wheezing", "shortness of breath", "dyspnea") for _, names, _ in pairs)


def test_duplicates_are_flagged_and_not_counted_as_sources(sample_run):
    _, output, _ = sample_run
    documents = read(output, schema.DOCUMENTS).set_index("doc_id")
    assert documents.loc["r2", "duplicate_of"] == "ms/heat-sensitivity.txt"
    assert documents.loc["x1", "duplicate_of"] == "ms/fatigue.txt"
    claims = read(output, schema.CLAIMS)
    fatigue = claims[(claims["symptom"] == "Fatigue") & (claims["value_low"] == "0.8")]
    assert (fatigue["n_documents"].astype(int) == 2).all() and (fatigue["n_sources"].astype(int) == 1).all()


def test_rerun_reuses_the_cache_and_keeps_decisions(sample_run, tmp_path, monkeypatch):
    corpus, output, _ = sample_run
    import flows.symptom_claims as flow_module
    from flows.cli import main

    events = []  # an extraction process is launched at the first uncached document, before its batch goes out
    monkeypatch.setattr(flow_module, "prestart", lambda options, count, **kwargs: events.append(("prestart", count)))
    extract = flow_module.extract_documents
    monkeypatch.setattr(flow_module, "extract_documents", lambda batch, *args, **kwargs: events.append(("extract", len(batch))) or extract(batch, *args, **kwargs))

    conflicts = read(output, schema.CONFLICTS)
    chosen = conflicts.loc[conflicts["kind"] == "numeric", "conflict_id"].iloc[0]
    assert main(["decide", chosen, "--status", "dismissed", "--note", "different definitions", "--output", str(output), "--reviewer", "ana"]) == 0
    before = {t.name: read(output, t) for t in schema.TABLES}
    (corpus / "added.txt").write_text("Nausea affects about 30 percent of people with migraine.", encoding="utf-8")
    summary = run_flow([corpus], output)
    assert summary["counts"]["documents"] == len(before["documents"]) + 1
    import json

    run_info = json.loads((output / "run.json").read_text())
    assert run_info["extracted"] == 1 and run_info["from_cache"] == len(before["documents"]) - 2
    assert events == [("prestart", 1), ("extract", 1)]
    after = read(output, schema.CONFLICTS).set_index("conflict_id")
    assert after.loc[chosen, "status"] == "dismissed" and after.loc[chosen, "decided_by"] == "ana"
    (corpus / "added.txt").unlink()
    run_flow([corpus], output)
    for table in schema.TABLES:
        assert read(output, table).equals(before[table.name]) or table.name == "conflicts"
    assert read(output, schema.CONFLICTS).set_index("conflict_id").loc[chosen, "status"] == "dismissed"


def test_progress_counts_each_document_taken_from_the_cache_and_the_total_at_the_end_of_the_input(sample_run, monkeypatch):
    import json

    from flows import progress

    corpus, output, _ = sample_run
    reports = []
    monkeypatch.setattr(progress, "_listeners", [lambda *counts: reports.append(counts)])
    run_flow([corpus], output, force=True)
    cached = json.loads((output / "run.json").read_text())["from_cache"]
    assert cached > 1 and reports[-1] == (0, cached, cached, True)  # extracted, cached, total, final
    assert sorted({report[1] for report in reports}) == list(range(cached + 1))  # one document at a time, not a batch


def cached(corpus: Path, output: Path) -> tuple[int, set[str]]:
    """(entries in the run's extraction cache, documents of the corpus as it is now that it holds)."""
    from extractors.options import PipelineOptions, pipeline_fingerprint
    from flows.cache import ExtractionCache

    cache = ExtractionCache.of_output(output, pipeline_fingerprint(PipelineOptions()))
    held = {d.doc_id for d in iter_documents([corpus]) if cache.get(d.sha256) is not None}
    with cache._lock:
        (count,) = cache._connection().execute("SELECT count(*) FROM entries").fetchone()
    cache.close()
    return count, held


def test_a_complete_run_drops_the_cache_entries_of_documents_no_longer_in_its_input(prefect_harness, tmp_path):
    """Entries of deleted and changed documents would otherwise stay forever; a run that did
    not look up every document (over --max-documents) must keep the entries of the others."""
    corpus, output = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for name in ("a", "b", "c"):
        (corpus / f"{name}.txt").write_text(f"Fatigue affects about {name} 80% of people with multiple sclerosis.\n", encoding="utf-8")

    run_flow([corpus], output)
    (corpus / "b.txt").write_text("Only 30% of people with multiple sclerosis have fatigue.\n", encoding="utf-8")
    (corpus / "c.txt").unlink()
    run_flow([corpus], output, max_documents=1)  # the changed b.txt is over the limit, not looked up: nothing is dropped
    assert cached(corpus, output) == (3, {"a.txt"})
    run_flow([corpus], output)
    assert cached(corpus, output) == (2, {"a.txt", "b.txt"})


def test_a_renamed_file_is_not_extracted_again_and_its_rows_carry_its_new_name(prefect_harness, tmp_path):
    """The cache keeps one extraction per text and relabels it to the document asking: a
    moved file, and a copy of another file (two documents, one entry), come from the cache
    with the tables of extracting them under their names."""
    corpus, output = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    moved, *others = sorted((SAMPLE / "ms").glob("*.txt"))[:3]
    for path in (moved, *others):
        shutil.copy(path, corpus / path.name)
    run_flow([corpus], output)
    (corpus / "later").mkdir()
    (corpus / moved.name).rename(corpus / "later" / "moved.txt")
    shutil.copy(others[0], corpus / "copy.txt")
    run_flow([corpus], output)
    import json

    run_info = json.loads((output / "run.json").read_text())
    assert (run_info["extracted"], run_info["from_cache"]) == (0, 4)
    assert cached(corpus, output) == (3, {"later/moved.txt", "copy.txt", *(path.name for path in others)})
    run_flow([corpus], tmp_path / "uncached", use_cache=False)
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(read(output, table), read(tmp_path / "uncached", table), obj=table.name)
    documents = read(output, schema.DOCUMENTS).set_index("doc_id")
    assert documents.loc["later/moved.txt", "source"] == "later/moved.txt" and moved.name not in documents.index
    mentions = read(output, schema.MENTIONS).groupby("doc_id")["mention_id"]
    assert mentions.get_group("later/moved.txt").str.startswith("later/moved.txt@").all()
    assert len(mentions.get_group("copy.txt")) == len(mentions.get_group(others[0].name)) > 0


def test_a_records_title_opens_its_text_and_names_the_condition_its_figures_are_of(prefect_harness, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "qa.jsonl").write_text(json.dumps({"id": "q1", "question": "What are the symptoms of Levator syndrome ?",
                                                 "answer": "The pain usually lasts less than 20 minutes."}) + "\n")
    run_flow([corpus], tmp_path / "out", title_field="question")
    text = next(iter_documents([corpus], title_field="question")).text
    mentions = read(tmp_path / "out", schema.MENTIONS)
    assert [(row.text, text[int(row.start):int(row.end)], row.match_source) for row in mentions.itertuples() if row.label == "CONDITION"] == [
        ("Levator syndrome", "Levator syndrome", "page")]
    claims = read(tmp_path / "out", schema.CLAIMS)
    assert claims[["symptom", "condition", "measure"]].values.tolist() == [["Pain", "Levator syndrome", "duration"]]
    assert text.startswith("What are the symptoms of Levator syndrome ?\n\nThe pain")


def test_seed_passages_give_the_core_conflict(prefect_harness, tmp_path):
    from tests.conftest import SEED_PASSAGES, require_shared

    require_shared(SEED_PASSAGES)
    run_flow([SEED_PASSAGES.parent], tmp_path)
    claims = read(tmp_path, schema.CLAIMS)
    spasticity = claims[(claims["symptom"] == "Spasticity") & (claims["measure"] == "prevalence")]
    assert spasticity[["condition", "value_low", "qualifier"]].values.tolist() == [["multiple sclerosis", "0.2", "about"]]
    conflicts = read(tmp_path, schema.CONFLICTS)
    related = conflicts[conflicts["kind"] == "related_numeric"]
    assert len(related) >= 1 and related["reason"].str.contains("about 20%").all() and related["reason"].str.contains("40%-80%").all()
    assert (conflicts["kind"] == "alias").sum() == 1
    assert set(conflicts["kind"]) <= {"related_numeric", "alias", "curated"}


def test_extraction_on_an_existing_dask_cluster(prefect_harness, tmp_path, monkeypatch, caplog):
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # the cluster's workers report to the harness
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Fatigue affects about 80 percent of people with multiple sclerosis.", encoding="utf-8")
    (corpus / "b.txt").write_text("Only 30% of people with multiple sclerosis have fatigue.", encoding="utf-8")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster, caplog.at_level("INFO"):
        summary = run_flow([corpus], tmp_path / "out", dask_address=cluster.scheduler_address)
    assert summary["counts"]["documents"] == 2
    # the cluster's threads set how many batches are in flight, not --workers (default 1)
    assert f"Dask cluster at {cluster.scheduler_address}: 2 worker threads, up to 4 batches in flight" in caplog.text
    conflicts = read(tmp_path / "out", schema.CONFLICTS)
    assert list(conflicts["kind"]) == ["numeric"]


def test_unchanged_rerun_is_up_to_date_and_any_change_rebuilds(prefect_harness, tmp_path):
    """A rerun over unchanged inputs rewrites nothing; a new input, a touched output or
    --force rebuilds, and the run after that is up to date again."""
    corpus, output = tmp_path / "corpus", tmp_path / "out"
    three_sample_documents(corpus)
    first = run_flow([corpus], output)
    assert not first["up_to_date"] and first["counts"]["documents"] == 3

    def stamps():
        return {p.name: p.stat().st_mtime_ns for p in output.iterdir() if p.is_file()}

    before = stamps()
    again = run_flow([corpus], output)
    assert again["up_to_date"] and again["counts"] == first["counts"] and stamps() == before

    changes = {
        "new input": lambda: (corpus / "new.txt").write_text("Fatigue affects about 80 percent of people with MS.", encoding="utf-8"),
        "output edited": lambda: (output / schema.CLAIMS.file_name).write_text("edited\n", encoding="utf-8"),
        "output removed": lambda: (output / "report.html").unlink(),
    }
    for name, change in changes.items():
        change()
        assert not run_flow([corpus], output)["up_to_date"], name
        assert run_flow([corpus], output)["up_to_date"], name
    assert not run_flow([corpus], output, force=True)["up_to_date"]
    assert read(output, schema.CLAIMS).columns.tolist() == schema.CLAIMS.column_names


def test_an_output_folder_inside_the_input_folder_is_not_read_back(prefect_harness, tmp_path):
    """Nor is a decisions file there: each run read the last one's tables and report as
    documents, so the input grew on every run and no rerun was up to date."""
    from claims.decisions import DECISION_COLUMNS

    corpus = tmp_path / "corpus"
    three_sample_documents(corpus)
    (corpus / "decisions.csv").write_text(",".join(DECISION_COLUMNS) + "\n", encoding="utf-8")
    nested = {"output": corpus / "out", "decisions": str(corpus / "decisions.csv")}

    first = run_flow([corpus], **nested)
    again = run_flow([corpus], **nested)

    assert first["counts"]["documents"] == 3
    assert again["up_to_date"] and again["counts"] == first["counts"]


def test_outputs_change_as_one_set_and_a_dropped_format_goes(prefect_harness, tmp_path, monkeypatch):
    """A run that fails while writing its tables leaves every old output byte-identical (none
    is replaced before all are written); the next run replaces them all and removes the
    Parquet tables it was not asked for, which would still hold a deleted document."""
    import json

    import flows.symptom_claims as flow_module
    from flows.manifest import file_digest
    from tests.test_claims_tables import disk_full_from_the_third_table, files_in

    corpus, output = tmp_path / "corpus", tmp_path / "out"
    three_sample_documents(corpus)
    run_flow([corpus], output, formats=("csv", "parquet"))
    old = files_in(output)
    assert {"documents.parquet", "report.html", "run.json"} <= set(old)
    removed = min(corpus.glob("*.txt"))
    removed.unlink()

    with monkeypatch.context() as patches:
        disk_full_from_the_third_table(patches)
        patches.setattr(flow_module, "write_outputs", flow_module.write_outputs.with_options(retries=0))
        with pytest.raises(OSError, match="No space left"):
            run_flow([corpus], output)
    assert files_in(output) == old

    run_flow([corpus], output)
    assert not list(output.glob("*.parquet")) and not list(output.glob(".*.tmp"))
    assert removed.name not in read(output, schema.DOCUMENTS)["doc_id"].tolist()
    recorded = json.loads((output / "run.json").read_text(encoding="utf-8"))["manifest"]["outputs"]
    assert sorted(recorded) == sorted([t.file_name for t in schema.TABLES] + ["report.html"])
    assert all(file_digest(output / name) == digest for name, digest in recorded.items())


def test_code_fingerprint_follows_every_code_file(tmp_path, monkeypatch):
    from flows import manifest

    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "rules.py").write_text("THRESHOLD = 1\n")
    monkeypatch.setattr(manifest, "PROJECT_ROOT", tmp_path)
    before = manifest.code_fingerprint("pipeline")
    assert manifest.code_fingerprint("pipeline") == before
    (tmp_path / "claims" / "rules.py").write_text("THRESHOLD = 2\n")
    assert manifest.code_fingerprint("pipeline") != before
    assert manifest.code_fingerprint("other pipeline") != manifest.code_fingerprint("pipeline")


def extraction_processes(busy_too: bool = True) -> int:
    """Extraction processes alive: idle ones, and busy ones unless told otherwise."""
    from flows import extraction_worker

    with extraction_worker._lock:
        return sum(worker.alive() for worker in [*extraction_worker._idle, *(extraction_worker._busy if busy_too else ())])


def test_a_large_run_finds_duplicates_and_renders_its_report_in_the_side_process_with_the_same_result(sample_run, tmp_path, monkeypatch):
    """... and it stops its extraction processes before consolidating, where a small run keeps
    them, and starts the side process only then: the two never hold memory at once."""
    import flows.symptom_claims as flow_module
    from flows.side_process import SideProcess

    corpus = sample_run[0]
    run_flow([corpus], tmp_path / "here")  # a small run: the report is rendered in the flow's process
    assert extraction_processes(busy_too=False) >= 1
    started, idle_when_consolidating, extracting_when_started = [], [], []
    monkeypatch.setattr(flow_module, "LARGE_RUN_DOCUMENTS", 1)

    def side_process(module):
        started.append(module)
        extracting_when_started.append(extraction_processes())
        return SideProcess(module)

    monkeypatch.setattr(flow_module, "SideProcess", side_process)
    build_tables = flow_module.build_tables
    monkeypatch.setattr(flow_module, "build_tables", lambda *args: idle_when_consolidating.append(extraction_processes(busy_too=False)) or build_tables(*args))
    run_flow([corpus], tmp_path / "side")
    assert started == ["claims.report"] and idle_when_consolidating == [0] and extracting_when_started == [0]
    run_flow([corpus], tmp_path / "side", force=True)  # every document from the cache: no batch is sent
    assert started == ["claims.report"] * 2
    for table in schema.TABLES:
        assert (tmp_path / "side" / table.file_name).read_bytes() == (tmp_path / "here" / table.file_name).read_bytes()
    report = {name: (tmp_path / name / "report.html").read_text(encoding="utf-8").replace(str(tmp_path / name), "OUT")
              for name in ("here", "side")}
    assert report["side"] == report["here"]


def test_a_deployment_run_keeps_to_its_workers(prefect_harness, tmp_path, monkeypatch):
    """A deployment loads the bare flow, whose default runner ran every batch in flight at once:
    three extraction processes for workers=1. It re-runs itself with the runner asked for."""
    import threading
    import time

    import flows.symptom_claims as flow_module

    running, most = [0], [0]
    lock = threading.Lock()
    extract = flow_module.extract_documents

    def counted(batch, *args, **kwargs):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.3)  # long enough for batches in flight to overlap
        try:
            return extract(batch, *args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(flow_module, "extract_documents", counted)
    corpus = tmp_path / "in"
    corpus.mkdir()
    for number in range(8):
        (corpus / f"{number}.txt").write_text(f"Fatigue affects about {number + 10} percent of people with lupus.", encoding="utf-8")
    summary = flow_module.symptom_claims(inputs=[str(corpus)], output=str(tmp_path / "out"), workers=1, batch_size=1)
    assert most[0] == 1
    assert summary["counts"]["documents"] == 8 and (tmp_path / "out" / "claims.csv").exists()


def test_a_passing_failure_to_read_is_retried(prefect_harness, tmp_path, monkeypatch):
    """Consolidation reads the spooled extractions and the decisions file: a network share's
    hiccup there costs a retry, not the run."""
    import flows.symptom_claims as flow_module

    calls = []
    read_decisions = flow_module.read_decisions

    def flaky(path):
        calls.append(path)
        if len(calls) == 1:
            raise OSError(5, "Input/output error")
        return read_decisions(path)

    monkeypatch.setattr(flow_module, "read_decisions", flaky)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Fatigue affects about 80 percent of people with lupus.", encoding="utf-8")
    summary = run_flow([tmp_path / "in"], tmp_path / "out")
    assert len(calls) == 2 and summary["counts"]["documents"] == 1


def test_a_file_that_could_not_be_read_after_it_was_hashed_is_read_again_by_the_next_run(prefect_harness, tmp_path, monkeypatch):
    """An NFS hiccup between the manifest's hashing and the reading: the run rejects the file
    as unreadable, and must not be up to date, or the reject would stand until the file changed."""
    import ingest.documents

    corpus, output = tmp_path / "corpus", tmp_path / "out"
    three_sample_documents(corpus)
    first_file = str(sorted(corpus.iterdir())[0])
    opened = ingest.documents.open_binary
    hiccups = []

    def flaky(path, *args):
        if path == first_file and not hiccups:
            hiccups.append(path)
            raise OSError(5, "Input/output error")
        return opened(path, *args)

    monkeypatch.setattr(ingest.documents, "open_binary", flaky)
    first = run_flow([corpus], output)
    assert hiccups and first["rejected"] == 1

    second = run_flow([corpus], output)
    assert not second["up_to_date"] and second["rejected"] == 0
    assert run_flow([corpus], output)["up_to_date"]


def test_a_named_pipe_among_the_inputs_is_listed_not_opened(tmp_path):
    """Hashing the inputs for the manifest opened it, and the open waits for a writer: forever."""
    import os
    import threading

    from flows.manifest import _input_files
    from flows.options import RunOptions

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Fatigue is common in MS.", encoding="utf-8")
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    found = {}
    walker = threading.Thread(target=lambda: found.update(_input_files(RunOptions(inputs=[str(tmp_path / "in")], output=str(tmp_path / "out")))),
                              daemon=True)
    walker.start()
    walker.join(30)
    assert not walker.is_alive(), "hashing the inputs blocked on the named pipe"
    assert found[str(tmp_path / "in" / "pipe.txt")] == "unreadable: not a regular file"
