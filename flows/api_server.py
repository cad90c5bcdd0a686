"""Prefect's temporary API server, launched before Prefect is imported.

Without a configured API, Prefect starts a temporary server only when a flow run begins:
the run's process first imports the server's FastAPI application just to reach the class
that starts it (~3 s), then waits while the server process imports it again and boots
(~6 s). Launched here instead, before the CLI imports Prefect and the flow, the server
boots on the other core while this process imports, and this process never imports the
application (runs of the 32-document sample: 19-22 -> 13-17 s, docs/performance.md).

The command is the one Prefect's ``SubprocessASGIServer`` runs (Prefect is pinned in
pyproject.toml; tests run flows through it). The server's address is exported in
PREFECT_API_URL, so processes started from here (a local Dask cluster's workers, the
runs of a served deployment) report to the same API. An API the user configured (the
environment, a Prefect profile) is used as it is; a profile's API is only known once Prefect
is imported, so then the launched server is stopped unused after a few seconds.
"""
from __future__ import annotations

import _thread
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

from flows.parent_death import die_with_parent

PORT_IN_USE = 3  # uvicorn's exit code when its port was taken meanwhile


def configured_api_url() -> str | None:
    """The API the user configured, as far as it is known without importing Prefect."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    if "prefect.settings" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        return PREFECT_API_URL.value()
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent(parent: int) -> Callable[[], None]:
    """For the server process, before it starts: SIGTERM when this process dies, also by
    SIGKILL (flows.parent_death). ``_launch`` is only called on the main thread, whose end is
    the process's end."""
    return lambda: die_with_parent(parent, signal.SIGTERM)


# A one-off run's server skips the registration of block types (which the run uses none of):
# to tell whether it is due, Prefect imports every installed collection (prefect-dask imports
# Dask's distributed) and hashes the registry, ~0.6 s of the boot's ~5.5 s CPU
# (docs/performance.md, thirty-seventh round).
_ONE_OFF = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
            "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "0", "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "0"}


def _launch(port: int, services: bool = False) -> subprocess.Popen:
    """The server process; ``services``: with its background services and UI, as ``prefect
    server start`` runs it (a one-off run needs neither; Prefect's ephemeral mode skips them)."""
    site_packages = Path(importlib.util.find_spec("prefect").origin).parent.parent
    mode = {"PREFECT_UI_ENABLED": "1"} if services else _ONE_OFF
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(site_packages), "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, **mode, "PREFECT__SERVER_FINAL": "1"},
        preexec_fn=_die_with_parent(os.getpid()),
        start_new_session=True,  # a terminal's Ctrl-C reaches only us, and we stop the server (after the run's last logs)
    )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def temporary_api_server(services: bool = False) -> Iterator[Callable[[], None]]:
    """Launch Prefect's temporary server now unless an API is configured; yield ``ready``,
    which waits until the API answers and points Prefect (and child processes) at it.

    Call ``ready()`` after the slow imports it should overlap; the server stops on exit,
    after the run's last logs are sent. ``services=True`` for ``serve``: only the server's
    scheduler turns a deployment's cron into runs.
    """
    if configured_api_url():
        yield lambda: None
        return
    port = _free_port()
    process = _launch(port, services)
    url = f"http://127.0.0.1:{port}/api"
    stopping, died, watched = threading.Event(), [], []

    def watch(server: subprocess.Popen) -> None:
        """``serve`` would otherwise carry on for hours without a scheduler, logging refused
        connections: a server that dies under it interrupts it instead."""
        code = server.wait()
        if not stopping.is_set():
            died.append(code)
            _thread.interrupt_main()

    with ExitStack() as settings:

        def ready() -> None:
            nonlocal process, url
            from prefect.logging import get_logger
            from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings

            if PREFECT_API_URL.value():  # configured in a profile: not ours to replace
                _stop(process)
                return
            timeout = PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
            deadline = time.monotonic() + timeout
            while not _healthy(url):
                if process.poll() == PORT_IN_USE:
                    port = _free_port()
                    process, url = _launch(port, services), f"http://127.0.0.1:{port}/api"
                elif process.poll() is not None:
                    raise RuntimeError(f"Prefect's temporary API server exited with code {process.returncode}; "
                                       "set PREFECT_API_URL to a running Prefect server")
                elif time.monotonic() > deadline:
                    raise RuntimeError(f"Prefect's temporary API server did not answer within {timeout:g} s "
                                       "(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); set PREFECT_API_URL to a running Prefect server")
                time.sleep(0.1)
            get_logger().info("temporary Prefect API server on %s (set PREFECT_API_URL to use a server of your own)", url)
            os.environ["PREFECT_API_URL"] = url
            # A one-off run's flow sends no heartbeats: they let a lasting server mark a run
            # whose process died as crashed, and this server dies with the run. The heartbeat
            # thread sleeps in steps of a second, and the run's end waited for its step (~0.5 s).
            # (A heartbeat frequency the user set is overridden too: nothing could watch it.)
            settings.enter_context(temporary_settings({PREFECT_API_URL: url} if services else {PREFECT_API_URL: url, "flows.heartbeat_frequency": None}))
            settings.callback(os.environ.pop, "PREFECT_API_URL", None)
            if services:  # a long-lived server
                threading.Thread(target=watch, args=(process,), name="api-server-watch", daemon=True).start()
                watched.append(process)

        try:
            yield ready
        except KeyboardInterrupt:
            if not died:  # the user's Ctrl-C, not the watch's
                raise
        except Exception:
            if not watched or watched[0].poll() is None:
                raise
            # the dead server made the body fail first ("ConnectError: All connection attempts
            # failed" from the runner's next poll): its death is what to report
            died.append(watched[0].returncode)
        finally:
            if os.environ.get("PREFECT_API_URL") == url:
                from prefect.logging.handlers import APILogWorker

                APILogWorker.drain_all(timeout=5)  # send the run's last logs before the API goes away
            stopping.set()
            settings.close()
            _stop(process)
        if died:
            raise RuntimeError(f"Prefect's temporary API server exited with code {died[0]} while serving")
