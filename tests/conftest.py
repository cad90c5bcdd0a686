"""Shared fixtures. Prefect settings are fixed before any test imports Prefect:
analytics off and an ephemeral PREFECT_HOME, so no test reaches the network or the
user's own Prefect state."""
import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
if "PREFECT_HOME" not in os.environ:  # made only when needed, and removed with the session (each run left one in /tmp)
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="symptom-claims-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)

import pytest  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"
SEED_PASSAGES = SHARED / "examples" / "seed-passages.txt"


def require_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (the project's data folder) is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def seed_passages() -> list[str]:
    return require_shared(SEED_PASSAGES).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def nlp():
    from extractors.pipeline import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def ontology_terms() -> None:
    """Skips a test whose terms only the Disease or Symptom Ontology names (``../shared/terminology``):
    without them the lexicon is HPO and ICD-10-CM alone, and the test's sentence has other mentions."""
    from extractors.lexicon import default_shared_dir

    if default_shared_dir() is None:
        pytest.skip("the Disease and Symptom Ontologies are absent: ../shared/terminology is not beside this "
                    "checkout (or set SYMPTOM_CLAIMS_SHARED)")


@pytest.fixture(scope="session")
def prefect_harness():
    import prefect.main  # noqa: F401  (sets up Prefect's logging now: inside a test, that drops caplog's handler)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
