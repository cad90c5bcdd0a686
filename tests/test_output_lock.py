"""One process at a time writes an output folder (flows.output_lock): a second run or decide
stops at once, names the holder and changes nothing; a killed holder leaves no lock behind."""
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from flows.cli import main
from flows.output_lock import OutputBusy, exclusive_output, lock_path
from tests.conftest import PROJECT_ROOT
from tests.test_cli import finished_run  # noqa: F401  (a fixture)
from tests.test_flow import run_flow, three_sample_documents

HOLDER = "import sys, time; from flows.output_lock import exclusive_output\nwith exclusive_output(sys.argv[1]):\n    print('held', flush=True); time.sleep({seconds})\n"
IN_PROJECT = {"cwd": PROJECT_ROOT, "text": True, "env": {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}}


def holding(output) -> subprocess.Popen:
    """Another process, holding the lock of ``output`` until it is killed."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER.format(seconds=600), str(output)], stdout=subprocess.PIPE, **IN_PROJECT)
    assert holder.stdout.readline().strip() == "held"
    return holder


def lock_taken_elsewhere(output) -> subprocess.CompletedProcess:
    """Another process taking the lock of ``output`` and letting it go."""
    return subprocess.run([sys.executable, "-c", HOLDER.format(seconds=0), str(output)], capture_output=True, **IN_PROJECT)


@pytest.fixture
def held(tmp_path):
    output = tmp_path / "out"
    holder = holding(output)
    yield output, holder
    holder.kill()
    holder.wait()


def test_a_second_holder_is_refused_with_the_holders_pid_and_a_killed_holder_frees_the_folder(held):
    output, holder = held
    with pytest.raises(OutputBusy, match=rf"another symptom-claims process \(`run`, pid {holder.pid} on .*, since 20"):
        with exclusive_output(output):
            pass
    holder.send_signal(signal.SIGKILL)  # no cleanup runs: the kernel drops the lock
    holder.wait()
    with exclusive_output(output):
        assert f"pid {os.getpid()}" in lock_path(output).read_text()
    assert lock_path(output).read_text() == ""  # released: the next refusal would not name a gone process


def test_a_waiting_holder_takes_the_folder_when_the_other_lets_go_or_gives_up(held, monkeypatch):
    """A scheduled run meeting a run by hand waits for it (--wait-for-output) instead of losing its night."""
    import flows.output_lock as output_lock

    output, holder = held
    monkeypatch.setattr(output_lock, "WAIT_POLL_S", 0.05)
    told = []
    with pytest.raises(OutputBusy, match=r"\(waited 0.3 s\)"):
        with exclusive_output(output, wait_s=0.3, on_wait=told.append):
            pass
    assert len(told) == 1 and f"pid {holder.pid}" in told[0] and "waiting up to" in told[0]
    killer = subprocess.Popen([sys.executable, "-c", f"import os, signal, time; time.sleep(0.5); os.kill({holder.pid}, signal.SIGKILL)"])
    with exclusive_output(output, wait_s=60):
        assert f"pid {os.getpid()}" in lock_path(output).read_text()
    killer.wait()


def test_a_hold_is_reentrant_within_a_process_and_released_by_the_outermost(tmp_path):
    output = tmp_path / "out"
    with exclusive_output(output):
        with exclusive_output(os.path.relpath(output)):  # the same folder, however it is written
            pass
        probe = lock_taken_elsewhere(output)
        assert probe.returncode != 0 and "OutputBusy" in probe.stderr  # still held after the inner block
    probe = lock_taken_elsewhere(output)
    assert probe.returncode == 0, probe.stderr


def test_run_into_a_busy_folder_exits_4_before_prefect_starts_and_writes_nothing(held, tmp_path, capsys, monkeypatch):
    output, holder = held
    corpus = three_sample_documents(tmp_path / "corpus")
    monkeypatch.setattr("flows.api_server.temporary_api_server", lambda *a, **k: pytest.fail("Prefect's server was started"))
    monkeypatch.setattr("flows.cli.prestart", lambda *a, **k: pytest.fail("extraction processes were started"))
    assert main(["run", "--input", str(corpus), "--output", str(output)]) == 4
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and f"pid {holder.pid}" in error[0] and "another --output" in error[0]
    assert sorted(path.name for path in output.iterdir()) == [".cache"]
    assert sorted(path.name for path in (output / ".cache").iterdir()) == ["run.lock"]


def test_decide_during_a_run_exits_4_and_records_nothing(finished_run, capsys):  # noqa: F811
    output, conflict_id = finished_run
    holder = holding(output)
    try:
        conflicts = (output / "conflicts.csv").read_bytes()
        assert main(["decide", conflict_id, "--status", "confirmed", "--output", str(output)]) == 4
        assert "being written by another symptom-claims process" in capsys.readouterr().err
        assert not (output / "decisions.csv").exists() and (output / "conflicts.csv").read_bytes() == conflicts
    finally:
        holder.kill()
        holder.wait()
    assert main(["decide", conflict_id, "--status", "confirmed", "--output", str(output)]) == 0
    assert pd.read_csv(output / "decisions.csv", dtype=str).loc[0, "status"] == "confirmed"


def test_a_served_or_deployed_run_holds_the_folder_too(prefect_harness, held, tmp_path):
    """The flow takes the lock itself: `serve` and deployments start it without the CLI."""
    output, holder = held
    corpus = three_sample_documents(tmp_path / "corpus")
    with pytest.raises(OutputBusy, match=f"pid {holder.pid}"):
        run_flow([corpus], output)
    assert sorted(path.name for path in output.iterdir()) == [".cache"]
