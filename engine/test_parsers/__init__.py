"""Find the test counts in whatever a test command printed.

Each framework module exposes NAME, detect(text) (cheap, may say yes too often) and
parse(text) -> list[SummaryMatch] over cleaned text. The summary that ends last in the
output wins: it is the final result of the last test command that was run.
"""

from types import ModuleType

from engine.test_parsers import (
    automake_output,
    cargo_test_output,
    ctest_output,
    go_test_output,
    gradle_output,
    jest_output,
    maven_surefire_output,
    meson_test_output,
    mocha_output,
    node_test_output,
    prove_output,
    pytest_output,
    tap_output,
    unittest_output,
    vitest_output,
)
from engine.test_parsers.junit_xml import parse_junit_xml
from engine.test_parsers.summary_match import SummaryMatch
from engine.test_parsers.terminal_text import clean_terminal_text
from engine.test_summary import TestSummary

# on a tie in position, the earlier module in this list wins
PARSERS: tuple[ModuleType, ...] = (
    pytest_output,
    unittest_output,
    jest_output,
    vitest_output,
    mocha_output,
    node_test_output,
    prove_output,
    tap_output,
    go_test_output,
    cargo_test_output,
    maven_surefire_output,
    gradle_output,
    ctest_output,
    meson_test_output,
    automake_output,
)


def find_summaries(text: str) -> list[SummaryMatch]:
    """Every run summary any parser recognises, in the order they end in the cleaned text."""
    cleaned = clean_terminal_text(text)
    found = []
    for rank, parser in enumerate(PARSERS):
        if parser.detect(cleaned):
            found.extend((match.end, rank, match) for match in parser.parse(cleaned))
    found.sort(key=lambda item: (item[0], -item[1]))
    return [match for _, _, match in found]


def parse_all_runs(text: str) -> list[TestSummary]:
    """Every run found, oldest first (e.g. the two pytest invocations of one nox session)."""
    return [match.summary for match in find_summaries(text)]


def parse_test_output(text: str) -> TestSummary | None:
    """The last test-run summary in arbitrary terminal output, or None if there is none."""
    matches = find_summaries(text)
    return matches[-1].summary if matches else None


__all__ = [
    "PARSERS",
    "SummaryMatch",
    "clean_terminal_text",
    "find_summaries",
    "parse_all_runs",
    "parse_junit_xml",
    "parse_test_output",
]
