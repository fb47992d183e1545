"""go test: '--- PASS/FAIL/SKIP: TestX' lines with -v; only per-package 'ok'/'FAIL' lines without."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "go test"

_RESULT = re.compile(r"^\s*--- (?P<status>PASS|FAIL|SKIP): (?P<name>\S+)", re.MULTILINE)
_PACKAGE = re.compile(
    r"^(?P<status>ok|FAIL)[ \t]+(?P<package>\S+)[ \t]+"
    r"(?P<detail>[\d.]+s|\(cached\)|\[(?:build|setup) failed\]).*$",
    re.MULTILINE,
)
_FIELD = {"PASS": "passed", "FAIL": "failed", "SKIP": "skipped"}


def detect(text: str) -> bool:
    return "--- " in text or "ok  " in text or "FAIL\t" in text


def _leaf_counts(results: dict[tuple[str, str], str]) -> dict[str, int]:
    """A parent test with subtests is not counted again on top of its subtests."""
    parents = {
        (package, name.rsplit("/", depth)[0])
        for package, name in results
        for depth in range(1, name.count("/") + 1)
    }
    counts = dict.fromkeys(("passed", "failed", "skipped"), 0)
    for key, status in results.items():
        if key not in parents:
            counts[_FIELD[status]] += 1
    return counts


def parse(text: str) -> list[SummaryMatch]:
    verbose = "=== RUN" in text
    events = sorted(
        [(m.start(), m.end(), "test", m) for m in _RESULT.finditer(text)]
        + [(m.start(), m.end(), "package", m) for m in _PACKAGE.finditer(text)],
        key=lambda event: event[0],
    )
    has_package_line = any(kind == "package" for _, _, kind, _ in events)
    if not events or not (verbose or has_package_line):
        return []
    # a package's tests are printed before its ok/FAIL line; a re-run replaces earlier results
    tests: dict[tuple[str, str], str] = {}
    packages: dict[str, str] = {}
    pending: list[tuple[str, str]] = []
    for _, _, kind, match in events:
        if kind == "test":
            pending.append((match["name"], match["status"]))
            continue
        # a package that failed to build ran no tests: that is an error, not a failure
        failed_to_build = match["detail"].startswith("[")
        packages[match["package"]] = "error" if failed_to_build else match["status"]
        for name, status in pending:
            tests[(match["package"], name)] = status
        pending = []
    for name, status in pending:
        tests[("", name)] = status
    end = events[-1][1]
    errors = list(packages.values()).count("error")
    if verbose:
        summary = TestSummary(framework=NAME, errors=errors, **_leaf_counts(tests))
    else:
        statuses = list(packages.values())
        summary = TestSummary(
            framework=NAME,
            unit="packages",
            passed=statuses.count("ok"),
            failed=statuses.count("FAIL"),
            errors=errors,
        )
    return [SummaryMatch(summary, end)]
