"""Prefect flows of symptom-claims: wiring only (tasks, retries, concurrency, artifacts).

Importing this package sets safe Prefect defaults first (see :mod:`flows.settings`).
"""
from flows import settings as _settings  # noqa: F401  (must run before prefect is imported)
