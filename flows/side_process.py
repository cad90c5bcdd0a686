"""A second Python process for the work after extraction that can run beside the flow's own.

After consolidation the flow writes the CSV tables (~2.5 s on MedQuAD) and renders the
report (~3 s): one after the other they kept one core busy while the other idled. Here
instead, while the flow writes the tables, the report is rendered from the rows it shows
(:func:`claims.report.shown_tables`), handed over as Parquet files
(:func:`claims.report.hand_over`). While the near duplicates are searched here, the flow
consolidates.
The process is spawned, not forked (the flow's process runs Prefect's threads), once the
extraction is over: its imports overlap the consolidation, and it holds no memory while the
extraction processes do. When it dies, the work it was given runs in the flow's process.
"""
from __future__ import annotations

import importlib
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable


class SideProcess:
    def __init__(self, warm_module: str):
        """Spawn the process now; it imports ``warm_module`` while the caller goes on."""
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=importlib.import_module, initargs=(warm_module,))
        self._pool.submit(int)  # the pool spawns on the first submit

    def submit(self, function: Callable[..., Any], *args: Any) -> Callable[..., Any]:
        """Start ``function(*args)`` there; returns what waits for its result. The arguments
        and the result must pickle; if the process is gone, the call runs here when waited for
        (``run_here=False``: None instead, for a caller that only cleans up after it)."""
        try:
            future: Future | None = self._pool.submit(function, *args)
        except (BrokenProcessPool, RuntimeError):  # died earlier, or shut down
            future = None

        def result(run_here: bool = True) -> Any:
            if future is not None:
                try:
                    return future.result()
                except BrokenProcessPool:  # died meanwhile: nothing of the call is lost but time
                    pass
            return function(*args) if run_here else None

        return result

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
