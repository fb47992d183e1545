"""node:test's closing counters ('ℹ pass 3' in spec output, '# pass 3' in TAP output)."""

import re

from engine.test_summary import TestSummary

_KEYS = ("tests", "suites", "pass", "fail", "cancelled", "skipped", "todo", "duration_ms")


def counter_block_pattern(prefix: str) -> re.Pattern[str]:
    """A run of consecutive '<prefix> <key> <number>' lines that starts with 'tests'."""
    line = rf"{prefix} (?:{'|'.join(_KEYS)}) [\d.]+[ \t]*"
    return re.compile(rf"^{prefix} tests \d+[ \t]*(?:\n{line})+$", re.MULTILINE)


def summary_from_counters(block: str, framework: str) -> TestSummary | None:
    """None when the block lacks node's pass/fail/skipped counters (e.g. mocha's TAP trailer)."""
    counts = {key: int(float(value)) for key, value in re.findall(r"(\w+) ([\d.]+)", block)}
    if not {"pass", "fail", "skipped"} <= counts.keys():
        return None
    return TestSummary(
        framework=framework,
        passed=counts["pass"],
        failed=counts["fail"],
        # a todo test's outcome does not count, like an expected failure
        skipped=counts["skipped"] + counts.get("todo", 0),
        # cancelled tests never finished (timeout, parent failure)
        errors=counts.get("cancelled", 0),
    )
