"""The temporary Prefect API server the CLI launches before it imports Prefect."""
from __future__ import annotations

import logging
import os
import urllib.request

import pytest

from flows import api_server
from flows.api_server import temporary_api_server


def test_a_configured_api_is_used_and_nothing_is_launched(monkeypatch):
    monkeypatch.setattr(api_server, "_launch", lambda port: pytest.fail("launched a server although an API is configured"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    with temporary_api_server() as ready:
        ready()
        assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9/api"

    monkeypatch.delenv("PREFECT_API_URL")
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}), temporary_api_server() as ready:  # a profile's API
        ready()
        assert "PREFECT_API_URL" not in os.environ


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
    finally:
        logging.getLogger("prefect").removeHandler(listener)
    assert "PREFECT_API_URL" not in os.environ
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/health", timeout=5)


def test_a_server_that_cannot_start_is_a_clear_error(monkeypatch):
    import subprocess
    import sys

    monkeypatch.setattr(api_server, "_launch", lambda port: subprocess.Popen([sys.executable, "-c", "raise SystemExit(1)"]))
    with pytest.raises(RuntimeError, match="exited with code 1; set PREFECT_API_URL"), temporary_api_server() as ready:
        ready()
    assert "PREFECT_API_URL" not in os.environ
