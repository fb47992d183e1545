"""Automake's parallel test harness (`make check`): the '# TOTAL: N' / '# PASS: N' summary block."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "automake"

_BLOCK = re.compile(r"^# TOTAL: +(?P<total>\d+)\n(?P<body>(?:# [A-Z]+: +\d+\n?)+)", re.MULTILINE)
_FIELD = re.compile(r"^# (?P<key>[A-Z]+): +(?P<count>\d+)", re.MULTILINE)


def detect(text: str) -> bool:
    return "# TOTAL:" in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _BLOCK.finditer(text):
        counts = {m["key"]: int(m["count"]) for m in _FIELD.finditer(match["body"])}
        # XFAIL is an expected failure (skipped, as for pytest's xfail); XPASS an unexpected pass fails
        summary = TestSummary(
            framework=NAME,
            passed=counts.get("PASS", 0),
            failed=counts.get("FAIL", 0) + counts.get("XPASS", 0),
            skipped=counts.get("SKIP", 0) + counts.get("XFAIL", 0),
            errors=counts.get("ERROR", 0),
        )
        found.append(SummaryMatch(summary, match.end()))
    return found
