"""Prefect defaults that make a run work offline, set before Prefect is imported.

* Analytics off: otherwise the temporary server tries to reach the outside.
* Without a configured API, Prefect starts a temporary local server for the run; that
  server needs the FastAPI version pinned in pyproject.toml.

A user's own environment or active Prefect profile wins: we only fill in what neither sets.
Prefect ranks environment variables above profiles, so a default set in the environment
unasked hid the user's profile (its batch interval, its startup timeout). Prefect's other
setting files (`.env`, `prefect.toml`, `[tool.prefect]` in pyproject.toml) are not read here:
a setting of these four given there is overridden; give it in the environment or a profile.
"""
import os
import tomllib
from pathlib import Path

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def active_profile_settings() -> dict:
    """The settings of the active profile in profiles.toml (``PREFECT_PROFILES_PATH``, else
    ``$PREFECT_HOME`` or ``~/.prefect``; the profile ``PREFECT_PROFILE`` names, else the
    file's ``active``), read without importing Prefect; {} when there is none or it is unreadable."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    settings = profiles.get("profiles", {}).get(active, {})
    return settings if isinstance(settings, dict) else {}


_profile = active_profile_settings()
for _name, _value in DEFAULTS.items():
    if _name not in _profile:
        os.environ.setdefault(_name, _value)
