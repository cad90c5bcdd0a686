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


READY_POLL_SECONDS = 0.05


class _StoppableRunner(Runner):
    def __init__(self, announce: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.announce = announce

    async def start(self, *args, **kwargs) -> None:
        """Prefect's ``start``, printing :attr:`announce` once the runner polls: a SIGTERM before
        then unwinds as in any command (status 143), so whoever waits for the line (a service
        manager's log, a test) knows a stop from then on is the runner's orderly one. Printed
        before the runner had started, the line came ~1 s early on a slow start, and a SIGTERM
        then ended with 143."""
        announcer = asyncio.create_task(self._announce_when_polling())
        try:
            await super().start(*args, **kwargs)
        finally:
            announcer.cancel()

    async def _announce_when_polling(self) -> None:
        while not self.started:
            await asyncio.sleep(READY_POLL_SECONDS)
        print(self.announce, flush=True)

    def handle_sigterm(self, *args) -> None:
        if not self.started:  # not polling yet (or no longer): unwind like any other command
            raise SystemExit(128 + signal.SIGTERM)
        if self.stopping:
            return
        self._logger.info("SIGTERM received, stopping the runner...")
        loop = asyncio.get_running_loop()  # a signal handler runs in the loop's (main) thread
        loop.call_soon_threadsafe(lambda: loop.create_task(self.astop()))  # wakes the loop's select


def serve(deployment: RunnerDeployment, announce: str) -> None:
    """Serve ``deployment`` until stopped (Prefect's ``serve``: schedules paused on shutdown),
    printing ``announce`` once its runner polls."""
    runner = _StoppableRunner(announce, pause_on_shutdown=True)
    runner.add_deployment(deployment)
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        logger.info("Ctrl-C received, the runner stopped")
