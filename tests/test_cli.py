"""Command-line behaviour that needs no flow run: usage errors, review and decide."""
import json
import os
import socket
import subprocess
import sys

import pandas as pd
import pytest

from claims import schema
from claims.decisions import read_decisions
from flows import cli
from claims.writers import read_tables
from flows.cli import main
from tests.test_claims_tables import occurrence, tables_for, write_tables


def test_help_documents_every_command():
    result = subprocess.run([sys.executable, "-m", "flows", "run", "--help"], capture_output=True, text=True, check=True)
    for option in ("--input", "--output", "--text-field", "--title-field", "--id-field", "--format", "--workers", "--decisions", "--ner-model", "--strict", "--max-input-drop",
                   "--max-file-mb", "--max-record-chars", "--max-decompressed-mb", "--max-compression-ratio", "--max-documents", "--doc-timeout"):
        assert option in result.stdout


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert main(["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")]) == 2
    assert "input not found" in capsys.readouterr().err


def test_unwritable_output_is_a_usage_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["run", "--input", str(tmp_path), "--output", str(blocker / "out")]) == 2
    assert "cannot create output folder" in capsys.readouterr().err


def test_an_input_in_the_output_folder_is_a_usage_error(tmp_path, capsys):
    output = tmp_path / "out"
    output.mkdir()
    (output / "mentions.csv").write_text("text\nfatigue\n")
    assert main(["run", "--input", str(output / "mentions.csv"), "--output", str(output)]) == 2
    assert capsys.readouterr().err == (f"symptom-claims: error: input path '{output / 'mentions.csv'}' lies in the output folder "
                                       f"'{output}', which is never read as input\n")


def test_unknown_ner_model_is_a_usage_error(tmp_path, capsys):
    assert main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "o"), "--ner-model", "en_no_such_model"]) == 2
    assert "not installed" in capsys.readouterr().err


def test_an_unreachable_dask_scheduler_is_a_usage_error_within_seconds(tmp_path, capsys):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "o"), "--dask-address", f"tcp://127.0.0.1:{port}"]) == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in capsys.readouterr().err


def test_a_dask_cluster_needs_a_prefect_server_that_outlives_the_run(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli, "configured_api_url", lambda: None)  # Prefect's temporary server would be used
    with socket.socket() as scheduler:
        scheduler.bind(("127.0.0.1", 0))
        scheduler.listen()
        address = "tcp://127.0.0.1:%d" % scheduler.getsockname()[1]
        assert main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "o"), "--dask-address", address]) == 2
    assert "--dask-address needs a Prefect server that outlives the run: set PREFECT_API_URL" in capsys.readouterr().err


def test_a_failed_run_exits_3_with_one_line(tmp_path, capsys, monkeypatch):
    def crash(args):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(cli.COMMANDS, "run", crash)
    assert main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "o")]) == 3
    assert capsys.readouterr().err == "symptom-claims: error: run failed: OSError: [Errno 28] No space left on device\n"


@pytest.mark.parametrize("option, value, message", [
    ("--workers", "0", "must be at least 1, got 0"),
    ("--max-file-mb", "-5", "must be at least 1, got -5"),
    ("--max-record-chars", "1e6", "must be a whole number, got '1e6'"),
    ("--max-decompressed-mb", "0", "must be at least 1, got 0"),
    ("--max-compression-ratio", "0", "must be above 0, got 0"),
    ("--max-compression-ratio", "inf", "must be above 0, got inf"),
    ("--max-documents", "-1", "must be at least 1, got -1"),
    ("--doc-timeout", "0", "must be above 0, got 0"),
    ("--doc-timeout", "never", "must be a number, got 'never'"),
    ("--max-input-drop", "1.5", "must be from 0 to 1, got 1.5"),
    ("--max-input-drop", "50%", "must be a number, got '50%'"),
])
def test_bad_option_value_is_a_one_line_usage_error(tmp_path, capsys, option, value, message):
    with pytest.raises(SystemExit) as stop:
        main(["run", "--input", str(tmp_path), "--output", str(tmp_path), f"{option}={value}"])
    assert stop.value.code == 2
    assert capsys.readouterr().err == f"symptom-claims run: error: argument {option}: {message} (see symptom-claims run --help)\n"


def run_options(*arguments: str):
    from flows.cli import _parser, _run_options

    return _run_options(_parser().parse_args(["run", "--input", ".", "--output", "out", *arguments]))


def test_every_limit_is_set_from_the_command_line():
    options = run_options("--max-file-mb", "7", "--max-record-chars", "3000000", "--max-decompressed-mb", "900",
                          "--max-compression-ratio", "250.5", "--max-documents", "10", "--doc-timeout", "45.5")
    assert options.limits.__dict__ == {"max_file_bytes": 7_000_000, "max_record_chars": 3_000_000, "max_decompressed_bytes": 900_000_000,
                                       "max_compression_ratio": 250.5, "max_documents": 10}
    assert options.pipeline.max_doc_chars == 3_000_000  # nlp.max_length follows the record limit
    assert options.doc_timeout_s == 45.5
    assert run_options("--doc-timeout", "off").doc_timeout_s is None


def test_limits_not_given_keep_the_documented_defaults():
    from ingest import IngestLimits

    options = run_options()
    assert options.limits == IngestLimits() and options.limits.max_documents is None
    assert options.doc_timeout_s == 300


def test_an_input_given_as_a_symlink_keeps_its_own_name(tmp_path, monkeypatch):
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "2026-11-29.txt").write_text("Fever")
    os.symlink(tmp_path / "snapshots" / "2026-11-29.txt", tmp_path / "latest.txt")
    monkeypatch.chdir(tmp_path)

    options = run_options("--input", "latest.txt", "--decisions", "d.csv")

    assert options.inputs[-1] == str(tmp_path / "latest.txt")  # its documents are named latest.txt, whatever it points to
    assert options.decisions == str(tmp_path / "d.csv")  # read from the same file wherever the flow runs


@pytest.fixture
def finished_run(tmp_path):
    tables = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, "about")], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]})
    write_tables(tables, tmp_path)
    return tmp_path, tables["conflicts"].loc[0, "conflict_id"]


def test_review_lists_open_conflicts_and_decide_records(finished_run, capsys):
    output, conflict_id = finished_run
    assert main(["review", "--output", str(output)]) == 0
    listing = capsys.readouterr().out
    assert "1 open conflicts" in listing and conflict_id in listing and "about 80%" in listing
    assert main(["decide", conflict_id, "--status", "confirmed", "--note", "checked", "--output", str(output), "--reviewer", "bo"]) == 0
    decisions = pd.read_csv(output / "decisions.csv", dtype=str)
    assert decisions[["conflict_id", "status", "decided_by"]].values.tolist() == [[conflict_id, "confirmed", "bo"]]
    assert main(["review", "--output", str(output)]) == 0
    assert "0 open conflicts" in capsys.readouterr().out
    conflicts = pd.read_csv(output / schema.CONFLICTS.file_name, dtype=str)
    assert conflicts.loc[0, "status"] == "confirmed"


def test_decide_updates_every_format_of_the_conflicts_table_and_the_report(finished_run, capsys):
    output, conflict_id = finished_run
    write_tables(read_tables(output), output, formats=("csv", "parquet"))  # a run with --format parquet
    assert main(["decide", conflict_id, "--status", "dismissed", "--output", str(output)]) == 0
    assert pd.read_parquet(output / "conflicts.parquet").loc[0, "status"] == "dismissed"  # it kept "open"
    assert "dismissed" in (output / "report.html").read_text(encoding="utf-8")
    assert not list(output.glob(".*.tmp"))


def test_review_piped_into_head_ends_quietly_when_head_closes_the_pipe(finished_run):
    """`review | head -1`: more output than the pipe holds, so review writes after head has gone."""
    output, _ = finished_run
    conflicts = read_tables(output)["conflicts"]
    many = pd.concat([conflicts] * 2000, ignore_index=True)
    many["conflict_id"] = [f"CF{number:012d}" for number in range(len(many))]
    write_tables({**read_tables(output), "conflicts": many}, output)
    review = subprocess.Popen([sys.executable, "-m", "flows", "review", "--output", str(output)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = subprocess.run(["head", "-1"], stdin=review.stdout, capture_output=True, text=True)
    review.stdout.close()
    assert head.stdout == "2000 open conflicts\n"
    assert (review.wait(timeout=60), review.stderr.read()) == (0, b"")


def test_review_of_an_unknown_kind_is_a_usage_error(finished_run, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["review", "--output", str(finished_run[0]), "--kind", "bogus"])
    assert exit.value.code == 2 and "invalid choice: 'bogus'" in capsys.readouterr().err


def test_decide_records_into_the_decisions_file_the_last_run_read(finished_run, capsys):
    """The report page's command names no --decisions; a run given one must still see the decision."""
    output, conflict_id = finished_run
    shared = output.parent / "team-decisions.csv"
    (output / "run.json").write_text(json.dumps({"options": {"decisions": str(shared)}}), encoding="utf-8")

    assert main(["decide", conflict_id, "--status", "dismissed", "--note", "n", "--output", str(output)]) == 0

    assert read_decisions(shared)["conflict_id"].tolist() == [conflict_id]
    assert not (output / "decisions.csv").exists()


def test_decide_unknown_conflict(finished_run, capsys):
    output, _ = finished_run
    assert main(["decide", "CFnope", "--status", "dismissed", "--output", str(output)]) == 2
    assert "no conflict CFnope" in capsys.readouterr().err


def test_extraction_processes_start_ahead_when_documents_will_need_them(tmp_path):
    import json

    from extractors.options import pipeline_fingerprint
    from flows.cache import ExtractionCache
    from flows.cli import _children_to_prestart, _parser, _run_options
    from flows.manifest import build_manifest

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Fatigue affects most people with MS.", encoding="utf-8")

    def options(*extra):
        return _run_options(_parser().parse_args(["run", "--input", str(corpus), "--output", str(tmp_path / "out"), "--workers", "3", *extra]))

    def children(*extra):
        run = options(*extra)
        return _children_to_prestart(run, pipeline_fingerprint(run.pipeline))

    assert children() == 3  # first run: every worker extracts from the first batch on
    assert children("--no-cache") == 3
    cache = ExtractionCache.of_output(tmp_path / "out", pipeline_fingerprint(options().pipeline))
    cache.put("hash", {"doc_id": "a.txt"})
    cache.close()
    assert children("--no-curated-abbreviations") == 3  # another pipeline: nothing cached for it
    assert children() == 1  # cached, but no record of what the last run read
    run = options()
    manifest = build_manifest(run, pipeline_fingerprint(run.pipeline))
    (tmp_path / "out" / "run.json").write_text(json.dumps({"manifest": manifest}), encoding="utf-8")
    assert children() == 0  # the same input: the cache serves every document
    (corpus / "b.txt").write_text("Headache is common in migraine.", encoding="utf-8")
    assert children() == 1  # a new file: one child builds while Prefect starts
    (corpus / "b.txt").unlink()
    (corpus / "a.txt").write_text("Fatigue affects a few people with MS.", encoding="utf-8")
    assert children() == 1  # a changed file (sizes only: an edit of the same length is not seen)
