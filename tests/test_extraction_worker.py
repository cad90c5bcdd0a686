"""The extraction supervisor (flows/extraction_worker.py): a hard time limit per document,
crash isolation, and results identical to in-process extraction.

Most tests run the light stub factory of tests/stub_extractors.py in the child (no spaCy,
starts in ~0.2 s); markers in a document's text make it hang, crash or raise there.
"""
from __future__ import annotations

import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows import extraction_worker
from flows.extraction_worker import ExtractionUnavailable, extract_documents, extracted_result, rejected_result
from tests.conftest import PROJECT_ROOT

LIGHT = "tests.stub_extractors:light"
TIMEOUT_REASON = "timeout: extraction took longer than {} s; raise --doc-timeout, or split the document"
DIED_REASON = "extraction_error: the extraction process died ({}); the other documents are not affected"


def pids(results: list[dict]) -> list[int | None]:
    return [r["extraction"]["pid"] if r["extraction"] else None for r in results]


def gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for its new parent to reap it counts)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("marker", ["HANG_IN_REGEX", "HANG_IN_SLEEP"])
def test_a_runaway_document_times_out_and_the_rest_of_the_batch_is_extracted(marker):
    batch = [("a", "first"), ("stuck", f"{marker} here"), ("b", "second"), ("c", "third")]
    started = time.perf_counter()
    results = extract_documents(batch, "opts", timeout_s=1, factory=LIGHT)
    elapsed = time.perf_counter() - started

    assert [r["doc_id"] for r in results] == ["a", "stuck", "b", "c"]
    assert results[1] == rejected_result("stuck", TIMEOUT_REASON.format(1))
    assert [r["extraction"]["text"] for r in results if r["extraction"]] == ["first", "second", "third"]
    assert all(r["error"] == "" for r in results if r["doc_id"] != "stuck")
    before, _, after, last = pids(results)
    assert before != after == last  # killed, and one fresh child took the rest of the batch
    assert gone(before)
    assert elapsed < 8, elapsed


@pytest.mark.parametrize("marker, how", [
    ("EXIT_PROCESS", "exit code 3"),
    ("KILL_PROCESS", "killed by SIGKILL, out of memory?"),
    ("SEGFAULT", "killed by SIGSEGV"),
])
def test_a_document_that_kills_its_process_is_rejected_and_the_others_are_extracted(marker, how):
    results = extract_documents([("a", "first"), ("bad", marker), ("b", "second")], "opts", timeout_s=30, factory=LIGHT)

    assert results[1] == rejected_result("bad", DIED_REASON.format(how))
    assert [r["extraction"]["text"] for r in (results[0], results[2])] == ["first", "second"]


def test_an_exception_rejects_only_its_document_and_the_child_carries_on():
    results = extract_documents([("a", "first"), ("bad", "RAISE_ERROR"), ("b", "second")], "opts", timeout_s=30, factory=LIGHT)

    assert results[1] == rejected_result("bad", "extraction_error: ValueError: bad document")  # one line
    assert pids(results)[0] == pids(results)[2]


GROUPED = "tests.stub_extractors:grouped"


def test_a_factory_with_many_gets_groups_of_the_batch():
    batch = [(f"d{number:02d}", f"text {number}") for number in range(extraction_worker.GROUP_SIZE + 3)]
    results = extract_documents(batch, "opts", timeout_s=30, factory=GROUPED)
    assert [r["doc_id"] for r in results] == [doc_id for doc_id, _ in batch]
    assert [r["group"] for r in results] == [[d for d, _ in batch[:-3]]] * (len(batch) - 3) + [[d for d, _ in batch[-3:]]] * 3


def test_a_group_holds_at_most_so_many_characters_so_that_long_documents_do_not_overrun_together(monkeypatch):
    """A group's first result is due --doc-timeout after it is sent: long documents grouped
    by count overran a limit that none of them did."""
    monkeypatch.setattr(extraction_worker, "GROUP_CHARS", 10)
    texts = ["abcd", "efgh", "ijkl", "a" * 30, "mn"]
    assert extraction_worker.group_ends([(str(i), t) for i, t in enumerate(texts)], 32) == [2, 3, 4, 5]
    assert extraction_worker.group_ends([(str(i), "x") for i in range(5)], 2) == [2, 4, 5]
    assert extraction_worker.group_ends([], 32) == []


@pytest.mark.parametrize("marker, reason", [
    ("HANG_IN_SLEEP", TIMEOUT_REASON.format(1)),
    ("KILL_PROCESS", DIED_REASON.format("killed by SIGKILL, out of memory?")),
])
def test_a_document_that_takes_its_group_down_is_found_and_only_it_is_rejected(marker, reason):
    """The group's first result never comes, so which document is to blame is not known:
    the rest of the group goes again one document at a time, and only the culprit fails."""
    batch = [(f"d{number}", f"text {number}") for number in range(6)]
    batch[3] = ("bad", f"{marker} here")
    results = extract_documents(batch, "opts", timeout_s=1, factory=GROUPED)

    assert [r["doc_id"] for r in results] == [doc_id for doc_id, _ in batch]
    assert results[3] == rejected_result("bad", reason)
    assert all(r["error"] == "" and r["extraction"]["text"] == text for r, (_, text) in zip(results, batch) if r["doc_id"] != "bad")
    assert all("group" not in r for r in results[:3])  # extracted alone, after the group failed


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the stub reads its address space from /proc")
def test_a_document_a_child_cannot_even_receive_is_rejected_and_the_others_are_extracted():
    """Two fresh children died reading the request: the documents' fault, not the machine's.
    The batch failed on every retry, and with it every night's run until the input changed."""
    batch = [("small", "x"), ("huge", "y" * 100_000_000), ("after", "z")]
    results = extract_documents(batch, "opts", timeout_s=30, factory="tests.stub_extractors:small_memory")
    assert [r["doc_id"] for r in results] == ["small", "huge", "after"]
    assert results[1] == rejected_result("huge", DIED_REASON.format("it exits as soon as it is given the documents"))
    assert results[0]["error"] == results[2]["error"] == ""


def test_an_exception_in_a_group_rejects_only_its_document():
    batch = [("a", "first"), ("bad", "RAISE_ERROR"), ("b", "second")]
    results = extract_documents(batch, "opts", timeout_s=30, factory=GROUPED)
    assert results[1] == rejected_result("bad", "extraction_error: ValueError: bad document")
    assert [r["extraction"]["text"] for r in (results[0], results[2])] == ["first", "second"]
    assert len(set(pids([results[0], results[2]]))) == 1  # the child carried on


def test_one_child_per_process_is_reused_across_batches_and_options_reach_it():
    first = extract_documents([("a", "x")], "opts", timeout_s=30, factory=LIGHT)
    second = extract_documents([("b", "y"), ("c", "z")], "opts", timeout_s=30, factory=LIGHT)

    assert len(set(pids(first + second))) == 1
    assert first[0]["extraction"]["options"] == "opts"
    assert Path(f"/proc/{pids(first)[0]}/oom_score_adj").read_text().strip() == "1000"  # killed first when memory runs out
    other = extract_documents([("d", "w")], "other options", timeout_s=30, factory=LIGHT)
    assert other[0]["extraction"]["options"] == "other options" and pids(other) != pids(first)


def test_a_child_started_for_another_pipeline_fingerprint_is_not_reused_and_stops():
    first = extract_documents([("a", "x")], "opts", timeout_s=30, factory=LIGHT, fingerprint="lexicon-1")
    again = extract_documents([("b", "y")], "opts", timeout_s=30, factory=LIGHT, fingerprint="lexicon-1")
    changed = extract_documents([("c", "z")], "opts", timeout_s=30, factory=LIGHT, fingerprint="lexicon-2")

    assert pids(again) == pids(first)
    assert pids(changed) != pids(first)  # same options, but the terminology or rules changed since the first child built
    assert not Path(f"/proc/{pids(first)[0]}").exists() or "zombie" in Path(f"/proc/{pids(first)[0]}/status").read_text()


def test_the_limit_is_per_document_and_can_be_off():
    slow = [(f"s{i}", "SLOW_1S") for i in range(3)]
    assert all(r["error"] == "" for r in extract_documents(slow, "opts", timeout_s=2, factory=LIGHT))  # 3 s in all
    assert extract_documents(slow[:1], "opts", timeout_s=0.3, factory=LIGHT)[0]["error"].startswith("timeout:")
    assert extract_documents(slow[:1], "opts", timeout_s=None, factory=LIGHT)[0]["error"] == ""


def test_a_pipeline_that_cannot_start_fails_the_batch_with_the_reason():
    """A fault of the machine, not of the documents: rejecting them would replace good tables."""
    with pytest.raises(ExtractionUnavailable, match="the extraction process did not start: RuntimeError: no pipeline today"):
        extract_documents([("a", "x"), ("b", "y")], "opts", timeout_s=30, factory="tests.stub_extractors:failing_start")


def test_a_child_that_built_another_pipeline_than_the_runs_is_refused():
    """A Dask host without the terminology folder builds a pipeline of HPO and ICD-10-CM only:
    its results must not be cached under the run's fingerprint."""
    with pytest.raises(ExtractionUnavailable, match="built pipeline elsewhere-1, the run's is mine-1"):
        extract_documents([("a", "x")], "elsewhere-1", timeout_s=30, factory="tests.stub_extractors:fingerprinted", fingerprint="mine-1")
    (result,) = extract_documents([("a", "x")], "mine-1", timeout_s=30, factory="tests.stub_extractors:fingerprinted", fingerprint="mine-1")
    assert result["error"] == ""


def test_an_answer_for_another_document_is_a_bug_not_a_result():
    with pytest.raises(RuntimeError, match="answered for 'someone-else', expected 'a'"):
        extract_documents([("a", "ANSWER_FOR_ANOTHER")], "opts", timeout_s=30, factory=LIGHT)


def test_each_result_is_handed_over_as_soon_as_it_is_final_before_the_batch_ends():
    """The flow caches results here: those before a failure in the same batch must not be lost."""
    handed = []
    batch = [("a", "first"), ("stuck", "HANG_IN_SLEEP"), ("b", "second"), ("bad", "ANSWER_FOR_ANOTHER")]
    with pytest.raises(RuntimeError, match="answered for 'someone-else'"):
        extract_documents(batch, "opts", timeout_s=1, factory=LIGHT, on_result=handed.append)
    assert [(r["doc_id"], r["error"].split(":")[0]) for r in handed] == [("a", ""), ("stuck", "timeout"), ("b", "")]


def test_concurrent_batches_get_children_of_their_own_and_keep_them():
    """--workers N runs N task threads; each needs its own child, and all N stay for the next
    batches (a child rebuilds the pipeline when it starts); another pipeline's children go."""
    def concurrently(names, options="opts"):
        results = {}

        def run(name):
            results[name] = extract_documents([(name, "SLOW_1S")], options, timeout_s=30, factory=LIGHT)

        threads = [threading.Thread(target=run, args=(name,)) for name in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {pid for result in results.values() for pid in pids(result)}

    first = concurrently(["t1", "t2", "t3"])
    assert len(first) == 3
    assert concurrently(["t4", "t5", "t6"]) == first
    other = concurrently(["u1"], options="other options")
    assert other.isdisjoint(first) and wait_until(lambda: all(gone(pid) for pid in first), 5)


def test_prestarted_children_serve_the_first_batches():
    """The CLI launches the children before Prefect starts; the task threads then find them."""
    extraction_worker.shutdown()
    extraction_worker.prestart("opts", 2, factory=LIGHT)
    with extraction_worker._lock:
        launched = {worker.pid for worker in extraction_worker._idle}
    assert len(launched) == 2
    results = {}

    def run(name):
        results[name] = extract_documents([(name, "SLOW_1S")], "opts", timeout_s=30, factory=LIGHT)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("t1", "t2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {pid for result in results.values() for pid in pids(result)} == launched
    assert all(result[0]["error"] == "" for result in results.values())


def test_prestart_launches_only_the_children_that_are_missing():
    """The CLI prestarts the run's children and the flow asks for one at its first uncached
    document: the second call must not add a child."""
    extraction_worker.shutdown()
    extraction_worker.prestart("opts", 2, factory=LIGHT)
    extraction_worker.prestart("opts", 1, factory=LIGHT)
    with extraction_worker._lock:
        assert len(extraction_worker._idle) == 2
    extraction_worker.prestart("opts", 3, factory=LIGHT)
    extraction_worker.prestart("other opts", 1, factory=LIGHT)
    with extraction_worker._lock:
        assert sorted(worker.key[1] for worker in extraction_worker._idle) == ["opts"] * 3 + ["other opts"]
    extraction_worker.shutdown()


def test_a_prestarted_pipeline_that_cannot_start_fails_the_batch_with_the_reason():
    extraction_worker.shutdown()
    extraction_worker.prestart("opts", 1, factory="tests.stub_extractors:failing_start")
    with pytest.raises(ExtractionUnavailable, match="did not start: RuntimeError: no pipeline today"):
        extract_documents([("a", "x")], "opts", timeout_s=30, factory="tests.stub_extractors:failing_start")


def test_stop_idle_kills_the_idle_children_and_the_next_batch_starts_one():
    (pid,) = pids(extract_documents([("a", "x")], "opts", timeout_s=30, factory=LIGHT))
    extraction_worker.stop_idle()
    assert wait_until(lambda: gone(pid), 5)
    (again,) = pids(extract_documents([("b", "x")], "opts", timeout_s=30, factory=LIGHT))
    assert again != pid
    extraction_worker.shutdown()


def test_stop_idle_spares_a_busy_child():
    """Another run in this process may be extracting when a large run stops its idle children."""
    results = {}
    busy = threading.Thread(target=lambda: results.update(busy=extract_documents([("s", "SLOW_1S")], "opts", timeout_s=30, factory=LIGHT)))
    busy.start()
    assert wait_until(lambda: any(worker.pid for worker in extraction_worker._busy), 5)
    (working,) = [worker.pid for worker in extraction_worker._busy]
    extraction_worker.stop_idle()
    busy.join()
    assert results["busy"][0]["error"] == "" and pids(results["busy"]) == [working]  # the same child finished it
    extraction_worker.shutdown()


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc" or not Path("/proc/self/status").exists(), reason="malloc_trim is glibc's; resident memory is read from /proc")
def test_a_child_gives_the_free_memory_of_its_batches_back():
    (fragmented,) = extract_documents([("a", "FRAGMENT_HEAP")], "opts", timeout_s=30, factory=LIGHT)
    (after,) = extract_documents([("b", "x")], "opts", timeout_s=30, factory=LIGHT)
    assert after["extraction"]["pid"] == fragmented["extraction"]["pid"]
    assert fragmented["extraction"]["rss_mb"] > 150  # the freed blocks are still resident while it answers
    assert after["extraction"]["rss_mb"] < 80  # ~200 MB stays resident when the child does not trim


def test_a_child_sets_what_it_built_aside_from_the_collector():
    (result,) = extract_documents([("a", "x")], "opts", timeout_s=30, factory=LIGHT)
    assert result["extraction"]["frozen"] > 1_000  # its modules and its factory's objects


def test_shutdown_kills_the_children():
    (pid,) = pids(extract_documents([("a", "x")], "opts", timeout_s=30, factory=LIGHT))
    extraction_worker.shutdown()
    assert wait_until(lambda: gone(pid), 5)


def test_a_child_exits_when_its_parent_dies_without_cleaning_up():
    parent = subprocess.run(
        [sys.executable, "-c", "import os\n"
         "from flows.extraction_worker import extract_documents\n"
         f"print(extract_documents([('a', 'x')], 'opts', 30, {LIGHT!r})[0]['extraction']['pid'], flush=True)\n"
         "os._exit(0)  # no atexit: only the closed pipe tells the child"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True)
    assert wait_until(lambda: gone(int(parent.stdout)), 10)


LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")


@pytest.mark.parametrize("marker, factory", [
    # asleep in its document, it never reads the closed pipe: its watch thread notices (the
    # only watch where there is no death signal, as on macOS)
    pytest.param("HANG_IN_SLEEP", "tests.stub_extractors:unwatched_by_the_kernel", marks=LINUX_ONLY),
    ("HANG_IN_SLEEP", LIGHT),
    # a catastrophic regular expression holds the GIL: the child's own watch thread never runs,
    # and it went on at full CPU, orphaned; the kernel's death signal (Linux only) ends it
    pytest.param("HANG_IN_REGEX", LIGHT, marks=LINUX_ONLY),
])
def test_a_child_busy_with_a_long_document_exits_soon_after_its_parent_dies(marker, factory):
    parent = subprocess.Popen(
        [sys.executable, "-c", "import os, threading, time\n"
         "from flows.extraction_worker import extract_documents\n"
         f"threading.Thread(target=extract_documents, args=([('a', {marker!r})], 'opts', 3600, {factory!r}), daemon=True).start()\n"
         "time.sleep(3)\n"
         "os._exit(0)"],
        cwd=PROJECT_ROOT)
    children = lambda: [int(pid) for task in Path(f"/proc/{parent.pid}/task").iterdir() for pid in (task / "children").read_text().split()]  # noqa: E731
    assert wait_until(children, 2)
    (child,) = children()
    parent.wait(timeout=30)
    assert wait_until(lambda: gone(child), 5)


def test_a_child_outlives_the_thread_that_first_asked_for_it():
    """Prefect's task threads end with their run; the child they asked for serves the next run."""
    extraction_worker.shutdown()
    first = {}
    asking = threading.Thread(target=lambda: first.update(result=extract_documents([("a", "x")], "opts", timeout_s=30, factory=LIGHT)))
    asking.start()
    asking.join()
    time.sleep(0.5)  # a death signal following the asking thread would have come by now
    assert pids(extract_documents([("b", "y")], "opts", timeout_s=30, factory=LIGHT)) == pids(first["result"])
    extraction_worker.shutdown()


# --- the real pipeline ---------------------------------------------------------------

def test_results_through_the_child_equal_in_process_extraction(nlp):
    """The same dicts as the in-process batch extraction the flow used before, signature included."""
    from extractors.pipeline import PipelineOptions, extract_texts

    texts = sorted((PROJECT_ROOT / "data" / "raw" / "ms").glob("*.txt"))
    batch = [(path.name, path.read_text(encoding="utf-8")) for path in texts]
    assert len(batch) >= 3
    in_process = [extracted_result(e, text) for e, (_, text) in zip(extract_texts(batch, PipelineOptions()), batch)]

    assert extract_documents(batch, PipelineOptions(), timeout_s=120) == in_process
    assert any(r["extraction"]["mentions"] for r in in_process)


def test_the_record_limit_is_the_pipelines_max_length_and_does_not_invalidate_the_cache():
    from extractors.options import PipelineOptions, pipeline_fingerprint
    from extractors.pipeline import build_nlp
    from flows.options import RunOptions
    from ingest import IngestLimits

    assert PipelineOptions().max_doc_chars == IngestLimits().max_record_chars == RunOptions("i", "o").pipeline.max_doc_chars
    raised = RunOptions(inputs=["i"], output="o", max_record_chars=3_000_000)
    assert raised.pipeline.max_doc_chars == raised.limits.max_record_chars == 3_000_000
    assert build_nlp(PipelineOptions(max_doc_chars=50)).max_length == 50
    assert pipeline_fingerprint(PipelineOptions(max_doc_chars=50)) == pipeline_fingerprint(PipelineOptions())


def test_the_cache_follows_the_signature_code_and_not_the_near_duplicate_search(tmp_path, monkeypatch):
    """Cached extractions hold each document's signature: the code that computes it is in the
    pipeline fingerprint; how signatures are compared (claims/dedup.py) is not, so a change
    there does not re-extract a corpus."""
    import inspect

    from claims import dedup
    from claims.signatures import document_signature
    from extractors import options

    assert Path(inspect.getsourcefile(document_signature)) == options.SIGNATURE_CODE
    assert Path(inspect.getsourcefile(dedup)) != options.SIGNATURE_CODE
    (tmp_path / "extractors").mkdir()
    (tmp_path / "claims").mkdir()
    copy = tmp_path / "claims" / "signatures.py"
    copy.write_text(options.SIGNATURE_CODE.read_text())
    monkeypatch.setattr(options, "EXTRACTORS_DIR", tmp_path / "extractors")
    monkeypatch.setattr(options, "SIGNATURE_CODE", copy)
    before = options.pipeline_fingerprint()
    copy.write_text(copy.read_text() + "\nSHINGLE_CHARS = 4\n")
    assert options.pipeline_fingerprint() != before


def test_a_process_that_is_ending_kills_its_busy_children_and_starts_none_until_resumed():
    extraction_worker.shutdown()
    results = {}

    def extract_the_hanging_document():
        try:
            results["busy"] = extract_documents([("a", "HANG_IN_SLEEP")], "opts", 3600, LIGHT)
        except BaseException as error:  # noqa: BLE001 (what the thread ended with is the test's question)
            results["busy"] = error

    busy = threading.Thread(target=extract_the_hanging_document)
    busy.start()
    assert wait_until(lambda: any(worker.pid and not worker._starting for worker in extraction_worker._busy), 10)
    time.sleep(0.2)  # (the document sent)
    extraction_worker.end_now()
    busy.join(timeout=10)
    assert not busy.is_alive() and isinstance(results["busy"], ExtractionUnavailable), results["busy"]
    assert "the run is ending" in str(results["busy"])
    assert extraction_worker.ending()
    extraction_worker.resume()
    assert extract_documents([("b", "x")], "opts", timeout_s=30, factory=LIGHT)[0]["error"] == ""
    extraction_worker.shutdown()
