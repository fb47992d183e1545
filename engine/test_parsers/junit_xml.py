"""JUnit XML reports (Surefire, Gradle, pytest --junitxml, meson, jest-junit): one count per testcase."""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

from engine.test_summary import TestSummary, merge_summaries

NAME = "junit-xml"


def _summary_from_root(root: ElementTree.Element) -> TestSummary:
    counts = dict.fromkeys(("passed", "failed", "skipped", "errors"), 0)
    cases = list(root.iter("testcase"))
    for case in cases:
        tags = {child.tag for child in case}
        if "error" in tags:
            counts["errors"] += 1
        elif "failure" in tags:
            counts["failed"] += 1
        elif "skipped" in tags:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    if not cases:
        # some writers give only the suite's attributes
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for suite in suites:
            tests = int(suite.get("tests", 0))
            counts["failed"] += int(suite.get("failures", 0))
            counts["errors"] += int(suite.get("errors", 0))
            counts["skipped"] += int(suite.get("skipped", suite.get("disabled", 0)))
            counts["passed"] += max(
                tests
                - int(suite.get("failures", 0))
                - int(suite.get("errors", 0))
                - int(suite.get("skipped", suite.get("disabled", 0))),
                0,
            )
    return TestSummary(framework=NAME, **counts)


def parse_junit_xml(path_or_text: str | Path) -> TestSummary | None:
    """Counts from one report (a path or the XML itself) or from every *.xml in a directory.

    None when there is no parseable report.
    """
    if isinstance(path_or_text, str) and path_or_text.lstrip().startswith("<"):
        try:
            return _summary_from_root(ElementTree.fromstring(path_or_text))
        except ElementTree.ParseError:
            return None
    path = Path(path_or_text)
    if path.is_dir():
        reports = [parse_junit_xml(child) for child in sorted(path.rglob("*.xml"))]
        return merge_summaries(report for report in reports if report is not None)
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError):
        return None
    if root.tag not in ("testsuite", "testsuites"):
        return None
    return _summary_from_root(root)
