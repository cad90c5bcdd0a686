"""Command line: ``symptom-claims run | serve | review | decide``.

Exit codes: 0 run completed (rejected inputs are counted, not fatal, unless --strict);
1 --strict and some input was rejected; 2 usage error (one line on stderr); 3 the run
failed (one line on stderr after Prefect's log of it; the previous tables are kept); 4
another process is writing the output folder (``run`` and ``decide``; one line naming it,
nothing done; after --wait-for-output, if given); 5 the run was refused because its input
vanished (--max-input-drop; one line with both counts, nothing written).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import socket
import sys
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from claims import schema
from claims.conflicts import CONFLICT_KINDS
from claims.decisions import DECISION_STATUSES, record_decision
from claims.report import REPORT_NAME, stage_report
from claims.writers import FORMATS, StagedWrite, read_tables, stage_table
from flows.api_server import configured_api_url
from flows.extraction_worker import DEFAULT_TIMEOUT_S, prestart
from flows.options import RunOptions
from flows.input_guard import InputDropped
from flows.output_lock import OutputBusy, exclusive_output
from ingest import IngestLimits
from ingest import UsageError as IngestUsageError
from ingest.walk import validate_roots


DASK_SCHEDULER_PORT = 8786  # Dask's default


class UsageError(Exception):
    """A mistake in how the command was called; reported in one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with the one-line usage errors the exit codes promise (no usage block)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None


def _positive_number(text: str) -> float:
    value = _number(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def _not_negative(text: str) -> float:
    value = _number(text)
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _fraction(text: str) -> float:
    value = _number(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be from 0 to 1, got {text}")
    return value


def _cron(text: str) -> str:
    """Checked when parsed: a bad schedule failed only after the API server had booted."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a cron schedule (minute hour day month weekday, e.g. \"0 2 * * *\"): {text!r}") from None
    return text


def _seconds_or_off(text: str) -> float | None:
    return None if text.strip().lower() == "off" else _positive_number(text)


# Run options that, when given, replace RunOptions' defaults (one source of defaults).
_LIMIT_OPTIONS = ("max_file_mb", "max_record_chars", "max_decompressed_mb", "max_compression_ratio", "max_documents", "doc_timeout_s")


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", "-i", nargs="+", required=True, metavar="PATH", help="files or folders (recursive): .txt .md .html .htm .jsonl .csv .parquet, optionally .gz")
    parser.add_argument("--output", "-o", required=True, metavar="DIR", help="folder for the tables (created if missing)")
    parser.add_argument("--text-field", metavar="NAME", help="text column of .jsonl/.csv/.parquet records (default: first of text, answer, body, content)")
    parser.add_argument("--title-field", metavar="NAME", help="title column of records, written as the document's first line before its text (moves the text's offsets by the title's length plus 2); default: no title")
    parser.add_argument("--id-field", metavar="NAME", help="id column of records (default: first of id, doc_id; else the record number)")
    parser.add_argument("--format", choices=["csv", "parquet"], action="append", help="output format; repeat for both (default csv; parquet is written beside csv)")
    parser.add_argument("--workers", type=_positive, default=1, help="extraction processes (default 1)")
    parser.add_argument("--dask-address", metavar="URL", help="send extraction to an existing Dask cluster (scheduler address, e.g. tcp://host:8786); its workers need this package installed and PREFECT_API_URL pointing at a Prefect server they can reach")
    parser.add_argument("--batch-size", type=_positive, default=RunOptions.batch_size, help=f"documents per extraction task at the start and the end of a run; batches double up to 4x this in between "
                        f"(default {RunOptions.batch_size}; each task costs Prefect ~0.4 s of bookkeeping)")
    parser.add_argument("--decisions", metavar="FILE", help="reviewer decisions file (default DIR/decisions.csv)")
    parser.add_argument("--ner-model", metavar="NAME", help="installed spaCy/scispaCy NER model to merge with the lexicon (e.g. en_ner_bc5cdr_md)")
    parser.add_argument("--no-curated-abbreviations", action="store_true", help="resolve only abbreviations the document defines itself")
    parser.add_argument("--no-cache", action="store_true", help="re-extract every document instead of reusing DIR/.cache (implies --force)")
    parser.add_argument("--force", action="store_true", help="rebuild the tables even when inputs, code, options and decisions are unchanged since the last run")
    parser.add_argument("--max-input-drop", type=_fraction, default=RunOptions.max_input_drop, metavar="FRACTION",
                        help="fail the run before it writes anything when the input has lost more than this fraction of the documents "
                             "the last run into DIR read (an unmounted share, a half-synced folder: the tables and the cache would be emptied); "
                             f"1 turns the guard off (default {RunOptions.max_input_drop:g})")
    parser.add_argument("--run-timeout", type=_seconds_or_off, default=RunOptions.run_timeout_s, metavar="SECONDS",
                        help="fail a run still going after this long; the last tables stay (a read hung on a network share would hold "
                             "back every later scheduled run); 'off' or unset: no limit")
    parser.add_argument("--wait-for-output", type=_not_negative, default=RunOptions.lock_wait_s, metavar="SECONDS",
                        help="when another run is writing DIR, wait up to this long for it to end instead of stopping at once "
                             "with exit 4 (default 0; a schedule that may meet a run by hand wants e.g. 3600)")
    default = IngestLimits()
    limits = parser.add_argument_group("limits", "what exceeds them is rejected with a reason in documents.csv (docs/reliability.md#limits)")
    limits.add_argument("--max-file-mb", type=_positive, default=argparse.SUPPRESS, metavar="MB",
                        help=f"reject files larger than this on disk, the compressed size for .gz (default {default.max_file_bytes // 1_000_000})")
    limits.add_argument("--max-record-chars", type=_positive, default=argparse.SUPPRESS, metavar="N",
                        help=f"reject documents (files or records) of more characters (default {default.max_record_chars:,})")
    limits.add_argument("--max-decompressed-mb", type=_positive, default=argparse.SUPPRESS, metavar="MB",
                        help=f"reject a .gz file that inflates to more than this (default {default.max_decompressed_bytes // 1_000_000})")
    limits.add_argument("--max-compression-ratio", type=_positive_number, default=argparse.SUPPRESS, metavar="R",
                        help=f"reject a .gz file that inflates to more than R times its size, a gzip bomb (default {default.max_compression_ratio:g})")
    limits.add_argument("--max-documents", type=_positive, default=argparse.SUPPRESS, metavar="N",
                        help="accept at most N documents per run, in input order; the rest are listed as rejected over_limit (default: no limit)")
    limits.add_argument("--doc-timeout", dest="doc_timeout_s", type=_seconds_or_off, default=argparse.SUPPRESS, metavar="SECONDS",
                        help=f"reject a document whose extraction takes longer (timeout); 'off' for no limit (default {DEFAULT_TIMEOUT_S:g})")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="symptom-claims",
        description="Mine symptom - condition - statistic claims from health text into deduplicated, conflict-flagged tables.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="extract claims from files and folders and write the tables",
                              description="Run the Prefect flow over files and folders (recursive) and write documents, mentions, evidence, claims, conflicts and aliases tables, run.json and report.html.")
    _add_run_arguments(run)
    run.add_argument("--strict", action="store_true", help="exit 1 when any input is rejected")

    serve = commands.add_parser("serve", help="serve the flow on a cron schedule (no work pool needed)",
                                description="Create a deployment of the flow with these run options and serve it: runs start on the cron schedule (and when triggered from the Prefect UI or `prefect deployment run`) until stopped with Ctrl-C.")
    _add_run_arguments(serve)
    serve.add_argument("--cron", default="0 2 * * *", type=_cron, help="schedule, cron syntax, UTC (default: every night at 02:00)")
    serve.add_argument("--name", default="nightly", help="deployment name (default: nightly)")

    review = commands.add_parser("review", help="list conflicts for review in the terminal")
    review.add_argument("--output", "-o", required=True, metavar="DIR", help="folder of a previous run")
    review.add_argument("--all", action="store_true", help="also list decided conflicts")
    review.add_argument("--kind", choices=CONFLICT_KINDS, help="only this kind")

    decide = commands.add_parser("decide", help="record a reviewer decision on one conflict")
    decide.add_argument("conflict_id", metavar="CONFLICT_ID")
    decide.add_argument("--status", required=True, choices=[s for s in DECISION_STATUSES])
    decide.add_argument("--note", default="", help="why; kept with the decision")
    decide.add_argument("--output", "-o", required=True, metavar="DIR", help="folder of a previous run")
    decide.add_argument("--decisions", metavar="FILE", help="decisions file (default DIR/decisions.csv)")
    decide.add_argument("--reviewer", help="who decides (default $SYMPTOM_CLAIMS_REVIEWER or the login name)")
    return parser


def _check_output_dir(output: Path) -> None:
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create output folder {output}: {error.strerror}") from error
    if not os.access(output, os.W_OK | os.X_OK):
        raise UsageError(f"output folder {output} is not writable")


def _run_options(args: argparse.Namespace) -> RunOptions:
    return RunOptions(
        inputs=args.input, output=args.output, text_field=args.text_field,
        id_field=args.id_field, title_field=args.title_field, formats=tuple(args.format or ()), workers=args.workers,
        batch_size=args.batch_size, decisions=args.decisions, use_cache=not args.no_cache, ner_model=args.ner_model,
        curated_abbreviations=not args.no_curated_abbreviations, dask_address=args.dask_address, force=args.force,
        max_input_drop=args.max_input_drop, lock_wait_s=args.wait_for_output, run_timeout_s=args.run_timeout,
        **{name: getattr(args, name) for name in _LIMIT_OPTIONS if hasattr(args, name)},
    )


def _check_run_arguments(args: argparse.Namespace) -> RunOptions:
    missing = [p for p in args.input if not Path(p).exists()]
    if missing:
        raise UsageError(f"input not found: {', '.join(missing)}")
    if args.ner_model and not (Path(args.ner_model).exists() or importlib.util.find_spec(args.ner_model)):
        raise UsageError(f"NER model {args.ner_model!r} is not installed (pip install it, or give the path of a saved spaCy pipeline)")
    _check_output_dir(Path(args.output))
    options = _run_options(args)
    validate_roots(options.inputs, options.excluded)  # an input in the output folder: before any process starts
    if args.dask_address:
        _check_dask_cluster(args.dask_address)
    return options


def _check_dask_cluster(address: str) -> None:
    """Fail in seconds, not after Dask's 30 s connection timeout and a crashed flow run; and
    refuse Prefect's temporary server, which stops with this run while the cluster's workers
    keep reporting to it (the next run's task runs were lost)."""
    location = urlsplit(address if "://" in address else f"tcp://{address}")
    if location.scheme in ("tcp", "tls"):
        try:
            socket.create_connection((location.hostname, location.port or DASK_SCHEDULER_PORT), timeout=5).close()
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {getattr(error, 'strerror', None) or error}") from None
    import prefect.settings  # noqa: F401  (a profile's API is known only once it is loaded)

    if not configured_api_url():
        raise UsageError("--dask-address needs a Prefect server that outlives the run: set PREFECT_API_URL "
                         "(e.g. `prefect server start`) where this command and the cluster's workers can reach it")


def _children_to_prestart(options: RunOptions, fingerprint: str) -> int:
    """How many extraction processes to launch before Prefect starts, so that they build
    their pipelines meanwhile: all ``--workers`` for a run with nothing cached (first run,
    --no-cache, another pipeline), one for an incremental run whose input gained or changed a
    file (its new documents; else their batch, often the last, would wait for a child to
    start), none when the cache serves every document (only decisions, options or code
    changed). The flow still starts one at the first document the cache cannot serve."""
    from flows.cache import ExtractionCache
    from flows.manifest import inputs_changed

    if not options.use_cache or not ExtractionCache.of_output(Path(options.output), fingerprint).path.exists():
        return options.workers
    return 1 if inputs_changed(options) else 0


def _run(args: argparse.Namespace) -> int:
    options = _check_run_arguments(args)
    output = Path(args.output)
    from flows.manifest import fresh_outputs, run_summary

    # before Prefect starts: a busy folder fails in a second (the flow holds it too)
    with exclusive_output(output, wait_s=options.lock_wait_s, on_wait=lambda message: print(message, file=sys.stderr)):
        previous = fresh_outputs(options)
        if previous is not None:
            print(f"up to date: inputs, code, options and decisions are unchanged since the run of {previous['finished_at']} (--force rebuilds)")
            summary = run_summary(previous)
        else:
            from flows.api_server import temporary_api_server

            if not options.dask_address:  # they build while the rest starts
                from extractors.options import pipeline_fingerprint

                fingerprint = pipeline_fingerprint(options.pipeline)
                prestart(options.pipeline, _children_to_prestart(options, fingerprint), fingerprint=fingerprint)
            with temporary_api_server() as api_ready:  # boots while Prefect and the flow are imported
                from flows.progress import terminal_progress  # (rich, like Prefect, loads while the server boots)
                from flows.symptom_claims import run  # Prefect loads only for runs that do something

                api_ready()
                with terminal_progress():
                    summary = run(options)
    counts = summary["counts"]
    print(f"{counts['documents']} inputs ({summary['rejected']} rejected), {counts['mentions']} mentions, "
          f"{counts['claims']} claims, {counts['conflicts']} conflicts ({summary['open_conflicts']} open) -> {output} "
          f"(review: {output / 'report.html'})")
    return 1 if args.strict and summary["rejected"] else 0


def build_deployment(args: argparse.Namespace):
    """The deployment ``serve`` runs: the flow, its schedule and these run options."""
    from flows.symptom_claims import flow_with_runner

    options = _run_options(args)
    return flow_with_runner(options.workers, options.dask_address, options.run_timeout_s).to_deployment(
        name=args.name, cron=args.cron, parameters=options.parameters(),
        concurrency_limit=1)  # the next scheduled run waits for the one in progress (the output folder lock would refuse it)


def _serve(args: argparse.Namespace) -> int:
    _check_run_arguments(args)
    from flows.api_server import temporary_api_server

    with temporary_api_server(services=True) as api_ready:  # its scheduler starts the runs
        from flows.serving import serve

        deployment = build_deployment(args)
        api_ready()
        serve(deployment, f"serving deployment symptom-claims/{args.name} on cron {args.cron!r}; Ctrl-C or SIGTERM stops")
    return 0


def _read_run(output: Path) -> dict[str, pd.DataFrame]:
    tables = read_tables(output)
    if schema.CONFLICTS.name not in tables:
        raise UsageError(f"no {schema.CONFLICTS.file_name} in {output}: run `symptom-claims run` first")
    return tables


def _review(args: argparse.Namespace) -> int:
    conflicts = _read_run(Path(args.output))["conflicts"]
    if not args.all:
        conflicts = conflicts[conflicts["status"] == "open"]
    if args.kind:
        conflicts = conflicts[conflicts["kind"] == args.kind]
    conflicts = conflicts.sort_values(["severity", "conflict_id"], ascending=[False, True])
    try:
        print(f"{len(conflicts)} {'' if args.all else 'open '}conflicts")
        for row in conflicts.itertuples():
            print(f"\n{row.conflict_id}  {row.kind}  severity {row.severity:.2f}  [{row.status}]  docs: {row.doc_ids}")
            print(textwrap.fill(str(row.reason), width=100, initial_indent="  ", subsequent_indent="  "))
        sys.stdout.flush()
    except BrokenPipeError:  # `review | head`: the reader has what it wanted
        _discard_stdout()
    return 0


def _discard_stdout() -> None:
    """Send what is left for a closed pipe, and the interpreter's flush at exit, to /dev/null,
    so the command ends quietly as Unix tools do (Python docs, "Note on SIGPIPE")."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _decide(args: argparse.Namespace) -> int:
    output = Path(args.output)
    with exclusive_output(output, "decide"):  # a run writing the folder meanwhile would overwrite the decision's table
        return _record_decision(args, output)


def _record_decision(args: argparse.Namespace, output: Path) -> int:
    tables = _read_run(output)
    conflicts = tables["conflicts"]
    match = conflicts[conflicts["conflict_id"] == args.conflict_id]
    if match.empty:
        raise UsageError(f"no conflict {args.conflict_id} in {output / schema.CONFLICTS.file_name}")
    path = Path(args.decisions) if args.decisions else _decisions_of_last_run(output)
    decision = record_decision(path, match.iloc[0].to_dict(), args.status, args.note, args.reviewer)
    index = match.index[0]
    conflicts.loc[index, ["status", "note", "decided_by", "decided_at"]] = [decision["status"], decision["note"], decision["decided_by"], decision["decided_at"]]
    formats = tuple(name for name in FORMATS if name == "csv" or (output / f"{schema.CONFLICTS.name}.{name}").exists())
    with StagedWrite() as staged:  # the conflicts table in every format the run wrote, and the page showing it, together
        stage_table(staged, schema.CONFLICTS, conflicts, output, formats)
        staged.add(output / REPORT_NAME, stage_report({**tables, "conflicts": conflicts}, output))
        staged.commit()
    print(f"{args.conflict_id}: {args.status} by {decision['decided_by']} (recorded in {path})")
    return 0


def _decisions_of_last_run(output: Path) -> Path:
    """The decisions file the last run into ``output`` read (its ``--decisions``), so that the
    next run applies the decision: the page's commands and a bare `decide` name none."""
    from flows.manifest import previous_run

    recorded = ((previous_run(output) or {}).get("options") or {}).get("decisions")
    return Path(recorded) if recorded else output / "decisions.csv"


COMMANDS = {"run": _run, "serve": _serve, "review": _review, "decide": _decide}


def _terminated(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # SIGTERM (a scheduler's timeout, `kill`) unwinds like Ctrl-C: the temporary API server,
    # the extraction and side processes stop, and the flow run is marked crashed. Python's
    # default for SIGTERM ends the process on the spot and left the server running.
    in_main_thread = threading.current_thread() is threading.main_thread()  # signals can only be handled there
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
    try:
        return COMMANDS[args.command](args)
    except (UsageError, IngestUsageError) as error:
        print(f"symptom-claims: error: {error}", file=sys.stderr)
        return 2
    except OutputBusy as error:
        print(f"symptom-claims: error: {error}", file=sys.stderr)
        return 4
    except InputDropped as error:  # a scheduler's wrapper tells "remount the share" from "page someone" (3)
        print(f"symptom-claims: error: {args.command} refused: {error}", file=sys.stderr)
        return 5
    except Exception as error:  # Prefect has logged the failed run with its traceback
        print(f"symptom-claims: error: {args.command} failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 3
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
