"""Automake's test harnesses (`make check`).

The parallel harness (automake >= 1.12 default) ends with a '# TOTAL: N' / '# PASS: N' block. The
older serial harness (`serial-tests`, still in many projects) prints a banner between '=' lines:
'All 3 tests passed', 'All 4 tests behaved as expected (1 expected failure)', '1 of 4 tests failed',
'2 of 9 tests did not behave as expected (1 unexpected pass)', then '(1 test was not run)' for skips.
Its counts leave skipped tests out.
"""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "automake"

_BLOCK = re.compile(r"^# TOTAL: +(?P<total>\d+)\n(?P<body>(?:# [A-Z]+: +\d+\n?)+)", re.MULTILINE)
_FIELD = re.compile(r"^# (?P<key>[A-Z]+): +(?P<count>\d+)", re.MULTILINE)
_SERIAL = re.compile(
    r"^={3,}\n"
    r"(?:All (?P<all>\d+) tests? (?:passed|behaved as expected(?: \((?P<xfail>\d+) expected failures?\))?)"
    r"|(?P<failed>\d+) of (?P<of>\d+) tests? (?:failed|did not behave as expected[^\n]*))\n"
    r"(?:\((?P<skipped>\d+) tests? (?:was|were) not run\)\n)?"
    r"(?:[^\n=]*\n){0,3}?={3,}$",
    re.MULTILINE,
)


_SERIAL_WORDS = ("# TOTAL:", " test passed", " tests passed", " tests failed", " test failed", "as expected")


def detect(text: str) -> bool:
    return any(word in text for word in _SERIAL_WORDS)


def parse(text: str) -> list[SummaryMatch]:
    found = [_parallel(match) for match in _BLOCK.finditer(text)]
    found += [_serial(match) for match in _SERIAL.finditer(text)]
    return sorted(found, key=lambda match: match.end)


def _parallel(match: re.Match[str]) -> SummaryMatch:
    counts = {m["key"]: int(m["count"]) for m in _FIELD.finditer(match["body"])}
    # XFAIL is an expected failure (skipped, as for pytest's xfail); XPASS an unexpected pass fails
    summary = TestSummary(
        framework=NAME,
        passed=counts.get("PASS", 0),
        failed=counts.get("FAIL", 0) + counts.get("XPASS", 0),
        skipped=counts.get("SKIP", 0) + counts.get("XFAIL", 0),
        errors=counts.get("ERROR", 0),
    )
    return SummaryMatch(summary, match.end())


def _serial(match: re.Match[str]) -> SummaryMatch:
    skipped = int(match["skipped"] or 0)
    if match["all"] is not None:
        xfail = int(match["xfail"] or 0)
        passed, failed = int(match["all"]) - xfail, 0
        skipped += xfail
    else:
        failed = int(match["failed"])
        passed = int(match["of"]) - failed
    summary = TestSummary(framework=NAME, passed=passed, failed=failed, skipped=skipped)
    return SummaryMatch(summary, match.end())
