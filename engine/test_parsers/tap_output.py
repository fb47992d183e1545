"""TAP streams (node --test, node-tap, mocha --reporter tap, Test::More): top-level ok lines.

node --test and node-tap list suites/files as top-level lines too, so their closing counters
('# pass N' lines, or '# { total: 5, pass: 2, fail: 1, ... }') are preferred when present.
"""

import re

from engine.test_parsers.counter_block import counter_block_pattern, summary_from_counters
from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "tap"

_VERSION = re.compile(r"^TAP version \d+[ \t]*$", re.MULTILINE)
# a number is required so that go's "ok  \tpkg 0.1s" lines are never taken for TAP
_TEST_LINE = re.compile(r"^(?P<not>not )?ok \d+\b(?P<rest>.*)$", re.MULTILINE)
_DIRECTIVE = re.compile(r"#\s*(SKIP|TODO)\b", re.IGNORECASE)
_TRAILER = counter_block_pattern("#")
_NODE_TAP_TRAILER = re.compile(r"^# \{ total: \d+(?:, \w+: \d+)* \}[ \t]*$", re.MULTILINE)


def detect(text: str) -> bool:
    return "ok 1" in text or "TAP version" in text


def _stream_bounds(text: str) -> list[tuple[int, int]]:
    starts = [match.start() for match in _VERSION.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    return list(zip(starts, [*starts[1:], len(text)], strict=True))


def _count_lines(text: str, start: int, end: int) -> SummaryMatch | None:
    counts = dict.fromkeys(("passed", "failed", "skipped"), 0)
    last_end = None
    for match in _TEST_LINE.finditer(text, start, end):
        last_end = match.end()
        if _DIRECTIVE.search(match["rest"]):
            counts["skipped"] += 1
        elif match["not"]:
            counts["failed"] += 1
        else:
            counts["passed"] += 1
    if last_end is None:
        return None
    return SummaryMatch(TestSummary(framework=NAME, **counts), last_end)


def _node_tap_summary(line: str) -> TestSummary:
    counts = {key: int(value) for key, value in re.findall(r"(\w+): (\d+)", line)}
    return TestSummary(
        framework=NAME,
        passed=counts.get("pass", 0),
        failed=counts.get("fail", 0),
        skipped=counts.get("skip", 0) + counts.get("todo", 0),
    )


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for start, end in _stream_bounds(text):
        trailers = [
            SummaryMatch(summary, match.end())
            for match in _TRAILER.finditer(text, start, end)
            if (summary := summary_from_counters(match.group(), NAME)) is not None
        ]
        trailers += [
            SummaryMatch(_node_tap_summary(match.group()), match.end())
            for match in _NODE_TAP_TRAILER.finditer(text, start, end)
        ]
        trailers.sort(key=lambda found_match: found_match.end)
        if trailers:
            found.extend(trailers)
        elif (counted := _count_lines(text, start, end)) is not None:
            found.append(counted)
    return found
