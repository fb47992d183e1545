"""cargo test: one 'test result: ok. 2 passed; 0 failed; 1 ignored; ...' per test binary, summed."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "cargo test"

_RESULT = re.compile(
    r"^test result: \w+\. (?P<passed>\d+) passed; (?P<failed>\d+) failed; "
    r"(?P<ignored>\d+) ignored;.*$",
    re.MULTILINE,
)
# a new cargo invocation compiles or reports "Finished" before running its binaries again
_NEW_INVOCATION = re.compile(r"^\s*(?:Compiling|Finished|Fresh) ", re.MULTILINE)


def detect(text: str) -> bool:
    return "test result: " in text


def parse(text: str) -> list[SummaryMatch]:
    boundaries = [match.start() for match in _NEW_INVOCATION.finditer(text)]
    found: list[SummaryMatch] = []
    group: list[re.Match[str]] = []

    def close_group() -> None:
        if group:
            summary = TestSummary(
                framework=NAME,
                passed=sum(int(m["passed"]) for m in group),
                failed=sum(int(m["failed"]) for m in group),
                skipped=sum(int(m["ignored"]) for m in group),
            )
            found.append(SummaryMatch(summary, group[-1].end()))
            group.clear()

    for match in _RESULT.finditer(text):
        if group and any(group[-1].end() < b < match.start() for b in boundaries):
            close_group()
        group.append(match)
    close_group()
    return found
