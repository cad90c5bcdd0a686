"""Prefect defaults that make a run work offline, set before Prefect is imported.

* Analytics off: otherwise the temporary server tries to reach the outside.
* Without a configured API, Prefect starts a temporary local server for the run; that
  server needs the FastAPI version pinned in pyproject.toml.
A user's own environment or profile wins: we only fill in what is unset.
"""
import os

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}

for _name, _value in DEFAULTS.items():
    os.environ.setdefault(_name, _value)
