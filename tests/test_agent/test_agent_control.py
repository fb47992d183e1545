"""A person steering a run from another thread changes what the agent does next."""

from __future__ import annotations

import threading
from typing import Any

from engine.agent import RunResult
from tests.test_agent.conftest import RunHarness, shell

TEXTS = ["{}", "no recipe"]


def run_in_thread(harness: RunHarness, actions: list[Any], **request: Any) -> tuple[threading.Thread, list]:
    results: list[RunResult] = []
    thread = threading.Thread(
        target=lambda: results.append(harness.run(actions, texts=list(TEXTS), **request)), daemon=True
    )
    thread.start()
    return thread, results


def wait_for(harness: RunHarness, predicate, timeout: float = 10.0) -> None:
    """Block until an event matching `predicate` has been emitted."""
    arrived = threading.Event()
    harness.bus.subscribe(lambda event: arrived.set() if predicate(event) else None)
    if not any(predicate(event) for event in harness.events):
        assert arrived.wait(timeout), "the expected event never came"


def test_pause_holds_the_model_back_until_resume_and_guidance_reaches_the_next_prompt(
    harness: RunHarness,
) -> None:
    harness.control.pause()
    thread, results = run_in_thread(harness, [shell("ls"), shell("cat calc.py")], budget=2)
    wait_for(harness, lambda e: e.type == "control_applied" and e.action == "pause")
    assert harness.of_type("model_request") == []  # paused at the first checkpoint
    harness.control.inject_guidance("The tests use unittest, not pytest.")
    harness.control.resume()
    thread.join(timeout=10)
    first_prompt = harness.prompts()[0]
    assert (
        "## Guidance from the person supervising you\n- The tests use unittest, not pytest." in first_prompt
    )
    assert "The tests use unittest" in harness.prompts()[1]  # guidance is kept, not forgotten
    applied = [(e.action, e.detail) for e in harness.of_type("control_applied")]
    assert applied == [("pause", ""), ("resume", ""), ("guidance", "The tests use unittest, not pytest.")]
    assert results[0].cycles == 2


def test_stop_ends_the_run_at_the_next_checkpoint(harness: RunHarness) -> None:
    harness.bus.subscribe(lambda e: harness.control.stop() if e.type == "tool_result" else None)
    result = harness.run([shell("ls"), shell("cat calc.py"), shell("ls tests")], texts=TEXTS, budget=5)
    assert result.outcome == "stopped"
    assert result.summary == "stopped by a person"
    assert len(harness.of_type("tool_called")) == 1
    assert [e.reason for e in harness.of_type("attempt_ended")] == ["stopped"]
    assert harness.of_type("attempt_summary") == []  # no summary, no forced exit: a clean stop


def test_force_exit_skips_the_rest_of_the_budget(harness: RunHarness) -> None:
    harness.bus.subscribe(lambda e: harness.control.force_exit() if e.type == "tool_result" else None)
    result = harness.run([shell("ls"), shell("cat calc.py")], texts=["no recipe"], budget=10, max_retries=3)
    assert len(harness.of_type("tool_called")) == 1
    assert [e.reason for e in harness.of_type("attempt_ended")] == ["force_exit"]
    assert [e.purpose for e in harness.of_type("model_request")][-1] == "forced_exit"
    assert result.attempts == 1 and result.outcome == "failed"
    assert result.summary.startswith("forced exit:")


def test_confirm_mode_approve_edit_and_reject(harness: RunHarness) -> None:
    decisions = iter(
        [
            lambda: harness.control.approve(),
            lambda: harness.control.edit({"command": "cat tests/test_calc.py"}),
            lambda: harness.control.reject("do not read the README, read calc.py"),
        ]
    )

    def decider() -> None:
        seen = 0
        for decide in decisions:
            pending = harness.control.wait_for_pending(after_seq=seen, timeout=10)
            assert pending is not None
            seen = pending.seq
            decide()

    thread = threading.Thread(target=decider, daemon=True)
    thread.start()
    result = harness.run(
        [shell("ls"), shell("cat calc.py"), shell("cat README.md")], texts=TEXTS, budget=3, confirm_mode=True
    )
    thread.join(timeout=10)
    called = [e.args["command"] for e in harness.of_type("tool_called")]
    assert called == ["ls", "cat tests/test_calc.py"]  # the edit ran, the rejected command did not
    assert "class AddTest" in harness.of_type("tool_result")[1].text
    assert [e.action for e in harness.of_type("control_applied")] == [
        "confirm_approved",
        "confirm_edited",
        "confirm_rejected",
    ]
    assert [e.status for e in harness.of_type("cycle_ended")] == ["done", "done", "rejected"]
    assert result.cycles == 3


def test_confirm_mode_announces_each_waiting_command_as_an_event(harness: RunHarness) -> None:
    # A display that only listens to events, never polls the channel, can still decide.
    def decide(event) -> None:
        if event.type == "command_proposed":
            decision = harness.control.reject if event.seq == 2 else lambda _why: harness.control.approve()
            threading.Thread(target=decision, args=("not the tests yet",), daemon=True).start()

    harness.bus.subscribe(decide)
    harness.run(
        [shell("ls"), shell("ls tests"), shell("cat calc.py")], texts=TEXTS, budget=3, confirm_mode=True
    )
    proposed = harness.of_type("command_proposed")
    assert [(e.attempt, e.cycle, e.tool, e.args, e.seq) for e in proposed] == [
        (1, 1, "linux_terminal", {"command": "ls"}, 1),
        (1, 2, "linux_terminal", {"command": "ls tests"}, 2),
        (1, 3, "linux_terminal", {"command": "cat calc.py"}, 3),
    ]
    assert proposed[0].thoughts == "next step"
    kinds = [e.type for e in harness.events]
    first = kinds.index("command_proposed")
    assert kinds[first - 1] == "model_response" and "tool_called" not in kinds[:first]
    assert [e.args["command"] for e in harness.of_type("tool_called")] == ["ls", "cat calc.py"]
    assert [e.status for e in harness.of_type("cycle_ended")] == ["done", "rejected", "done"]


def test_without_confirm_mode_nothing_is_proposed(harness: RunHarness) -> None:
    harness.run([shell("ls")], texts=TEXTS, budget=1)
    assert harness.of_type("command_proposed") == []


def test_rejection_reason_is_shown_to_the_model(harness: RunHarness) -> None:
    def decider() -> None:
        first = harness.control.wait_for_pending(timeout=10)
        harness.control.reject("read calc.py instead")
        harness.control.wait_for_pending(after_seq=first.seq, timeout=10)
        harness.control.approve()

    threading.Thread(target=decider, daemon=True).start()
    harness.run([shell("cat README.md"), shell("ls")], texts=TEXTS, budget=2, confirm_mode=True)
    assert "A person rejected this command: read calc.py instead" in harness.prompts()[1]


def test_shell_input_before_a_container_is_reported_as_not_run(harness: RunHarness) -> None:
    harness.control.human_shell_input("pip list")
    harness.run([shell("ls")], texts=TEXTS, budget=1)
    assert "A person typed `pip list`, but it was not run: there is no container yet." in harness.prompts()[0]
    assert [(e.action, e.detail) for e in harness.of_type("control_applied")] == [("shell_input", "pip list")]
