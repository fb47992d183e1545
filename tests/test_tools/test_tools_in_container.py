"""The tools against a real container: shell, stuck commands, files, image search, verified goals."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.tools import Workspace, default_registry
from tests.test_agent.conftest import TEST_FILE

pytestmark = pytest.mark.docker

FAILING_TEST = TEST_FILE.replace("add(0, 0), 0", "add(0, 0), 1").replace("add(-1, -2), -3", "add(-1, -2), 3")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "calc"
    (root / "tests").mkdir(parents=True)
    (root / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (root / "tests" / "test_calc.py").write_text(TEST_FILE)
    return root


@pytest.fixture
def workspace(project: Path, make_sandbox, python_image: str) -> Workspace:
    space = Workspace(project, "calc", sandbox_factory=lambda: make_sandbox("calc"), stuck_after_s=2.0)
    space.sandbox.start(python_image, source_dir=project)
    return space


def call(workspace: Workspace, name: str, **args):
    return default_registry().call(name, args, workspace)


def test_shell_keeps_state_and_reports_exit_codes(workspace: Workspace) -> None:
    assert call(workspace, "linux_terminal", command="cd tests && export GREETING=hi").ok
    outcome = call(workspace, "linux_terminal", command="echo $GREETING from $(pwd); false")
    assert "hi from /app/calc/tests" in outcome.text
    assert "[finished, exit code 1; cwd /app/calc/tests]" in outcome.text
    assert not outcome.ok


def test_a_stuck_command_accepts_only_wait_terminate_or_write(workspace: Workspace) -> None:
    stuck = call(workspace, "linux_terminal", command="read -p 'continue? ' answer; echo answer=$answer")
    assert "still running" in stuck.text and "WAIT, TERMINATE or WRITE:<text>" in stuck.text
    other = call(workspace, "linux_terminal", command="ls")
    assert "is still running; answer with WAIT, TERMINATE or WRITE:<text>" in other.text
    assert "still running" in call(workspace, "linux_terminal", command="WAIT").text
    answered = call(workspace, "linux_terminal", command="WRITE:yes")
    assert "answer=yes" in answered.text and "[finished, exit code 0" in answered.text


def test_a_command_that_had_to_be_terminated_is_refused_next_time(workspace: Workspace) -> None:
    assert "still running" in call(workspace, "linux_terminal", command="sleep 600").text
    terminated = call(workspace, "linux_terminal", command="TERMINATE")
    assert "terminated" in terminated.text or "shell_restarted" in terminated.text
    again = call(workspace, "linux_terminal", command="sleep 600")
    assert "got stuck before and had to be stopped" in again.text
    assert "[finished, exit code 0" in call(workspace, "linux_terminal", command="echo back").text


def test_editors_and_docker_are_refused_in_the_container(workspace: Workspace) -> None:
    assert "interactive editors" in call(workspace, "linux_terminal", command="vim calc.py").text
    assert "no Docker inside the container" in call(workspace, "linux_terminal", command="docker ps").text


def test_files_are_written_and_read_in_the_container(workspace: Workspace) -> None:
    written = call(
        workspace, "write_to_file", filename="conf/pom.xml", text="<project><version>1.2</version></project>"
    )
    assert "to /app/calc/conf/pom.xml in the container" in written.text
    assert call(workspace, "read_file", file_path="conf/pom.xml").text == "project:\n  version: 1.2"
    assert (
        "outside the writable roots" in call(workspace, "write_to_file", filename="/usr/bin/x", text="x").text
    )
    assert "no such file in the container" in call(workspace, "read_file", file_path="nope.txt").text


def test_image_search_says_no_registry_and_lists_local_images(workspace: Workspace) -> None:
    text = call(workspace, "search_docker_image", search_term="debian").text
    assert "No image registry is reachable" in text
    assert "- execagent/debian:bookworm" in text
    assert "execagent/run-" not in text


def test_goals_without_any_test_run_are_refused(workspace: Workspace) -> None:
    outcome = call(workspace, "goals_accomplished", reason="it builds")
    assert not outcome.accepted
    assert "no command in this attempt printed a test summary" in outcome.text
    fake = call(workspace, "goals_accomplished", reason="done", test_command="echo all good")
    assert not fake.accepted and "holds test counts" in fake.text


def test_goals_are_accepted_with_the_counts_seen(workspace: Workspace) -> None:
    call(workspace, "linux_terminal", command="python3 -m unittest discover -s tests")
    outcome = call(workspace, "goals_accomplished", reason="3 tests pass")
    assert outcome.accepted
    assert (outcome.summary.passed, outcome.summary.failed, outcome.summary.total) == (3, 0, 3)
    assert outcome.text.startswith("Accepted: 3 passed, 0 failed (unittest)")


def test_goals_below_the_threshold_are_refused_with_the_rate(workspace: Workspace) -> None:
    workspace.sandbox.write_file("tests/test_calc.py", FAILING_TEST)
    outcome = call(workspace, "goals_accomplished", test_command="python3 -m unittest discover -s tests")
    assert not outcome.accepted
    assert "1 of 3 tests passed (33%) < 80%" in outcome.text


def test_a_failed_dockerfile_build_returns_the_log_tail(workspace: Workspace) -> None:
    outcome = call(
        workspace, "write_to_file", filename="Dockerfile", text="FROM execagent/debian:bookworm\nRUN exit 7\n"
    )
    assert not outcome.ok
    assert outcome.text.startswith("The image build failed.")
    assert "last build log lines" in outcome.text


def test_junit_reports_prove_a_test_run_that_printed_no_counts(workspace: Workspace) -> None:
    """Gradle prints no counts when all pass, and output may be redirected: the reports still prove it."""
    workspace.stuck_after_s = 120  # quiet on purpose: not stuck
    setup = call(
        workspace,
        "linux_terminal",
        command="python3 -m venv /opt/venv && . /opt/venv/bin/activate && pip install -q pytest==8.3.3",
    )
    assert setup.ok, setup.text
    quiet = "python -m pytest tests --junitxml=build/test-results/junit.xml >/dev/null 2>&1"
    ran = call(workspace, "linux_terminal", command=quiet)
    assert "(no output)" in ran.text
    seen = workspace.observed[-1]
    assert (seen.command, seen.summary.framework) == (quiet, "junit-xml")
    assert (seen.summary.passed, seen.summary.failed, seen.summary.total) == (3, 0, 3)
    accepted = call(workspace, "goals_accomplished", reason="3 pass", test_command=quiet)
    assert accepted.accepted and accepted.text.startswith("Accepted: 3 passed, 0 failed (junit-xml)")
    # the report is now stale: a test command that writes none proves nothing with it
    stale = call(workspace, "goals_accomplished", reason="done", test_command="python -m pytest --version")
    assert not stale.accepted and "nor a JUnit XML report it wrote" in stale.text
