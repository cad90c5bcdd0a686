"""Serve a deployment until Ctrl-C or SIGTERM, and stop its runner as Prefect means to.

``prefect.serve`` is this, with Prefect's own Runner: its SIGTERM handler calls the sync
``Runner.stop()`` from inside the running event loop, where Prefect's async dispatch hands back
the ``astop()`` coroutine unawaited ("RuntimeWarning: coroutine 'Runner.astop' was never
awaited" in every service manager's log), and then exits in the middle of the loop. Here the
handler schedules ``astop()`` on the loop: the runner cancels its runs, pauses the schedules
and ``start()`` returns, so the command ends with status 0, as a service stopped on purpose.
"""
from __future__ import annotations

import asyncio
import signal

from prefect.deployments.runner import RunnerDeployment
from prefect.logging import get_logger
from prefect.runner import Runner

logger = get_logger("serve")  # under "prefect": its console handler shows it


class _StoppableRunner(Runner):
    def handle_sigterm(self, *args) -> None:
        if not self.started:  # not polling yet (or no longer): unwind like any other command
            raise SystemExit(128 + signal.SIGTERM)
        if self.stopping:
            return
        self._logger.info("SIGTERM received, stopping the runner...")
        loop = asyncio.get_running_loop()  # a signal handler runs in the loop's (main) thread
        loop.call_soon_threadsafe(lambda: loop.create_task(self.astop()))  # wakes the loop's select


def serve(deployment: RunnerDeployment) -> None:
    """Serve ``deployment`` until stopped (Prefect's ``serve``: schedules paused on shutdown)."""
    runner = _StoppableRunner(pause_on_shutdown=True)
    runner.add_deployment(deployment)
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        logger.info("Ctrl-C received, the runner stopped")
