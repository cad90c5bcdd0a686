"""Prefect defaults that make a run work offline, set before Prefect is imported.

* Analytics off: otherwise the temporary server tries to reach the outside.
* Without a configured API, Prefect starts a temporary local server for the run; that
  server needs the FastAPI version pinned in pyproject.toml.

A user's own settings win: we only fill in what none of Prefect's sources sets. Prefect ranks
environment variables above every other source, so a default put in the environment unasked
hid what the user set in `.env`, `prefect.toml`, `[tool.prefect]` of pyproject.toml (all three
in the working directory) or the active profile. These are read here as Prefect reads them
(prefect/settings/sources.py), without importing Prefect.
"""
import os
import tomllib
from pathlib import Path

from dotenv import dotenv_values  # Prefect's own reader of .env (a dependency of Prefect)

# name in the environment -> (our value, its path in prefect.toml; None: not a Prefect setting)
DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": ("false", ("server", "analytics_enabled")),
    "DO_NOT_TRACK": ("1", None),
    "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": ("0.5", ("logging", "to_api", "batch_interval")),
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": ("90", ("server", "ephemeral", "startup_timeout_seconds")),
}


def _toml(path: Path) -> dict:
    """A TOML file's tables; {} when it is missing or unreadable (Prefect ignores those too)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _dotenv() -> dict:
    try:
        return dotenv_values(".env") if Path(".env").is_file() else {}
    except (OSError, UnicodeDecodeError):
        return {}


def _lookup(table: dict, path: tuple[str, ...]):
    """The value at a dotted path of nested TOML tables, None when any step is missing."""
    for key in path:
        if not isinstance(table, dict) or key not in table:
            return None
        table = table[key]
    return table


def _profiles_path(dotenv: dict, prefect_toml: dict, pyproject: dict) -> Path:
    """Where Prefect looks for profiles.toml, in its order of sources."""
    chosen = (os.environ.get("PREFECT_PROFILES_PATH") or dotenv.get("PREFECT_PROFILES_PATH")
              or _lookup(prefect_toml, ("profiles_path",)) or _lookup(pyproject, ("tool", "prefect", "profiles_path")))
    if chosen:
        return Path(str(chosen)).expanduser()
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    return home / "profiles.toml"


def _active_profile(profiles_path: Path) -> dict:
    """The settings of the active profile (the profile ``PREFECT_PROFILE`` names, else the
    file's ``active``); {} when there is none or the file is unreadable."""
    profiles = _toml(profiles_path)
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    settings = profiles.get("profiles", {}).get(active, {})
    return settings if isinstance(settings, dict) else {}


def names_the_user_set() -> set[str]:
    """Which of our defaults' names a source of Prefect's other than the environment sets."""
    dotenv, prefect_toml, pyproject = _dotenv(), _toml(Path("prefect.toml")), _toml(Path("pyproject.toml"))
    profile = _active_profile(_profiles_path(dotenv, prefect_toml, pyproject))
    return {name for name, (_, toml_path) in DEFAULTS.items()
            if name in profile or (toml_path is not None and (
                name in dotenv or _lookup(prefect_toml, toml_path) is not None
                or _lookup(pyproject, ("tool", "prefect", *toml_path)) is not None))}


_user_set = names_the_user_set()
for _name, (_value, _) in DEFAULTS.items():
    if _name not in _user_set:
        os.environ.setdefault(_name, _value)
