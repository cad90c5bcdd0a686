"""The side process runs a call beside the flow, and the flow's own process takes over when it is gone."""
import os

from flows.side_process import SideProcess


def test_a_call_runs_in_the_other_process_and_its_result_comes_back():
    side = SideProcess("claims.report")
    try:
        assert side.submit(os.getpid)() != os.getpid()
        assert side.submit(sorted, [3, 1, 2])() == [1, 2, 3]
    finally:
        side.close()


def test_when_the_process_is_gone_the_call_runs_here():
    side = SideProcess("claims.report")
    side.submit(os._exit, 3)  # the process dies
    try:
        assert side.submit(os.getpid)() == os.getpid()  # broken pool: run here, nothing lost
    finally:
        side.close()
    assert side.submit(sorted, [2, 1])() == [1, 2]  # after close, too
    assert side.submit(sorted, [2, 1])(run_here=False) is None  # (a caller that only cleans up after it)


def test_the_report_handed_over_as_files_is_rendered_there_or_here_when_the_process_is_gone(tmp_path):
    """The flow keeps the handed-over folder until the page is back, so the fallback finds it."""
    from claims.report import hand_over, stage_report, stage_report_from
    from tests.test_report import conflict_tables

    tables, output = conflict_tables(), tmp_path / "out"
    output.mkdir()
    expected = stage_report(tables, output).read_bytes()
    folder = hand_over(tables, tmp_path / "report-tables")
    side = SideProcess("claims.report")
    try:
        assert side.submit(stage_report_from, folder, output)().read_bytes() == expected
        side.submit(os._exit, 3)  # the process dies
        assert side.submit(stage_report_from, folder, output)().read_bytes() == expected
    finally:
        side.close()
