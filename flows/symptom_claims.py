"""The ``symptom-claims`` flow: ingest -> extract in batches -> consolidate -> write.

Wiring only: every stage is a pure function of :mod:`ingest`, :mod:`extractors` or
:mod:`claims`. Documents stream from disk in batches, so memory holds one batch of text
per worker plus the extracted rows. A document that fails extraction, overruns its time
limit or kills its extraction process becomes a reject row, never a failed run; a machine
that cannot extract at all (no extraction process starts, or not one of the run's pipeline)
fails the run before it writes anything (:mod:`flows.extraction_worker`).
"""
from __future__ import annotations

import contextlib
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from flows import settings  # noqa: F401  (before Prefect; the package import has already run it)
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from claims.consolidate import build_tables
from claims.curated import load_annotations
from claims.decisions import read_decisions, unmatched_decisions
from claims.report import REPORT_NAME, hand_over, stage_report, stage_report_from
from claims.spool import ExtractionSpool
from claims.writers import StagedWrite, stage_json, stage_tables
from extractors.options import PipelineOptions, lexicon_for, pipeline_fingerprint, terminology_used
from flows import progress
from flows.api_server import temporary_api_server
from flows.batching import growing_batches
from flows.cache import ExtractionCache
from flows.extraction_worker import DEFAULT_TIMEOUT_S, extract_documents, prestart, relabeled_result, stop_idle
from flows.extraction_worker import end_now as end_extraction_now, ending as extraction_ending, resume as resume_extraction
from flows.heap import return_free_memory
from flows.input_guard import InputDropped, documents_read, input_drop_refusal, input_history, input_replaced_refusal
from flows.manifest import build_manifest, fresh_outputs, previous_run, run_summary, unread_since_hashed, with_outputs
from flows.options import RunOptions
from flows.output_lock import exclusive_output
from flows.side_process import SideProcess
from ingest import iter_documents
from ingest.model import OVER_LIMIT
from ingest.walk import lies_within

VERSION = "0.1.0"
# A run of this many documents is large. It finds near duplicates and renders its report in a
# side process: below it, both take well under a second and the process (~1.5 s of imports) is
# not worth starting. And it stops its extraction processes once the extraction is done, so
# that their ~250 MB each are free when consolidation and writing need the most: a small run
# keeps them warm for the next run in this process (tests, notebooks). (With --dask-address
# they live in the Dask workers, which keep them.)
LARGE_RUN_DOCUMENTS = 5_000
# The log names this many documents whose extraction failed, then counts the rest, so that a bad
# night does not flood it (documents.csv and run.json list them all, with their reasons).
FAILURES_LOGGED = 20


def _worth_retrying(task, task_run, state) -> bool:
    """A batch failed by a run that is ending (SIGTERM, Ctrl-C, its timeout) is not retried:
    retries kept it waiting 12 s more."""
    return not extraction_ending()


# Tasks take whole batches and tables: NO_CACHE stops Prefect hashing them for a cache key,
# and quote() stops it walking the whole-corpus lists for futures (in-process tasks only:
# the Dask runner hands a quoted value to the task unresolved). Both cost minutes at scale.
@task(name="extract-batch", retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_worth_retrying, cache_policy=NO_CACHE)
def extract_batch(batch: list[tuple[str, str]], options: PipelineOptions, fingerprint: str, timeout_s: float | None = DEFAULT_TIMEOUT_S,
                  on_result: Callable[[dict], None] | None = None) -> list[dict]:
    """Mentions, claims and aliases of a batch, each document under a hard time limit in this
    worker's extraction process (which builds the nlp object once, for the pipeline
    ``fingerprint`` names: the run caches the results under it); ``on_result`` (in-process
    runners only) gets each result as soon as it is final."""
    return extract_documents(batch, options, timeout_s, on_result=on_result, fingerprint=fingerprint)


def reference_data(pipeline: PipelineOptions) -> tuple:
    """What consolidation checks claims against: the lexicon's is-a ancestors (only them: the
    flow's process does not keep the rest, ~50 MB, since it extracts in other processes) and
    the curated HPO frequencies (reading phenotype.hpoa takes ~0.5 s of CPU, so the flow loads them in
    a thread while documents are extracted rather than after)."""
    return lexicon_for(pipeline, remember=False).ancestry, load_annotations()


@task(name="consolidate", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)  # it reads the spool and the decisions
def consolidate(documents: list[dict], spool: ExtractionSpool, decisions_path: Path, reference: tuple, side: SideProcess | None = None) -> dict:
    """The output tables; the near-duplicate search runs in ``side`` meanwhile, if given."""
    frames, signatures = spool.frames()
    ancestors_of, curated = reference
    decisions = read_decisions(decisions_path)
    tables = build_tables(documents, frames, signatures, decisions, ancestors_of, curated, side.submit if side is not None else None)
    if idle := unmatched_decisions(tables["conflicts"], decisions):
        get_run_logger().info("%d reviewer decisions in %s match no conflict of this run (kept: they apply again if their conflict comes back)",
                              idle, decisions_path)
    return tables


@task(name="write-tables", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def write_outputs(tables: dict, output: Path, formats: tuple[str, ...], side: SideProcess | None, scratch: Path) -> StagedWrite:
    """The tables, and the reviewer's page built from them, staged: the flow renames them into
    place with run.json, so that they change as one set. With a ``side`` process, the page is
    rendered there from the files :func:`hand_over` writes into a folder inside ``scratch``,
    which must stay until this returns, while this process writes the tables. (The side process
    wrote the mentions too, from the spool's shards, until the CSV writer took a quarter of the
    time: then it rendered the page after them while this process waited, ~0.8 s of the stage.)"""
    report = (side.submit(stage_report_from, hand_over(tables, scratch), output) if side is not None
              else lambda: stage_report(tables, output))
    with StagedWrite() as staged:
        try:
            stage_tables(staged, tables, output, formats)
        except Exception:
            if side is not None:  # the page it wrote meanwhile would stay beside the old tables
                _discard_page(report)
            raise
        staged.add(output / REPORT_NAME, report())
    return staged


def _discard_page(pending: Callable) -> None:
    """Delete the page's temporary the side process returns, of a write that failed; a
    rendering that failed left none."""
    with contextlib.suppress(Exception):
        if (temporary := pending(run_here=False)) is not None:
            temporary.unlink(missing_ok=True)


def _summary_markdown(tables: dict, rejected: int) -> str:
    conflicts = tables["conflicts"]
    lines = ["# symptom-claims run", "", "| table | rows |", "|---|---|"]
    lines += [f"| {name} | {len(frame)} |" for name, frame in tables.items()]
    lines += ["", f"Rejected inputs: {rejected}", ""]
    if len(conflicts):
        lines += ["## Conflicts per kind", "", "| kind | open | decided |", "|---|---|---|"]
        for kind, group in conflicts.groupby("kind"):
            lines.append(f"| {kind} | {(group['status'] == 'open').sum()} | {(group['status'] != 'open').sum()} |")
        top = conflicts[conflicts["status"] == "open"].sort_values(["severity", "conflict_id"], ascending=[False, True]).head(10)
        lines += ["", "## Ten most severe open conflicts", "", "| id | kind | severity | reason |", "|---|---|---|---|"]
        lines += [f"| {r.conflict_id} | {r.kind} | {r.severity:.2f} | {str(r.reason).replace('|', '/')} |" for r in top.itertuples()]
    return "\n".join(lines) + "\n"


@flow(name="symptom-claims", log_prints=True)
def symptom_claims(
    inputs: list[str],
    output: str,
    text_field: str | None = None,
    id_field: str | None = None,
    title_field: str | None = None,
    formats: list[str] = ["csv"],  # noqa: B006 (Prefect parameters are copied per run)
    workers: int = 1,
    batch_size: int = RunOptions.batch_size,
    decisions: str | None = None,
    use_cache: bool = True,
    ner_model: str | None = None,
    curated_abbreviations: bool = True,
    max_file_mb: int = RunOptions.max_file_mb,
    dask_address: str | None = None,
    max_record_chars: int = RunOptions.max_record_chars,
    max_decompressed_mb: int = RunOptions.max_decompressed_mb,
    max_compression_ratio: float = RunOptions.max_compression_ratio,
    max_documents: int | None = None,
    doc_timeout_s: float | None = RunOptions.doc_timeout_s,
    force: bool = False,
    max_input_drop: float = RunOptions.max_input_drop,
    lock_wait_s: float = RunOptions.lock_wait_s,
    run_timeout_s: float | None = RunOptions.run_timeout_s,
) -> dict:
    """Extract claims from the files and folders in ``inputs`` and write the tables to ``output``.

    Parameters are plain values so that deployments, schedules and the UI can set them;
    ``workers`` is the number of extraction processes (task threads of the runner chosen by
    :func:`run` or ``symptom-claims serve``, each driving its own child).
    """
    options = RunOptions(
        inputs=list(inputs), output=output, text_field=text_field, id_field=id_field, title_field=title_field, formats=tuple(formats),
        workers=workers, batch_size=batch_size, decisions=decisions, use_cache=use_cache, ner_model=ner_model,
        curated_abbreviations=curated_abbreviations, max_file_mb=max_file_mb, dask_address=dask_address,
        max_record_chars=max_record_chars, max_decompressed_mb=max_decompressed_mb, max_compression_ratio=max_compression_ratio,
        max_documents=max_documents, doc_timeout_s=doc_timeout_s,
        force=force, max_input_drop=max_input_drop, lock_wait_s=lock_wait_s, run_timeout_s=run_timeout_s,
    )
    logger = get_run_logger()
    if FlowRunContext.get().flow.task_runner is symptom_claims.task_runner:
        # A deployment (prefect.yaml's work pool, `serve`) runs this flow as its entrypoint
        # loads it, with Prefect's default runner: unbounded threads, so 2 x workers + 1
        # extraction processes at once, and no Dask. Run again as a subflow with the runner
        # the parameters ask for.
        logger.info("running as a subflow with %s", f"the Dask cluster at {dask_address}" if dask_address else f"{workers} extraction worker(s)")
        return flow_with_runner(workers, dask_address, run_timeout_s)(**options.parameters())
    with exclusive_output(Path(options.output), wait_s=options.lock_wait_s, on_wait=logger.warning):
        return _extract_and_write(options, logger)


def _extract_and_write(options: RunOptions, logger) -> dict:
    """The run itself, while this process holds the output folder (:mod:`flows.output_lock`)."""
    output = Path(options.output)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    resume_extraction()  # (after a run of this process that was interrupted)
    fingerprint = pipeline_fingerprint(options.pipeline)
    logger.info("terminology: %s", terminology_used(options.pipeline))
    timings["fingerprint"] = time.perf_counter() - started  # the pipeline itself is built in the extraction processes
    manifest = build_manifest(options, fingerprint)
    previous = fresh_outputs(options, manifest)
    if previous is not None:
        logger.info("inputs, code, options and decisions unchanged since the run of %s: the tables in %s are up to date", previous.get("finished_at", "?"), output)
        return {**run_summary(previous), "up_to_date": True}
    for path, what in options.excluded.items():
        if any(lies_within(path, root) for root in options.inputs):
            logger.info("%s %s lies in an input folder: it is not read as input", what, path)
    cache = ExtractionCache.of_output(output, fingerprint, warn=logger.warning) if options.use_cache else None
    if cache is not None:
        cache.drop_stale()
    loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reference-data")
    reference = loader.submit(reference_data, options.pipeline)
    loader.shutdown(wait=False)  # the thread ends with its one job; the future keeps the result

    documents: list[dict] = []
    failed: dict[str, str] = {}  # doc_id -> reject reason of a document extraction failed on
    spool = ExtractionSpool(output / ".cache" / "spool")
    pending: deque = deque()
    hashes: dict[str, str] = {}
    extracted = cached = 0

    def keep(result: dict) -> None:
        if result["extraction"] is not None:
            spool.add(result["extraction"], result["signature"])
        if result["error"]:
            failed[result["doc_id"]] = result["error"]
            if len(failed) <= FAILURES_LOGGED:
                logger.warning("extraction failed for %r: %s", result["doc_id"], result["error"])

    def store(result: dict) -> None:
        if cache is not None and result["extraction"] is not None:
            cache.put(hashes[result["doc_id"]], result)

    # Each result is cached by its task thread as it arrives, so a killed run loses only the
    # documents being extracted; a Dask worker cannot call back, so its batch is cached here.
    on_result = store if not options.dask_address else None

    def collect(future) -> None:
        nonlocal extracted
        results = future.result()
        for result in results:
            keep(result)
            extracted += result["extraction"] is not None
            if on_result is None:
                store(result)
        # In this process's task threads, the finished task's State holds this very list in a
        # reference cycle that only a full collection breaks, and those are rare: ~100 MB of
        # spooled results were still held at the end of MedQuAD's extraction. (A Dask future
        # returns a copy: emptying it is harmless there, and not needed.)
        results.clear()
        return_free_memory()  # the batch's results were freed among what the spool keeps (flows.heap)
        # (the documents to extract are counted as the input is read: the total is final once it is)
        logger.info("extracted %d of %d documents to extract found so far, %d failed (%d from cache)", extracted, len(hashes), len(failed), cached)
        progress.report(extracted, cached)

    def large() -> bool:
        return len(documents) >= LARGE_RUN_DOCUMENTS

    def to_extract() -> Iterator[tuple[str, str]]:
        """(doc_id, text) of each document the cache cannot serve; every input gets its row.

        At the first such document an extraction process is launched (unless one is there),
        so that its pipeline builds while the rest of the input is read: in an incremental
        run the batch holding the few new documents goes out only at the end of the input."""
        nonlocal cached
        for doc in iter_documents(options.inputs, options.text_field, options.id_field, options.limits, exclude=options.excluded,
                                  title_field=options.title_field):
            progress.report(extracted, cached, cached + len(hashes))  # so far: documents done, and to process
            documents.append(doc.row())
            if doc.status != "ok":
                continue
            hit = cache.get(doc.sha256) if cache is not None else None
            if hit is not None:
                keep(relabeled_result(hit, doc.doc_id))
                cached += 1
                continue
            if not hashes and not options.dask_address:  # (a Dask cluster's workers extract there)
                prestart(options.pipeline, 1, fingerprint=fingerprint)
            hashes[doc.doc_id] = doc.sha256
            yield doc.doc_id, doc.text
        progress.report(extracted, cached, cached + len(hashes), final=True)

    stage = time.perf_counter()
    slots = _extraction_slots(options, logger)
    try:
        for batch in growing_batches(to_extract(), options.batch_size):
            pending.append(extract_batch.submit(batch, options.pipeline, fingerprint, options.doc_timeout_s, on_result))
            while len(pending) > 2 * slots:
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
    except BaseException as interruption:
        if not isinstance(interruption, Exception):
            # SIGTERM (Prefect's TerminationSignal), Ctrl-C or the run's timeout (its
            # CancelledError): Prefect's runner waits for the running tasks, whose children
            # would go on through their whole batches
            end_extraction_now()
        raise
    if large():
        stop_idle()
    over_limit = sum(d["reason"].startswith(OVER_LIMIT) for d in documents)
    # Asked now that the input is read, before the cache drops what it lacks and the tables are
    # replaced: a run over an input that vanished (an unmounted share) changes neither.
    previous, read = previous_run(output), documents_read(documents)
    refusal = input_drop_refusal(previous, read, options.max_input_drop) or input_replaced_refusal(previous, documents, options.max_input_drop)
    if cache is not None:
        # Every input document has been looked up (unless some are over the limit): the entries
        # left unused are of texts no longer in the input (documents deleted or changed since),
        # and would stay forever.
        if not (over_limit or refusal) and (dropped := cache.drop_unused()):
            logger.info("dropped %d cache entries of documents no longer in the input", dropped)
        if cache.not_cached:
            logger.warning("%d extraction results could not be cached (the error is above): the next run extracts them again", cache.not_cached)
        cache.close()
    if refusal:
        spool.remove()
        raise InputDropped(refusal)
    # Renders the report while this process writes the tables. Started only now that the
    # extraction is over (and a large run's extraction processes are gone): started with the
    # first batch, it held ~80 MB through the extraction, when a run holds the most, to have
    # its imports done early (docs/performance.md, sixteenth round).
    side = SideProcess("claims.report") if large() else None
    timings["ingest_and_extract"] = time.perf_counter() - stage

    for row in documents:
        if row["doc_id"] in failed:
            row.update(status="rejected", reason=failed[row["doc_id"]])
    rejected = [d for d in documents if d["status"] != "ok"]
    logger.info("%d inputs: %d ok, %d rejected, %d extracted, %d failed extraction, %d from cache",
                len(documents), len(documents) - len(rejected), len(rejected), extracted, len(failed), cached)
    if len(failed) > FAILURES_LOGGED:
        logger.warning("extraction failures not named above: %d (documents.csv lists every one with its reason)", len(failed) - FAILURES_LOGGED)
    if over_limit:
        logger.warning("run limit of %d documents reached: %d more rejected as %s (not extracted); raise --max-documents", options.max_documents, over_limit, OVER_LIMIT)

    stage = time.perf_counter()
    tables = consolidate(quote(documents), quote(spool), options.decisions_path, quote(reference.result()), quote(side))
    timings["consolidate"] = time.perf_counter() - stage

    run_info = {
        "version": VERSION,
        "pipeline_fingerprint": fingerprint,
        "options": options.parameters(),
        "inputs": [{"doc_id": d["doc_id"], "source": d["source"], "sha256": d["sha256"], "status": d["status"]} for d in documents],
        "counts": {name: len(frame) for name, frame in tables.items()},
        "rejects": [{"doc_id": d["doc_id"], "source": d["source"], "reason": d["reason"]} for d in rejected],
        "extracted": extracted,
        "from_cache": cached,
        "open_conflicts": int((tables["conflicts"]["status"] == "open").sum()),
    }
    stage = time.perf_counter()
    staged = write_outputs(quote(tables), output, options.formats, quote(side), spool.folder)
    with staged:  # (from here: a failure discards the staged temporaries, full-size copies of the tables)
        spool.remove()  # (after the writing: the mentions are written from it, the report from its report-tables-* folder)
        if side is not None:
            side.close()  # (a run that fails before this leaves it to the interpreter's exit, like any pool)
        timings["write"] = time.perf_counter() - stage
        run_info["timings_seconds"] = {k: round(v, 3) for k, v in timings.items()}
        run_info["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        run_info["input_history"] = input_history(previous, read, run_info["finished_at"], options.max_input_drop)
        retry = bool(failed) or unread_since_hashed(manifest, documents)
        if retry and not failed:
            logger.warning("a file read fine when the run started could not be read later (see the unreadable rejects): the next run reads it again")
        # A failed extraction (timeout, crash) or read is retried by the next run, so such a run is never up to date.
        run_info["manifest"] = None if retry else with_outputs(manifest, output, staged.files)
        stage_json(staged, output / "run.json", run_info)
        staged.commit()  # run.json last: its manifest of the outputs lets the next run detect a set a crash left mixed
    create_markdown_artifact(key="symptom-claims-summary", markdown=_summary_markdown(tables, len(rejected)), description="Counts and the most severe open conflicts")
    logger.info("wrote %s", ", ".join(f"{name}: {len(frame)}" for name, frame in tables.items()))
    return {**run_summary(run_info), "up_to_date": False}


def _extraction_slots(options: RunOptions, logger) -> int:
    """Batches extracted at once (twice as many are kept in flight): ``workers``, or on a Dask
    cluster its worker threads, each of which drives an extraction process (a cluster of 8
    threads sat three-quarters idle at the default --workers 1). Counted when the run starts."""
    if not options.dask_address:
        return options.workers
    from distributed import Client

    with Client(options.dask_address, timeout=60, set_as_default=False) as client:  # (the runner's own starts with its first task)
        threads = sum(client.nthreads().values())
    logger.info("Dask cluster at %s: %d worker threads, up to %d batches in flight", options.dask_address, threads, 2 * max(threads, options.workers))
    return max(threads, options.workers)


def flow_with_runner(workers: int, dask_address: str | None = None, run_timeout_s: float | None = None):
    """The flow with its task runner: an existing Dask cluster when an address is given,
    else ``workers`` threads; and Prefect's timeout of the whole run, if given (it interrupts
    the flow's thread, which then stops its extraction processes like a SIGTERM does).

    Threads, not Prefect's process pool: each task thread already extracts in a child
    process of its own (:mod:`flows.extraction_worker`), so ``workers`` threads keep
    ``workers`` extraction processes busy. A process pool put a third process between the
    flow and each child, which imported Prefect and the flow, pickled every batch and its
    results once more and reported its task runs over HTTP: 33 s more CPU on MedQuAD
    (185 against 152 s, docs/performance.md)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(address=dask_address)
    else:
        runner = ThreadPoolTaskRunner(max_workers=workers)
    return symptom_claims.with_options(task_runner=runner, timeout_seconds=run_timeout_s)


def run(options: RunOptions) -> dict:
    """Run the flow once, in this process, on the configured Prefect API or a temporary
    server (which a Dask cluster's workers then report to as well)."""
    with temporary_api_server() as api_ready:
        api_ready()
        return flow_with_runner(options.workers, options.dask_address, options.run_timeout_s)(**options.parameters())
