"""Each captured run parses to the counts a person reading that terminal would report."""

from pathlib import Path

import pytest

from engine.test_parsers import parse_all_runs, parse_test_output

FIXTURES = Path(__file__).parent.parent / "fixtures" / "test_outputs"

# fixture -> (framework, passed, failed, skipped, errors); xfail/todo/pending count as skipped
EXPECTED = {
    "pytest/mixed_default.txt": ("pytest", 7, 2, 3, 1),
    "pytest/mixed_color.txt": ("pytest", 7, 2, 3, 1),
    "pytest/mixed_quiet.txt": ("pytest", 7, 2, 3, 1),
    "pytest/mixed_xdist.txt": ("pytest", 7, 2, 3, 1),
    "pytest/all_pass_quiet.txt": ("pytest", 2, 0, 1, 0),
    "pytest/no_tests_ran.txt": ("pytest", 0, 0, 0, 0),
    "pytest/collection_error.txt": ("pytest", 0, 0, 0, 1),
    "pytest/collection_error_continue.txt": ("pytest", 1, 0, 0, 1),
    "tox/pytest_in_tox.txt": ("pytest", 7, 2, 3, 1),
    "nox/two_pytest_runs.txt": ("pytest", 5, 2, 2, 1),
    "unittest/mixed_verbose.txt": ("unittest", 3, 1, 4, 2),
    "unittest/mixed_plain.txt": ("unittest", 3, 1, 4, 2),
    "unittest/ok_with_skips.txt": ("unittest", 2, 0, 1, 0),
    "unittest/no_tests.txt": ("unittest", 0, 0, 0, 0),
    "jest/mixed.txt": ("jest", 4, 1, 2, 1),
    "jest/mixed_color.txt": ("jest", 4, 1, 2, 1),
    "jest/all_pass.txt": ("jest", 2, 0, 0, 0),
    "vitest/mixed.txt": ("vitest", 4, 1, 2, 0),
    "vitest/mixed_color.txt": ("vitest", 4, 1, 2, 0),
    "mocha/spec_mixed.txt": ("mocha", 3, 2, 2, 0),
    "mocha/spec_mixed_color.txt": ("mocha", 3, 2, 2, 0),
    "node_test/spec_mixed.txt": ("node:test", 3, 2, 2, 0),
    "tap/node_test_tap.txt": ("tap", 3, 2, 2, 0),
    "tap/mocha_tap_reporter.txt": ("tap", 3, 2, 2, 0),
    "tap/node_tap_runner.txt": ("tap", 2, 1, 2, 0),
    # prove counts a TODO test that fails as passing
    "tap/prove_mixed.txt": ("prove", 5, 1, 1, 0),
    "tap/prove_verbose_mixed.txt": ("prove", 5, 1, 1, 0),
    "tap/prove_all_pass.txt": ("prove", 2, 0, 0, 0),
    # leaf tests: TestTable's three subtests are counted, TestTable itself is not
    "go/verbose_mixed.txt": ("go test", 5, 2, 1, 0),
    "cargo/workspace_mixed.txt": ("cargo test", 5, 1, 2, 0),
    "cargo/workspace_mixed_color.txt": ("cargo test", 5, 1, 2, 0),
    "cargo/stops_at_failure.txt": ("cargo test", 3, 1, 2, 0),
    "cargo/lib_only_pass.txt": ("cargo test", 2, 0, 1, 0),
    "maven/surefire_mixed.txt": ("maven", 4, 1, 1, 1),
    "maven/surefire_mixed_batch.txt": ("maven", 4, 1, 1, 1),
    "gradle/mixed_4.4.1.txt": ("gradle", 4, 2, 1, 0),
    "ctest/mixed.txt": ("ctest", 8, 2, 1, 1),
    "ctest/all_pass.txt": ("ctest", 3, 0, 0, 0),
    "automake/make_check_failing.txt": ("automake", 3, 1, 2, 0),
    "automake/make_check_passing.txt": ("automake", 4, 0, 2, 0),
    "automake/serial_all_pass.txt": ("automake", 3, 0, 0, 0),
    "automake/serial_expected_failure_and_skip.txt": ("automake", 3, 0, 2, 0),  # the XFAIL counts as skipped
    "automake/serial_failing.txt": ("automake", 3, 1, 1, 0),  # '1 of 4 failed': the XFAIL is among the 3
    "automake/serial_libsmi_failing.txt": ("automake", 18, 3, 0, 0),
    "meson/mixed.txt": ("meson test", 6, 1, 1, 0),
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_captured_run_parses_to_expected_counts(fixture: str) -> None:
    summary = parse_test_output((FIXTURES / fixture).read_text())
    assert summary is not None
    framework, passed, failed, skipped, errors = EXPECTED[fixture]
    got = (summary.framework, summary.passed, summary.failed, summary.skipped, summary.errors)
    assert got == (framework, passed, failed, skipped, errors)
    assert summary.total == passed + failed + skipped + errors


def test_every_captured_text_fixture_has_an_expectation() -> None:
    captured = {str(path.relative_to(FIXTURES)) for path in FIXTURES.rglob("*.txt")}
    checked_below = {
        "go/plain_mixed.txt",
        "go/plain_all_pass.txt",
        "gradle/all_pass_no_summary_4.4.1.txt",
    }
    assert captured - checked_below == set(EXPECTED)


def test_plain_go_test_counts_packages_because_it_prints_no_test_counts() -> None:
    mixed = parse_test_output((FIXTURES / "go/plain_mixed.txt").read_text())
    assert mixed is not None
    assert (mixed.unit, mixed.passed, mixed.failed) == ("packages", 1, 1)
    assert mixed.verdict().reason == "1 of 2 packages passed (50%) < 80%"
    green = parse_test_output((FIXTURES / "go/plain_all_pass.txt").read_text())
    assert green is not None
    assert (green.unit, green.passed, green.failed) == ("packages", 1, 0)


def test_green_gradle_build_prints_no_counts_so_nothing_is_claimed() -> None:
    text = (FIXTURES / "gradle/all_pass_no_summary_4.4.1.txt").read_text()
    assert "BUILD SUCCESSFUL" in text
    assert parse_test_output(text) is None


def test_nox_session_with_two_pytest_invocations_yields_both_runs() -> None:
    runs = parse_all_runs((FIXTURES / "nox/two_pytest_runs.txt").read_text())
    assert [(run.passed, run.failed, run.skipped, run.errors) for run in runs] == [
        (2, 0, 1, 0),
        (5, 2, 2, 1),
    ]


def test_collection_error_is_not_ok() -> None:
    summary = parse_test_output((FIXTURES / "pytest/collection_error.txt").read_text())
    assert summary is not None
    assert summary.verdict().ok is False
    assert summary.verdict().reason == "no tests ran (1 error)"
