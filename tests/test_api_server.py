"""The temporary Prefect API server the CLI launches before it imports Prefect."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows import api_server
from flows.api_server import _free_port, temporary_api_server
from tests.conftest import PROJECT_ROOT


def test_a_configured_api_is_used_and_nothing_is_launched(monkeypatch):
    monkeypatch.setattr(api_server, "_launch", lambda port, services: pytest.fail("launched a server although an API is configured"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    with temporary_api_server() as ready:
        ready()
        assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"

    monkeypatch.delenv("PREFECT_API_URL")
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}), temporary_api_server() as ready:  # a profile's API
        ready()
        assert "PREFECT_API_URL" not in os.environ
        from prefect.settings import get_current_settings

        assert get_current_settings().flows.heartbeat_frequency is not None  # a lasting server may watch them


def test_flows_run_on_the_launched_server_and_it_stops_afterwards():
    from prefect import flow, get_client

    @flow
    def where_am_i() -> str:
        return str(get_client(sync_client=True).api_url)

    messages = []
    listener = logging.Handler()
    listener.emit = lambda record: messages.append(record.getMessage())
    logging.getLogger("prefect").addHandler(listener)  # not capfd: Prefect's console handler would keep its closed stream
    assert "PREFECT_API_URL" not in os.environ
    try:
        with temporary_api_server() as ready:
            ready()
            url = os.environ["PREFECT_API_URL"]
            assert any(f"temporary Prefect API server on {url}" in message for message in messages)  # the log says where
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                assert response.status == 200
            assert where_am_i().rstrip("/") == url
            from prefect.settings import get_current_settings

            assert get_current_settings().flows.heartbeat_frequency is None  # nothing would watch them
    finally:
        logging.getLogger("prefect").removeHandler(listener)
    assert "PREFECT_API_URL" not in os.environ
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=5)


def test_a_server_that_cannot_start_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(api_server, "_launch", lambda port, services: subprocess.Popen([sys.executable, "-c", "raise SystemExit(1)"]))
    with pytest.raises(RuntimeError, match="exited with code 1; set PREFECT_API_URL"), temporary_api_server() as ready:
        ready()
    assert "PREFECT_API_URL" not in os.environ


def test_the_server_for_serve_turns_a_cron_schedule_into_runs(tmp_path, monkeypatch):
    """`serve` waits for runs that only the server's scheduler creates: Prefect's ephemeral mode
    (a one-off run's server) does not run it, and SQLAlchemy 2.1 broke its insert."""
    from prefect import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    from flows.cli import _parser, build_deployment

    monkeypatch.setenv("PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS", "1")  # the server inherits it
    args = _parser().parse_args(["serve", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--cron", "* * * * *", "--name", "scheduled"])
    with temporary_api_server(services=True) as ready:
        deployment = build_deployment(args)
        ready()
        deployment_id = deployment.apply()
        only_ours = DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id]))
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + 60
            while not (runs := client.read_flow_runs(deployment_filter=only_ours)):
                assert time.monotonic() < deadline, "no run of the cron deployment was scheduled within 60 s"
                time.sleep(0.5)
    assert all(run.state.is_scheduled() for run in runs)


def test_the_server_stops_when_the_process_that_launched_it_is_killed(tmp_path):
    """A SIGKILL (the OOM killer) skips every cleanup; the kernel still stops the server."""
    launcher = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
sys.path.insert(0, {str(PROJECT_ROOT)!r})
from flows.api_server import _launch
print(_launch({_free_port()}).pid, flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
    server = int(launcher.stdout.readline())
    launcher.kill()
    launcher.wait()
    deadline = time.monotonic() + 10
    while _alive(server):
        assert time.monotonic() < deadline, "the server outlived its killed launcher"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, just not reaped by init yet
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def _serving(tmp_path: Path) -> tuple[subprocess.Popen, int]:
    """`serve` started and polling (its line printed), and the pid of its temporary API server."""
    serve = subprocess.Popen([sys.executable, "-m", "flows", "serve", "--input", str(tmp_path), "--output", str(tmp_path / "out")],
                             cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in serve.stdout:
        if line.startswith("serving deployment"):
            break
    with open(f"/proc/{serve.pid}/task/{serve.pid}/children") as children:
        server = next(int(pid) for pid in children.read().split() if "uvicorn" in Path(f"/proc/{pid}/cmdline").read_text())
    return serve, server


def test_serve_stops_on_sigterm_with_status_0_and_takes_its_server_along(tmp_path):
    """A service manager stops `serve` with SIGTERM: Prefect's own handler left "coroutine
    'Runner.astop' was never awaited" in the log; the runner now stops and pauses its schedule."""
    serve, server = _serving(tmp_path)
    try:
        time.sleep(1)  # the runner's loop is polling
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
        log = serve.stderr.read()
        assert "All deployments have been paused" in log and "never awaited" not in log
        assert not _alive(server)
    finally:
        serve.kill()


def test_serve_stops_with_an_error_when_its_server_dies(tmp_path):
    """Without its server, `serve` logged refused connections for hours and scheduled nothing."""
    serve, server = _serving(tmp_path)
    try:
        os.kill(server, 9)
        assert serve.wait(timeout=90) == 3
        assert "serve failed: RuntimeError: Prefect's temporary API server exited with code -9 while serving" in serve.stderr.read()
    finally:
        serve.kill()


def _prefect_settings_seen(cwd: Path, prefect_home: Path) -> list[str]:
    """Prefect's settings after `import flows` in a clean environment: batch interval, startup
    timeout, analytics, and whether our batch-interval default went into the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "DO_NOT_TRACK"}
    probe = ("import os, flows\n"
             "from prefect.settings import get_current_settings\n"
             "s = get_current_settings()\n"
             "print(s.logging.to_api.batch_interval, s.server.ephemeral.startup_timeout_seconds, s.server.analytics_enabled,"
             " 'PREFECT_LOGGING_TO_API_BATCH_INTERVAL' in os.environ)")
    env.update(PREFECT_HOME=str(prefect_home), PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-c", probe], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=True).stdout.split()


def test_the_offline_defaults_leave_what_the_users_profile_sets(tmp_path):
    """Prefect ranks the environment above profiles: a default set there unasked hid the
    user's profile."""
    (tmp_path / "profiles.toml").write_text('active = "team"\n[profiles.team]\nPREFECT_LOGGING_TO_API_BATCH_INTERVAL = "3"\n'
                                            '[profiles.other]\nPREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS = "20"\n', encoding="utf-8")
    # the profile's interval; our timeout and analytics where the active profile sets none
    assert _prefect_settings_seen(PROJECT_ROOT, tmp_path) == ["3.0", "90", "False", "False"]


def test_the_offline_defaults_leave_what_the_projects_setting_files_set(tmp_path):
    """`.env`, prefect.toml and pyproject.toml's [tool.prefect] in the working directory rank
    below the environment too."""
    project = tmp_path / "project"
    project.mkdir()
    (project / ".env").write_text("PREFECT_LOGGING_TO_API_BATCH_INTERVAL=4\n", encoding="utf-8")
    (project / "prefect.toml").write_text("[server.ephemeral]\nstartup_timeout_seconds = 30\n", encoding="utf-8")
    (project / "pyproject.toml").write_text("[tool.prefect.server]\nanalytics_enabled = true\n", encoding="utf-8")
    assert _prefect_settings_seen(project, tmp_path / "home") == ["4.0", "30", "True", "False"]
    (project / "pyproject.toml").unlink()  # and our defaults where they set nothing
    (project / ".env").write_text("PREFECT_PROFILES_PATH=team-profiles.toml\n", encoding="utf-8")
    (project / "team-profiles.toml").write_text('active = "team"\n[profiles.team]\nPREFECT_LOGGING_TO_API_BATCH_INTERVAL = "2"\n',
                                                encoding="utf-8")
    assert _prefect_settings_seen(project, tmp_path / "home") == ["2.0", "30", "False", "False"]


def test_a_one_off_server_registers_no_block_types_and_a_served_one_does(monkeypatch):
    """The block registration's check imports every Prefect collection (~0.6 s of a one-off
    server's boot); ``serve``'s long-lived server, with its UI, registers them as Prefect does."""
    from prefect.settings import Settings

    environments = []
    monkeypatch.setattr(api_server.subprocess, "Popen", lambda command, env, **options: environments.append(env))
    for name in ("PREFECT_SERVER_REGISTER_BLOCKS_ON_START", "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION"):
        monkeypatch.delenv(name, raising=False)
    api_server._launch(_free_port())
    api_server._launch(_free_port(), services=True)
    one_off, served = environments
    with monkeypatch.context() as patch:
        for name, value in one_off.items():
            if name.startswith("PREFECT_"):
                patch.setenv(name, value)
        assert not Settings().server.register_blocks_on_start and not Settings().server.memoize_block_auto_registration
    assert "PREFECT_SERVER_REGISTER_BLOCKS_ON_START" not in served
