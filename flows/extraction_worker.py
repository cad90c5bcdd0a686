"""Extraction in a supervised child process, under a hard time limit per document.

Extraction (spaCy, scispaCy, regular expressions) can get stuck inside one C call, where
no signal handler, thread or Prefect timeout reaches it, and SIGALRM is no use in Prefect's
task threads anyway. So every process that extracts (the flow's process with its task
threads, a Dask worker) keeps one long-lived child process per concurrent task: the child
builds the pipeline once, extracts the documents of a batch a group at a time (the
pipeline's components take a group together, which is 12 % cheaper than one document at a
time: extractors.batching) and sends each result back as soon as its group is done. The
parent waits for each result with a deadline, and hands each one on (``on_result``: the flow
caches it) as soon as it is final. On overrun it kills the child (SIGKILL works
whatever the child is doing), starts a fresh one and sends it the rest of that group one
document at a time, so that only the document that overruns on its own is rejected as
``timeout``; then it goes on with the rest of the batch. A child that dies (segfault, OOM
kill) is handled the same way and costs only the document that kills a child on its own
(``extraction_error``); an exception costs only its document (its group is extracted again
one document at a time) and the child carries on. On Linux the child asks to be the OOM
killer's first choice, so running out of memory costs a document, not the run.

Children are started with ``subprocess`` (``python -m flows.extraction_worker``), not
``multiprocessing``: Dask worker processes are daemonic and may not have multiprocessing
children. Messages are length-prefixed pickles over two pipes handed to the child. A
child exits when its parent goes away: on Linux by the kernel's death signal (also inside
one long C call: flows.parent_death), elsewhere when its request pipe reaches end of file or
its watch thread sees the parent gone; :func:`shutdown` (run at exit) kills the ones still
running, and :func:`end_now` (SIGTERM, Ctrl-C) the busy ones too. A child that cannot start,
or that built another pipeline than the run's (its "ready" says which), raises
:class:`ExtractionUnavailable`: a fault of the machine, not of a document.

The child runs a *factory*, ``"module:function"``: called once with the pipeline options,
it returns the function that turns ``(doc_id, text)`` into a result dict; if that function
also has a ``many`` method (a list of ``(doc_id, text)`` to a list of results), the child
extracts groups of GROUP_SIZE documents and at most GROUP_CHARS characters with it
(:func:`group_ends`). The default, :func:`document_extractor`, is
the flow's extraction; tests name their own.

Pure stdlib here; the extraction modules are imported in the child only. POSIX only
(pipes with ``selectors``).
"""
from __future__ import annotations

import atexit
import importlib
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import Any, Callable, Iterator, Sequence

from flows.heap import return_free_memory, set_aside_what_was_built
from flows.parent_death import die_with_parent, start_on_launcher
from ingest.model import EXTRACTION_ERROR, TIMEOUT, reject_reason

DEFAULT_FACTORY = "flows.extraction_worker:document_extractor"
DEFAULT_TIMEOUT_S = 300.0  # per document; docs/reliability.md explains the choice
STARTUP_TIMEOUT_S = 600.0  # imports and the pipeline build of a fresh child (a few seconds when warm)
GROUP_SIZE = 32  # documents a child extracts together, when its factory can (``many``)
# ... and characters at most (a longer document is a group of its own): a group's first result
# is due ``timeout_s`` after it is sent, so a group of long documents overran a limit that no
# document of it did, and went through a fresh child one document at a time
GROUP_CHARS = 200_000
_HEADER = struct.Struct("<Q")
_READ_CHUNK = 1 << 20


# --- result dicts (the flow caches and consolidates these) ------------------------------

def extracted_result(extraction, text: str) -> dict:
    from claims.signatures import document_signature

    return {"doc_id": extraction.doc_id, "extraction": extraction.to_dict(), "signature": document_signature(text), "error": ""}


def rejected_result(doc_id: str, reason: str) -> dict:
    return {"doc_id": doc_id, "extraction": None, "signature": None, "error": reason}


def relabeled_result(result: dict, doc_id: str) -> dict:
    """An extracted ``result`` as extracting its text under ``doc_id`` gives it: the cache keeps
    one result per text, whichever document stored it."""
    from extractors.records import relabel_extraction

    return {**result, "doc_id": doc_id, "extraction": relabel_extraction(result["extraction"], doc_id)}


def document_extractor(options) -> "DocumentExtractor":
    """The flow's extraction: builds the pipeline now (so start-up is not charged to the first
    document) and returns the extractor of one document or of a group, the same code as an
    in-process run."""
    from extractors.options import pipeline_fingerprint
    from extractors.pipeline import get_nlp

    get_nlp(options)
    return DocumentExtractor(options, pipeline_fingerprint(options))


class DocumentExtractor:
    """One document's result (call it), or several documents' (``many``: the pipeline's
    components take them as one batch, extractors.batching). ``fingerprint``: the pipeline it
    extracts with, as this process sees its terminology, code and libraries."""

    def __init__(self, options, fingerprint: str | None = None):
        self.options = options
        self.fingerprint = fingerprint

    def __call__(self, doc_id: str, text: str) -> dict:
        return self.many([(doc_id, text)])[0]

    def many(self, documents: Sequence[tuple[str, str]]) -> list[dict]:
        from extractors.pipeline import extract_texts

        extractions = extract_texts(documents, self.options, batch_size=max(1, len(documents)))
        return [extracted_result(extraction, text) for extraction, (_, text) in zip(extractions, documents, strict=True)]


def group_ends(documents: Sequence[tuple[str, str]], group_size: int) -> list[int]:
    """Where each group of ``documents`` ends (exclusive): at most ``group_size`` documents and,
    past its first, GROUP_CHARS characters. The child groups by it; the parent reads from it
    which documents a failed group held."""
    ends, size, chars = [], 0, 0
    for index, (_, text) in enumerate(documents):
        if size and (size == group_size or chars + len(text) > GROUP_CHARS):
            ends.append(index)
            size, chars = 0, 0
        size, chars = size + 1, chars + len(text)
    return ends + [len(documents)] if documents else []


# --- the supervisor (parent side) -------------------------------------------------------

class ExtractionUnavailable(RuntimeError):
    """No extraction process can be had, or not one of the run's pipeline: a fault of this
    machine, not of a document. The batch fails (its task retries) rather than rejecting its
    documents, which would replace good tables with a run of rejects."""


class _Overrun(Exception):
    pass


class _Died(Exception):
    pass


def _failure_reason(failure: Exception, timeout_s: float | None) -> str:
    """The reject reason of a document that overran (``_Overrun``) or killed its child (``_Died``)."""
    if isinstance(failure, _Overrun):
        return reject_reason(TIMEOUT, f"extraction took longer than {timeout_s:g} s; raise --doc-timeout, or split the document")
    return reject_reason(EXTRACTION_ERROR, f"the extraction process died ({failure}); the other documents are not affected")


def _exit_description(returncode: int | None) -> str:
    if returncode is None:
        return "closed its pipe"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name}" + (", out of memory?" if name == "SIGKILL" else "")
    return f"exit code {returncode}"


class ExtractionWorker:
    """One child process running ``factory(options)``; not thread-safe (one batch at a time).

    ``fingerprint`` is the caller's pipeline fingerprint (:func:`extractors.options.pipeline_fingerprint`)
    when the child started: with the same options, a lexicon or rules changed since then build
    another pipeline, so a child is reused only under the fingerprint it was started for."""

    def __init__(self, factory: str, options: Any, fingerprint: str | None = None):
        self.key = (factory, options, fingerprint)
        self._process: subprocess.Popen | None = None
        self._to_child: int | None = None
        self._from_child: int | None = None
        self._buffer = bytearray()
        self._starting = False  # launched, its "ready" not yet read
        self._group_size = 1  # documents the child extracts together (its "ready" says)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the child and wait until its pipeline is built; raises ExtractionUnavailable if it cannot."""
        self.launch()
        self._await_ready()

    def launch(self) -> None:
        """Start the child without waiting for its pipeline (it builds while the caller goes
        on); the first batch waits for it. Raises ExtractionUnavailable if no process can be started."""
        self.stop()
        if _ending:
            raise ExtractionUnavailable(_ENDING)
        child_reads, parent_writes = os.pipe()
        parent_reads, child_writes = os.pipe()
        try:
            # started by the launcher thread: the child's death signal follows the thread that
            # started it, and a task thread ends with its run while its child serves the next
            self._process = start_on_launcher(
                subprocess.Popen,
                [sys.executable, "-m", "flows.extraction_worker", str(child_reads), str(child_writes), str(os.getpid())],
                pass_fds=(child_reads, child_writes), stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            os.close(parent_writes)
            os.close(parent_reads)
            raise ExtractionUnavailable(f"the extraction process did not start ({error})") from None
        finally:
            os.close(child_reads)
            os.close(child_writes)
        self._to_child, self._from_child = parent_writes, parent_reads
        os.set_blocking(parent_reads, False)
        if _ending:  # end_now() came while the child was being started: it killed no such child
            self.stop()
            raise ExtractionUnavailable(_ENDING)
        factory, options, _ = self.key
        try:
            self._send(("start", factory, options, list(sys.path)))
        except OSError as error:
            self.stop()
            raise ExtractionUnavailable(f"the extraction process did not start ({error})") from None
        self._starting = True

    def _await_ready(self) -> None:
        """Wait for a launched child's pipeline; raises ExtractionUnavailable (child stopped) if it fails."""
        try:
            message = self._receive(STARTUP_TIMEOUT_S)
        except _Overrun:
            self.stop()
            raise ExtractionUnavailable(f"the extraction process did not start within {STARTUP_TIMEOUT_S:g} s") from None
        except (_Died, OSError) as error:
            self.stop()
            raise ExtractionUnavailable(f"the extraction process did not start ({error})") from None
        if message[0] != "ready":
            self.stop()
            raise ExtractionUnavailable(f"the extraction process did not start: {message[1]}")
        _, self._group_size, built = message
        expected = self.key[2]
        if expected is not None and built is not None and built != expected:
            self.stop()  # its results would be cached under a pipeline that did not make them
            raise ExtractionUnavailable(
                f"the extraction process built pipeline {built}, the run's is {expected}: its terminology folder "
                "(SYMPTOM_CLAIMS_SHARED) or its files, the code, the library versions or a saved --ner-model "
                "folder (its files' names or contents) differ from the run's")
        self._starting = False

    def stop(self) -> None:
        """Kill the child (if any) and close the pipes."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._process = None
        for fd in (self._to_child, self._from_child):
            if fd is not None:
                os.close(fd)
        self._to_child = self._from_child = None
        self._buffer.clear()
        self._starting = False

    def extract(self, batch: Sequence[tuple[str, str]], timeout_s: float | None,
                on_result: Callable[[dict], None] | None = None) -> list[dict]:
        """One result per document of ``batch``, in order; never raises for a document.

        ``on_result`` gets each result as soon as it is final, so that the caller can keep it
        before the rest of the batch is done (or a kill loses it)."""
        results = []
        for result in self._results(batch, timeout_s):
            if on_result is not None:
                on_result(result)
            results.append(result)
        return results

    def _results(self, batch: Sequence[tuple[str, str]], timeout_s: float | None) -> Iterator[dict]:
        """The final result of each document of ``batch``, in order, as it arrives.

        Each result is due ``timeout_s`` seconds (None: no limit) after the previous one; the
        first of a group (:func:`group_ends`) comes when the whole group is done. When it overruns or the child
        dies, which document of the group is to blame is not known: the rest of the group
        goes to a fresh child one document at a time, and only a document that overruns or
        kills the child on its own is rejected.
        """
        done = 0
        alone = 0  # documents still to send one at a time
        while done < len(batch):
            remaining = batch[done:]
            request = remaining[:1] if alone else remaining
            try:
                self._send_documents(request)  # (raises ExtractionUnavailable)
            except _Died as failure:
                if len(request) > 1:
                    alone = len(request)  # which one is to blame is not known
                    continue
                yield rejected_result(request[0][0], _failure_reason(failure, timeout_s))
                done += 1
                alone = max(0, alone - 1)
                continue
            group_size = self._group_size
            for position, (doc_id, _) in enumerate(request):
                try:
                    result = self._receive(timeout_s)
                except (_Overrun, _Died) as failure:
                    self.stop()
                    if _ending:  # killed by end_now(): no fault of the document's
                        raise ExtractionUnavailable(_ENDING) from None
                    if not alone and group_size > 1:
                        alone = next(end for end in group_ends(request, group_size) if end > position) - position
                        break
                    result = rejected_result(doc_id, _failure_reason(failure, timeout_s))
                if result["doc_id"] != doc_id:
                    self.stop()
                    raise RuntimeError(f"extraction process answered for {result['doc_id']!r}, expected {doc_id!r}")
                yield result
                done += 1
                alone = max(0, alone - 1)
                if not self.alive():
                    break  # a fresh child takes the rest

    def _send_documents(self, documents: Sequence[tuple[str, str]]) -> None:
        """Hand the documents to a live child, starting one if needed (once more if the
        idle child turns out to have died meanwhile)."""
        for _ in range(2):
            if not self.alive():
                self.start()
            elif self._starting:
                self._await_ready()  # launched ahead (prestart)
            try:
                self._send(("extract", list(documents)))
                return
            except OSError:
                self.stop()
        # two children started and died on these documents (one so large its unpickling runs
        # out of memory): the documents' fault, not the machine's
        raise _Died("it exits as soon as it is given the documents")

    def _send(self, message) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:  # the child reads a whole request before it answers, so this cannot deadlock
            view = view[os.write(self._to_child, view):]

    def _receive(self, timeout_s: float | None):
        """The next message; raises _Overrun after ``timeout_s`` seconds, _Died on end of file."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with selectors.DefaultSelector() as selector:
            selector.register(self._from_child, selectors.EVENT_READ)
            while True:
                if len(self._buffer) >= _HEADER.size:
                    (size,) = _HEADER.unpack_from(self._buffer)
                    if len(self._buffer) >= _HEADER.size + size:
                        data = bytes(self._buffer[_HEADER.size:_HEADER.size + size])
                        del self._buffer[:_HEADER.size + size]
                        return pickle.loads(data)
                wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                if not selector.select(wait):
                    raise _Overrun()
                try:
                    chunk = os.read(self._from_child, _READ_CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    try:
                        returncode = self._process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        returncode = None
                    raise _Died(_exit_description(returncode))
                self._buffer += chunk


# Per process: idle workers are reused across batches and flow runs; each concurrent task
# (threads of one process) gets a child of its own. A run uses one pipeline, so releasing a
# worker stops the idle ones built for other factories, options or fingerprints (a second
# run in one process, or on a long-lived Dask worker, after the terminology or rules changed:
# a child of the first would extract with the old pipeline into the cache of the new one).
_lock = threading.Lock()
_idle: list[ExtractionWorker] = []  # least recently used first
_busy: set[ExtractionWorker] = set()
_ending = False  # set by end_now(): no child is started any more
_ENDING = "the run is ending (SIGTERM, Ctrl-C or its --run-timeout): its extraction processes were stopped"


def _acquire(key: tuple) -> ExtractionWorker:
    with _lock:
        worker = next((w for w in reversed(_idle) if w.key == key), None)
        if worker is None:
            worker = ExtractionWorker(*key)
        else:
            _idle.remove(worker)
        _busy.add(worker)
    return worker


def _release(worker: ExtractionWorker) -> None:
    with _lock:
        _busy.discard(worker)
        evicted = [other for other in _idle if other.key != worker.key]
        _idle[:] = [other for other in _idle if other.key == worker.key] + [worker]
    for other in evicted:
        other.stop()


def prestart(options, count: int, factory: str | None = None, fingerprint: str | None = None) -> None:
    """Have ``count`` children for ``options``: launch the missing ones now, without waiting
    for their pipelines, and keep them idle. They build while the caller does something else
    (the CLI: start Prefect's API server and import; an incremental flow run: read the rest of
    its input), and the first batches find them ready instead of paying for the build then.
    A child that cannot be launched is left to :func:`extract_documents` to retry and report."""
    key = (factory or DEFAULT_FACTORY, options, fingerprint)
    with _lock:
        missing = count - sum(worker.key == key for worker in (*_idle, *_busy))
    launched = []
    for _ in range(missing):
        worker = ExtractionWorker(*key)
        try:
            worker.launch()
        except RuntimeError:
            continue
        launched.append(worker)
    with _lock:
        _idle.extend(launched)


def extract_documents(batch: Sequence[tuple[str, str]], options, timeout_s: float | None = DEFAULT_TIMEOUT_S,
                      factory: str | None = None, on_result: Callable[[dict], None] | None = None,
                      fingerprint: str | None = None) -> list[dict]:
    """Results of ``batch`` (dicts with doc_id, extraction, signature, error), in order, each
    document extracted under ``timeout_s`` in this process's extraction child started for
    ``fingerprint`` (see :class:`ExtractionWorker`); ``on_result`` gets each one as soon as it
    is final (in this thread)."""
    worker = _acquire((factory or DEFAULT_FACTORY, options, fingerprint))
    try:
        return worker.extract(batch, timeout_s, on_result)
    except BaseException:
        worker.stop()
        raise
    finally:
        _release(worker)


def _stop(busy_too: bool) -> None:
    with _lock:
        workers = _idle + list(_busy) if busy_too else _idle[:]
        _idle.clear()
        if busy_too:
            _busy.clear()
    for worker in workers:
        worker.stop()


def stop_idle() -> None:
    """Kill this process's idle extraction children, never a busy one: a run done extracting
    gives their memory (the pipeline, ~250 MB each) back before it consolidates; the next
    batch starts a child again."""
    _stop(busy_too=False)


def shutdown() -> None:
    """Kill every extraction child of this process (idle and busy)."""
    _stop(busy_too=True)


def end_now() -> None:
    """For a run that is ending (SIGTERM, Ctrl-C, its timeout): kill every child, busy ones too, and
    start none again, so that the batches in flight fail at once. Prefect's runner waits for
    its running tasks, and a busy child went on through its whole batch (up to 1,024
    documents) before the process could exit. Takes no lock (it may run where an interrupted
    thread holds it) and only signals the children: their threads see them die and clean up."""
    global _ending
    _ending = True
    for worker in [*_idle, *_busy]:  # (each collection copied in one C call: no other thread changes it meanwhile)
        process = worker._process  # (once: its thread may set it to None)
        if process is not None:
            try:
                process.kill()  # (not os.kill: Popen leaves a child it has reaped alone, whose pid may be reused)
            except OSError:
                pass


def ending() -> bool:
    """Whether :func:`end_now` was called: a failed batch is not worth retrying."""
    return _ending


def resume() -> None:
    """Undo :func:`end_now` for the next run of a process that did not end (a notebook whose
    run was interrupted with Ctrl-C)."""
    global _ending
    _ending = False


atexit.register(shutdown)


# --- the child --------------------------------------------------------------------------

def _read_message(stream):
    """The next message, or None when the parent has closed the pipe (or died mid-message)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    return pickle.loads(data) if len(data) == size else None


def _write_message(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _load(factory: str) -> Callable:
    module, _, name = factory.partition(":")
    return getattr(importlib.import_module(module), name)


def _first_for_the_oom_killer() -> None:
    """Linux: when memory runs out, the kernel should kill this child (which costs one
    document) rather than the run's main process."""
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _exit_when_orphaned(parent: int) -> None:
    """The closed pipe tells a child its parent is gone only when it next reads or writes;
    a child in the middle of a long document went on for minutes, orphaned. A thread checks
    for the parent each second instead (it runs whenever the extraction releases the GIL):
    the only watch where there is no death signal (flows.parent_death: Linux only)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(read_fd: int, write_fd: int, parent: int) -> int:
    """Child main loop: start message, then documents until the parent closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it kills us
    _first_for_the_oom_killer()
    die_with_parent(parent, signal.SIGKILL)  # (also inside one long C call, where no thread of ours runs)
    _exit_when_orphaned(parent)
    os.set_inheritable(read_fd, False)
    os.set_inheritable(write_fd, False)
    with os.fdopen(read_fd, "rb") as requests, os.fdopen(write_fd, "wb") as answers:
        start = _read_message(requests)
        if start is None:
            return 0
        _, factory, options, parent_path = start
        sys.path[:0] = [p for p in parent_path if p not in sys.path]  # import what the parent can
        try:
            extract = _load(factory)(options)
        except Exception as error:
            _write_message(answers, ("failed", f"{type(error).__name__}: {error}"))
            return 1
        set_aside_what_was_built()  # the pipeline and lexicon live as long as this child
        many = getattr(extract, "many", None)
        group_size = GROUP_SIZE if many is not None else 1
        _write_message(answers, ("ready", group_size, getattr(extract, "fingerprint", None)))
        while (request := _read_message(requests)) is not None:
            documents = request[1]
            start = 0
            for end in group_ends(documents, group_size):
                for result in _extract_group(extract, many, documents[start:end]):
                    _write_message(answers, result)
                start = end
            # the batch's Docs were freed among what the vocabulary keeps (flows.heap); once a
            # batch, not once a group: nearly as much memory given back, for less time
            return_free_memory()
    return 0


def _extract_group(extract: Callable, many: Callable | None, documents: Sequence[tuple[str, str]]) -> list[dict]:
    """Results of ``documents``, extracted together if ``many`` is given; if that raises, one
    document at a time, so that an exception costs only its own document."""
    if many is not None and len(documents) > 1:
        try:
            return many(documents)
        except Exception:
            pass  # which document failed is not known
    results = []
    for doc_id, text in documents:
        try:
            results.append(extract(doc_id, text))
        except Exception as error:  # one document's failure, not the child's
            results.append(rejected_result(doc_id, reject_reason(EXTRACTION_ERROR, f"{type(error).__name__}: {error}")))
    return results


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
