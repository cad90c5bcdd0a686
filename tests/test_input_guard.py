"""The guard against an input that vanished (flows.input_guard): the rule, then a refused run
through the command line."""
import json

import pytest

from claims import schema
from flows.input_guard import GUARD_WINDOW, documents_read, input_drop_refusal, input_history, input_replaced_refusal
from flows.options import RunOptions

FINISHED_AT = "2026-11-28T02:00:03+00:00"


def run_info(ok: int, *reject_reasons: str) -> dict:
    """The run.json of a run that read ``ok`` documents and rejected one per reason given."""
    rejects = [{"doc_id": f"r{n}", "source": f"r{n}", "reason": reason} for n, reason in enumerate(reject_reasons)]
    inputs = [{"doc_id": f"d{n}", "status": "ok"} for n in range(ok)] + [{"doc_id": r["doc_id"], "status": "rejected"} for r in rejects]
    return {"finished_at": FINISHED_AT, "inputs": inputs, "rejects": rejects}


def test_an_input_that_vanished_is_refused_in_one_line_with_the_figures_and_the_remedy():
    assert input_drop_refusal(run_info(16_407), 0, 0.5) == (
        f"the input holds 0 documents that could be read against 16,407 in the run of {FINISHED_AT} "
        "(a drop of 100%, more than --max-input-drop 0.5 allows): is a share unmounted or a folder half-synced? "
        "Nothing was written; rerun with --max-input-drop 1 (flow parameter max_input_drop) to accept the smaller input")


@pytest.mark.parametrize("before, now, max_input_drop, refused", [
    (10, 5, 0.5, False),  # a drop of exactly the limit passes
    (10, 4, 0.5, True),
    (50, 29, 0.42, False),  # (1 - 0.42) * 50 is 29.000000000000004 in floating point
    (50, 28, 0.42, True),
    (16_407, 0, 1.0, False),  # 1 turns the guard off
    (10, 10, 0.0, False),  # 0 refuses any loss
    (10, 9, 0.0, True),
    (10, 25, 0.5, False),  # the input grew
])
def test_a_run_is_refused_only_when_its_input_dropped_by_more_than_the_limit(before, now, max_input_drop, refused):
    assert (input_drop_refusal(run_info(before), now, max_input_drop) is not None) == refused


@pytest.mark.parametrize("previous", [
    None,  # first run into the folder, or its run.json cannot be read
    {"manifest": {}},  # a run.json without the inputs
    run_info(0, "empty: no text", "parse_error: line 2"),  # a previous run that read nothing
])
def test_without_documents_read_by_a_previous_run_there_is_no_guard(previous):
    assert input_drop_refusal(previous, 0, 0.0) is None


def test_documents_rejected_after_they_were_read_count_as_in_the_input():
    """Past --max-documents, or failed in extraction (retried next run): lowering the limit or
    a broken pipeline does not make the input look smaller, nor blind the next run's guard."""
    previous = run_info(1, "over_limit: run limit of 1 documents reached; raise --max-documents", "timeout: extraction took longer than 300 s",
                        "extraction_error: Boom", "empty: no text", "unreadable: Permission denied")
    assert documents_read(previous["inputs"]) + documents_read(previous["rejects"]) == 4
    assert input_drop_refusal(previous, 2, 0.5) is None
    assert "holds 1 documents that could be read against 4 " in input_drop_refusal(previous, 1, 0.5)
    this_run = [{"status": "ok", "reason": ""}, {"status": "rejected", "reason": "over_limit: run limit"}, {"status": "rejected", "reason": "empty"}]
    assert documents_read(this_run) == 2


def nights(*counts: int, max_input_drop: float = 0.5) -> dict:
    """The run.json after one accepted run a night with these input counts."""
    previous = None
    for night, count in enumerate(counts, 1):
        assert input_drop_refusal(previous, count, max_input_drop) is None
        finished_at = f"2026-11-{night:02d}T02:00:00+00:00"
        history = input_history(previous, count, finished_at, max_input_drop)
        previous = {**run_info(count), "finished_at": finished_at, "input_history": history}
    return previous


def test_a_loss_spread_over_nights_is_refused_against_the_largest_remembered_input():
    """A share losing a third a night passes each comparison with the night before: against
    the largest of the last week's inputs, the third night's loss is refused."""
    previous = nights(900, 600)
    assert input_drop_refusal(previous, 400, 0.5) == (
        "the input holds 400 documents that could be read against 900 in the run of 2026-11-01T02:00:00+00:00 "
        "(a drop of 56%, more than --max-input-drop 0.5 allows): is a share unmounted or a folder half-synced? "
        "Nothing was written; rerun with --max-input-drop 1 (flow parameter max_input_drop) to accept the smaller input")


def test_the_guard_remembers_a_week_of_runs_and_forgets_them_after_a_deliberate_shrink():
    previous = nights(900, *[600] * (GUARD_WINDOW - 1))
    assert [run["documents_read"] for run in previous["input_history"]] == [900, *[600] * (GUARD_WINDOW - 1)]
    assert input_drop_refusal(previous, 400, 0.5) is not None
    previous["input_history"] = input_history(previous, 600, "2026-11-08T02:00:00+00:00", 0.5)
    assert len(previous["input_history"]) == GUARD_WINDOW and input_drop_refusal(previous, 400, 0.5) is None  # 900 is forgotten
    shrunk = input_history(nights(900, 900), 100, "2026-11-03T02:00:00+00:00", 1.0)  # --max-input-drop 1
    assert shrunk == [{"finished_at": "2026-11-03T02:00:00+00:00", "documents_read": 100}]


def documents(*pairs: tuple[str, str]) -> list[dict]:
    """Rows of a run's documents, (doc_id, sha256) each, all read."""
    return [{"doc_id": doc_id, "sha256": sha256, "status": "ok", "reason": ""} for doc_id, sha256 in pairs]


def test_an_input_whose_files_were_replaced_by_as_many_others_is_refused():
    """The same count, other documents: a share mounted over another passed the count."""
    previous = {"finished_at": FINISHED_AT, "inputs": documents(*[(f"a{n}.txt", f"h{n}") for n in range(10)])}
    assert input_drop_refusal(previous, 10, 0.5) is None
    assert input_replaced_refusal(previous, documents(*[(f"b{n}.txt", f"x{n}") for n in range(10)]), 0.5) == (
        f"10 of the 10 documents read by the run of {FINISHED_AT} are no longer in the input, neither by path nor by text "
        "(100%, more than --max-input-drop 0.5 allows): were the files replaced, or another folder mounted in their place? "
        "Nothing was written; rerun with --max-input-drop 1 (flow parameter max_input_drop) to accept the new input")
    assert input_replaced_refusal(previous, documents(*[(f"b{n}.txt", f"x{n}") for n in range(10)]), 1.0) is None


@pytest.mark.parametrize("now, refused", [
    ([(f"moved/a{n}.txt", f"h{n}") for n in range(10)], False),  # a moved corpus keeps its texts
    ([(f"a{n}.txt", f"edited{n}") for n in range(10)], False),  # an edited one its paths
    ([*[(f"a{n}.txt", f"h{n}") for n in range(5)], *[(f"b{n}.txt", f"x{n}") for n in range(5)]], False),  # half: the limit
    ([*[(f"a{n}.txt", f"h{n}") for n in range(4)], *[(f"b{n}.txt", f"x{n}") for n in range(6)]], True),
])
def test_documents_count_as_kept_by_their_path_or_their_text(now, refused):
    previous = {"finished_at": FINISHED_AT, "inputs": documents(*[(f"a{n}.txt", f"h{n}") for n in range(10)])}
    assert (input_replaced_refusal(previous, documents(*now), 0.5) is not None) == refused


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan")])
def test_max_input_drop_is_a_fraction(value):
    with pytest.raises(ValueError, match="max_input_drop must be a fraction from 0 to 1"):
        RunOptions(inputs=["in"], output="out", max_input_drop=value)


def test_a_run_over_an_input_that_vanished_fails_and_changes_nothing(prefect_harness, tmp_path, capsys):
    """Tables, report and run.json stay byte-identical and the cache keeps every entry, also
    the extraction of the refused run; once the documents are back the tables are up to date;
    --max-input-drop 1 accepts the smaller input, and the option does not make the next run's
    tables stale."""
    from flows.cli import main
    from tests.test_claims_tables import files_in
    from tests.test_flow import read, three_sample_documents
    from tests.test_reliability import _cached_entries

    corpus, output = three_sample_documents(tmp_path / "corpus"), tmp_path / "out"
    run = ["run", "--input", str(corpus), "--output", str(output)]
    assert main(run) == 0
    outputs = files_in(output)
    finished_at = json.loads(outputs["run.json"])["finished_at"]
    away = tmp_path / "away"
    corpus.rename(away)
    corpus.mkdir()
    (corpus / "new.txt").write_text("Fatigue affects about 80% of people with multiple sclerosis.\n", encoding="utf-8")  # half-synced
    capsys.readouterr()

    assert main(run) == 5
    assert "holds 1 documents that could be read against 3 " in capsys.readouterr().err
    assert files_in(output) == outputs and _cached_entries(output) == 4 and not (output / ".cache" / "spool").exists()

    (corpus / "new.txt").unlink()  # the share is unmounted: its mount point is an empty folder
    assert main(run) == 5
    assert capsys.readouterr().err == (
        f"symptom-claims: error: run refused: the input holds 0 documents that could be read against 3 in the run of {finished_at} "
        "(a drop of 100%, more than --max-input-drop 0.5 allows): is a share unmounted or a folder half-synced? "
        "Nothing was written; rerun with --max-input-drop 1 (flow parameter max_input_drop) to accept the smaller input\n")
    assert files_in(output) == outputs and _cached_entries(output) == 4

    corpus.rmdir()
    away.rename(corpus)  # the share is back
    assert main(run) == 0 and capsys.readouterr().out.startswith("up to date")
    for document in corpus.iterdir():
        document.unlink()
    assert main([*run, "--max-input-drop", "1"]) == 0
    assert read(output, schema.DOCUMENTS).empty and _cached_entries(output) == 0
    capsys.readouterr()
    assert main(run) == 0 and capsys.readouterr().out.startswith("up to date")
