"""The loop without Docker: prompts, history, repetition, format errors, attempts and forced exit."""

from __future__ import annotations

import json

from engine.events import parse_event
from engine.model import ScriptedModel, TextTurn, Usage
from tests.test_agent.conftest import RunHarness, shell

NOTES = json.dumps(
    {
        "problems": ["no container was ever built"],
        "progress": "only looked at the files",
        "lessons": ["tests use unittest"],
        "suggestions": ["write a Dockerfile in the first cycle"],
        "dockerfile_recommendation": "FROM execagent/debian:bookworm",
    }
)


def test_a_run_emits_events_in_order_and_they_survive_json(harness: RunHarness) -> None:
    result = harness.run([shell("ls")], texts=[NOTES, "no recipe"], budget=1)
    kinds = [event.type for event in harness.events]
    assert kinds[:8] == [
        "run_started",
        "attempt_started",
        "cycle_started",
        "model_request",
        "model_response",
        "tool_called",
        "tool_result",
        "cycle_ended",
    ]
    assert kinds[-1] == "run_finished"
    assert [parse_event(e.model_dump_json()) for e in harness.events] == harness.events
    assert result.outcome == "failed"
    assert harness.of_type("tool_result")[0].text.startswith("README.md\ncalc.py\ntests")


def test_first_prompt_holds_task_tools_guidelines_and_project_brief(harness: RunHarness) -> None:
    harness.run([shell("ls")], texts=[NOTES, "no recipe"], budget=1)
    system = harness.model.received[0][0]["content"]
    assert "Name: calc" in system
    assert "### linux_terminal" in system
    assert "## Guidelines for python" in system
    assert "python3 -m unittest discover -s tests" in system  # mined from the README by the brief
    assert "This is cycle 1 of 1" in harness.prompts()[0]


def test_task_override_replaces_the_built_in_task(harness: RunHarness) -> None:
    harness.run([shell("ls")], texts=[NOTES, "x"], budget=1, task="Only count the test files.")
    system = harness.model.received[0][0]["content"]
    assert system.startswith("Only count the test files.")
    assert "build-and-test engineer" not in system


def test_malformed_replies_end_the_cycle_cleanly_and_are_reported(harness: RunHarness) -> None:
    result = harness.run(["not json", "{still not", "```nope```", shell("ls")], texts=[NOTES, "x"], budget=2)
    assert [e.status for e in harness.of_type("cycle_ended")] == ["format_error", "done"]
    assert "Your reply could not be read as an action" in harness.prompts()[-1]
    assert harness.of_type("model_response")[0].error.startswith("model reply was not a valid action after 3")
    assert result.cycles == 2


def test_history_keeps_the_prompt_bounded_over_forty_cycles(harness: RunHarness) -> None:
    (harness.project / "big.txt").write_text("".join(f"line {i} of a long build log\n" for i in range(5000)))
    actions = [shell(f"head -n {400 + i} big.txt") for i in range(40)]
    harness.run(actions, texts=[NOTES, "x"], budget=40)
    sizes = [len(prompt) for prompt in harness.prompts()]
    assert max(sizes) < 12_000
    assert max(sizes[12:]) - min(sizes[12:]) < 400  # flat once K summaries are reached
    last = harness.prompts()[-1]
    assert "(30 earlier cycles not shown)" in last
    assert "Cycle 38: linux_terminal: head -n 437 big.txt -> ok" in last
    assert "## Result of your last action (cycle 39)\nAction: linux_terminal: head -n 438 big.txt" in last


def test_repeating_a_command_brings_a_warning(harness: RunHarness) -> None:
    harness.run([shell("ls")] * 4, texts=[NOTES, "x"], budget=4)
    prompts = harness.prompts()
    assert "same command 3 times in a row" not in prompts[2]
    assert "same command 3 times in a row (linux_terminal" in prompts[3]


def test_going_round_a_loop_of_two_commands_brings_a_warning(harness: RunHarness) -> None:
    harness.run([shell("ls"), shell("cat calc.py")] * 2 + [shell("ls")], texts=[NOTES, "x"], budget=5)
    assert "went round the same loop twice" in harness.prompts()[4]
    assert "went round the same loop" not in harness.prompts()[3]


def test_budget_exhaustion_retries_with_the_summary_then_forces_an_exit(harness: RunHarness) -> None:
    result = harness.run(
        [shell("ls"), shell("cat calc.py"), shell("ls tests")],
        texts=[NOTES, "I think you should use pytest.", "no recipe here"],
        budget=1,
        max_retries=2,
    )
    assert [e.attempt for e in harness.of_type("attempt_started")] == [1, 2, 3]
    assert [e.reason for e in harness.of_type("attempt_ended")] == ["budget_exhausted"] * 3
    summaries = harness.of_type("attempt_summary")
    assert summaries[0].notes["problems"] == ["no container was ever built"] and not summaries[0].malformed
    assert summaries[1].notes == {"raw": "I think you should use pytest."} and summaries[1].malformed
    second_system = harness.model.received[1][0]["content"]
    assert "## Notes from earlier attempts" in second_system
    assert "Problems:\n- no container was ever built" in second_system
    assert "I think you should use pytest." in harness.model.received[2][0]["content"]
    purposes = [e.purpose for e in harness.of_type("model_request")]
    assert purposes[-1] == "forced_exit"
    assert (result.outcome, result.attempts, result.cycles) == ("failed", 3, 3)
    assert result.summary.startswith("forced exit: the knowledge model gave no usable recipe")


def test_an_exhausted_model_fails_the_run_without_a_crash(harness: RunHarness) -> None:
    result = harness.run([shell("ls")], budget=3)
    assert result.outcome == "failed"
    assert "the script has no outputs left" in result.summary
    assert harness.of_type("run_finished")[0].outcome == "failed"


class PricedModel(ScriptedModel):
    """A scripted model whose replies cost money, to exercise --max-cost."""

    def next_action(self, messages):
        turn = super().next_action(messages)
        return turn.model_copy(
            update={"usage": Usage(prompt_tokens=1000, completion_tokens=50, cost_usd=0.04)}
        )

    def complete_text(self, messages):
        return TextTurn(text="{}", usage=Usage(cost_usd=0.04))


def test_max_cost_stops_the_run_before_the_next_command(harness: RunHarness) -> None:
    priced = PricedModel([shell("ls"), shell("cat calc.py"), shell("ls tests")])
    harness.model = priced
    from engine.agent import RunRequest, run

    request = RunRequest(
        project_name="calc", project_path=harness.project, budget=5, max_retries=0, max_cost=0.1
    )
    result = run(request, priced, priced, lambda *_: None, harness.bus, harness.control)
    assert result.outcome == "stopped"
    assert "cost limit" in result.summary
    assert len(harness.of_type("tool_called")) == 2  # the third reply pushed the cost over 0.10
    assert result.cost_usd > 0.1
    assert harness.of_type("run_finished")[0].cost_usd == result.cost_usd


def test_a_model_that_gives_up_ends_the_attempt_early_and_the_next_one_starts(tiny_project) -> None:
    """A model with nothing left to try (the offline planner) does not burn the rest of the budget."""
    from engine.agent import RunRequest, run
    from engine.events import EventBus
    from engine.model import ModelGaveUp, ScriptedModel

    class GivesUpAfterOne(ScriptedModel):
        def next_action(self, messages):
            if "Result of your last action" in messages[-1]["content"]:
                raise ModelGaveUp("no idea left")
            return super().next_action(messages)

    model = GivesUpAfterOne([shell("ls"), shell("ls")], texts=["{}", "{}"])
    bus = EventBus()
    events: list = []
    bus.subscribe(events.append)
    request = RunRequest(project_name="calc", project_path=tiny_project, budget=30, max_retries=1)
    result = run(request, model, model, _no_sandbox, bus)
    ended = [(e.attempt, e.cycles, e.reason) for e in events if e.type == "attempt_ended"]
    assert ended == [(1, 2, "failed"), (2, 2, "failed")]
    assert result.outcome == "failed" and result.cycles == 4


def _no_sandbox(run_id: str, project: str):
    raise AssertionError("host browsing needs no sandbox")


def test_the_knowledge_model_condenses_long_results_for_the_history(harness: RunHarness) -> None:
    (harness.project / "big.txt").write_text("".join(f"line {i} of a long build log\n" for i in range(500)))
    knowledge = ScriptedModel([], texts=["The log has 300 lines; line 17 names the missing header zlib.h."])
    actions = [shell("head -n 300 big.txt"), shell("ls"), shell("head -n 2 big.txt")]
    harness.run(actions, knowledge=knowledge, budget=3, cycle_summaries="model")
    asked = [e for e in harness.of_type("model_request") if e.purpose == "summarize_cycle"]
    assert [(e.attempt, e.cycle) for e in asked] == [(1, 1)]  # the short results were not sent
    sent = knowledge.text_requests[0][-1]["content"]
    assert "linux_terminal: head -n 300 big.txt" in sent and "line 299 of a long build log" in sent
    last = harness.prompts()[-1]
    assert (
        "Cycle 1: linux_terminal: head -n 300 big.txt -> ok: The log has 300 lines; line 17 names the"
        " missing header zlib.h." in last
    )


def test_plain_cycle_summaries_keep_the_last_lines_without_asking(harness: RunHarness) -> None:
    (harness.project / "big.txt").write_text("".join(f"line {i} of a long build log\n" for i in range(500)))
    harness.run([shell("head -n 300 big.txt"), shell("ls"), shell("pwd")], budget=3)
    assert [e for e in harness.of_type("model_request") if e.purpose == "summarize_cycle"] == []
    assert "head -n 300 big.txt -> ok: line 293 of a long build log | line 294" in harness.prompts()[-1]
