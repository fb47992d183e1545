"""JUnit XML reports written by real runs, read from a file, a directory or a string."""

from pathlib import Path

from engine.test_parsers import parse_junit_xml

XML = Path(__file__).parent.parent / "fixtures" / "test_outputs" / "junit_xml"


def counts(path_or_text: str | Path) -> tuple[int, int, int, int]:
    summary = parse_junit_xml(path_or_text)
    assert summary is not None
    return summary.passed, summary.failed, summary.skipped, summary.errors


def test_pytest_junitxml_matches_the_terminal_summary() -> None:
    # terminal: 2 failed, 7 passed, 2 skipped, 1 xfailed, 1 error
    assert counts(XML / "pytest_mixed.xml") == (7, 2, 3, 1)


def test_surefire_report_per_class() -> None:
    assert counts(XML / "surefire_CalcTest.xml") == (2, 1, 1, 1)
    assert counts(XML / "surefire_StringTest.xml") == (2, 0, 0, 0)


def test_gradle_report_for_a_green_build_that_printed_no_counts() -> None:
    assert counts(XML / "gradle_StringTest.xml") == (2, 0, 0, 0)


def test_meson_testlog_counts_should_fail_test_as_passed() -> None:
    assert counts(XML / "meson_testlog.xml") == (6, 1, 1, 0)


def test_xml_text_is_accepted_as_well_as_a_path() -> None:
    assert counts((XML / "surefire_CalcTest.xml").read_text()) == (2, 1, 1, 1)


def test_directory_of_reports_is_summed(tmp_path: Path) -> None:
    for name in ("surefire_CalcTest.xml", "surefire_StringTest.xml"):
        (tmp_path / name).write_text((XML / name).read_text())
    assert counts(tmp_path) == (4, 1, 1, 1)


def test_suite_attributes_are_used_when_there_are_no_testcases() -> None:
    text = '<testsuite name="s" tests="5" failures="1" errors="0" skipped="2"/>'
    assert counts(text) == (2, 1, 2, 0)


def test_broken_or_foreign_xml_gives_none(tmp_path: Path) -> None:
    assert parse_junit_xml("<testsuite><testcase") is None
    (tmp_path / "pom.xml").write_text("<project/>")
    assert parse_junit_xml(tmp_path / "pom.xml") is None
    assert parse_junit_xml(tmp_path / "missing.xml") is None
