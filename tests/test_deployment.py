"""Scheduling: the served deployment and prefect.yaml point at the real flow with valid parameters."""
import pytest
import yaml

from flows.cli import _parser, build_deployment
from tests.conftest import PROJECT_ROOT


def test_serve_builds_a_cron_deployment_with_the_run_options(tmp_path):
    args = _parser().parse_args(["serve", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--cron", "30 1 * * *", "--workers", "2",
                                 "--run-timeout", "3600", "--wait-for-output", "600"])
    deployment = build_deployment(args)
    assert (deployment.parameters["run_timeout_s"], deployment.parameters["lock_wait_s"]) == (3600, 600)  # the entrypoint's run takes them
    assert deployment.name == "nightly"
    assert [s.schedule.cron for s in deployment.schedules] == ["30 1 * * *"]
    assert deployment.parameters["inputs"] == [str(tmp_path.resolve())] and deployment.parameters["workers"] == 2
    assert deployment.entrypoint.endswith("flows/symptom_claims.py:symptom_claims")
    assert deployment.concurrency_limit == 1  # a run by hand during the nightly one would share its output folder


def test_a_bad_cron_is_a_usage_error_before_anything_starts(tmp_path, capsys):
    from flows.cli import main

    with pytest.raises(SystemExit) as exit:
        main(["serve", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--cron", "every night"])
    assert exit.value.code == 2 and "--cron: not a cron schedule" in capsys.readouterr().err


def test_limits_reach_the_deployment_as_plain_parameters(tmp_path):
    from flows.symptom_claims import symptom_claims

    args = _parser().parse_args(["serve", "--input", str(tmp_path), "--output", str(tmp_path / "out"), "--max-documents", "1000",
                                 "--max-record-chars", "3000000", "--max-compression-ratio", "500", "--doc-timeout", "off"])
    parameters = build_deployment(args).parameters
    assert {k: parameters[k] for k in ("max_documents", "max_record_chars", "max_compression_ratio", "doc_timeout_s", "max_decompressed_mb")} == {
        "max_documents": 1000, "max_record_chars": 3_000_000, "max_compression_ratio": 500.0, "doc_timeout_s": None, "max_decompressed_mb": 200}
    assert symptom_claims.validate_parameters(parameters)["max_documents"] == 1000


def test_the_input_guard_reaches_the_deployment_as_a_plain_parameter(tmp_path):
    from flows.symptom_claims import symptom_claims

    def parameters(*options: str) -> dict:
        return build_deployment(_parser().parse_args(["serve", "--input", str(tmp_path), "--output", str(tmp_path / "out"), *options])).parameters

    assert parameters()["max_input_drop"] == 0.5
    assert symptom_claims.validate_parameters(parameters("--max-input-drop", "1"))["max_input_drop"] == 1.0


def test_prefect_yaml_entrypoint_and_parameters_match_the_flow():
    from prefect.flows import load_flow_from_entrypoint

    config = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    flow = load_flow_from_entrypoint(str(PROJECT_ROOT / deployment["entrypoint"]))
    assert flow.name == "symptom-claims"
    validated = flow.validate_parameters(deployment["parameters"])
    assert validated["inputs"] == ["data/raw"] and validated["output"] == "data/out"
    assert deployment["schedules"][0]["cron"] == "0 2 * * *" and deployment["concurrency_limit"] == 1


def test_parameters_a_deployment_sets_are_checked_and_made_absolute_like_the_clis(tmp_path, monkeypatch):
    """prefect.yaml's relative "data/raw" named other inputs than `make run`'s absolute path, so
    each rebuilt after the other; a deployment's formats=["xlsx"] deleted every table, and
    formats=["parquet"] the CSVs that `review` and `decide` read."""
    from flows.options import RunOptions

    monkeypatch.chdir(tmp_path)
    options = RunOptions(inputs=["data/raw"], output="data/out", decisions="reviews.csv", formats=("parquet",))
    assert (options.inputs, options.output, options.decisions) == (
        [str(tmp_path / "data/raw")], str((tmp_path / "data/out").resolve()), str(tmp_path / "reviews.csv"))
    assert options.formats == ("csv", "parquet")
    with pytest.raises(ValueError, match="'xlsx' unknown; known: csv, parquet"):
        RunOptions(inputs=["in"], output="out", formats=("xlsx",))
    for name in ("workers", "batch_size"):
        with pytest.raises(ValueError, match=f"{name} must be at least 1, got 0"):
            RunOptions(inputs=["in"], output="out", **{name: 0})
