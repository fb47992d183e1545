"""TestSummary arithmetic, the verdict line a user reads, and merging several runs."""

import pydantic
import pytest

from engine.test_summary import TestSummary, merge_summaries


def test_total_is_computed_when_not_given() -> None:
    summary = TestSummary(framework="pytest", passed=7, failed=2, skipped=3, errors=1)
    assert summary.total == 13


def test_inconsistent_total_is_rejected() -> None:
    with pytest.raises(pydantic.ValidationError, match="total 5"):
        TestSummary(framework="pytest", passed=1, failed=1, total=5)


def test_negative_counts_are_rejected() -> None:
    with pytest.raises(pydantic.ValidationError):
        TestSummary(framework="pytest", passed=-1)


def test_pass_rate_leaves_skipped_tests_out() -> None:
    summary = TestSummary(framework="jest", passed=4, failed=1, skipped=5)
    assert summary.pass_rate == pytest.approx(0.8)


@pytest.mark.parametrize(
    ("counts", "ok", "reason"),
    [
        ({}, False, "no tests ran"),
        ({"skipped": 4}, False, "no tests ran (4 skipped)"),
        ({"errors": 1}, False, "no tests ran (1 error)"),
        ({"passed": 12, "failed": 28}, False, "12 of 40 tests passed (30%) < 80%"),
        ({"passed": 40}, True, "40 of 40 tests passed (100%) >= 80%"),
        (
            {"passed": 8, "failed": 1, "errors": 1, "skipped": 3},
            True,
            "8 of 10 tests passed (80%) >= 80% (3 skipped)",
        ),
    ],
)
def test_verdict_reason_is_one_readable_line(counts: dict, ok: bool, reason: str) -> None:
    verdict = TestSummary(framework="pytest", **counts).verdict()
    assert (verdict.ok, verdict.reason) == (ok, reason)


def test_verdict_threshold_and_minimum_are_adjustable() -> None:
    summary = TestSummary(framework="cargo test", passed=3, failed=1)
    assert summary.verdict(threshold=0.5).ok is True
    assert summary.verdict(threshold=0.9).reason == "3 of 4 tests passed (75%) < 90%"
    assert summary.verdict(min_tests=10).reason == "only 4 tests ran < 10 required"


def test_merge_adds_counts_of_several_invocations() -> None:
    merged = merge_summaries(
        [
            TestSummary(framework="pytest", passed=2, skipped=1),
            TestSummary(framework="pytest", passed=5, failed=2, skipped=2, errors=1),
            TestSummary(framework="unittest", passed=3, failed=1),
        ]
    )
    assert merged is not None
    assert merged.framework == "pytest+unittest"
    assert (merged.passed, merged.failed, merged.skipped, merged.errors) == (10, 3, 3, 1)
    assert merged.total == 17


def test_merge_of_nothing_is_none() -> None:
    assert merge_summaries([]) is None


def test_test_counts_and_package_counts_do_not_mix() -> None:
    with pytest.raises(ValueError, match="package"):
        merge_summaries(
            [
                TestSummary(framework="go test", unit="packages", passed=1),
                TestSummary(framework="pytest", passed=1),
            ]
        )


def test_describe_reads_like_a_status_line() -> None:
    summary = TestSummary(framework="pytest", passed=7, failed=2, skipped=3, errors=1)
    assert summary.describe() == "7 passed, 2 failed, 1 error, 3 skipped (pytest)"
