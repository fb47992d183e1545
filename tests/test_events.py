"""Events serialise to JSON lines and back, and the bus delivers them to every subscriber."""

from __future__ import annotations

import typing

import pytest

from engine import events
from engine.events import AnyEvent, EventBus, OutputChunk, RunFinished, TestSummaryObserved, parse_event
from engine.test_summary import TestSummary

SAMPLE_FIELDS = {
    "RunStarted": dict(
        project_name="p",
        project_path="/p",
        language="python",
        budget=3,
        max_retries=1,
        model="m",
        knowledge_model="k",
    ),
    "AttemptStarted": dict(attempt=1, budget=3),
    "CycleStarted": dict(attempt=1, cycle=2),
    "ModelRequest": dict(attempt=1, cycle=2, message_count=2, prompt_chars=900, estimated_prompt_tokens=230),
    "ModelResponse": dict(
        attempt=1, cycle=2, thoughts="t", command_name="linux_terminal", command_args={"command": "ls"}
    ),
    "ToolCalled": dict(attempt=1, cycle=2, tool="linux_terminal", args={"command": "ls"}),
    "ToolResult": dict(attempt=1, cycle=2, tool="linux_terminal", ok=True, text="a\nb"),
    "OutputChunk": dict(text="Ran 3 tests\n"),
    "BuildLogLine": dict(line="Step 1/2 : FROM x"),
    "TestSummaryObserved": dict(
        summary=TestSummary(framework="pytest", passed=7, failed=1), source="command", command="pytest"
    ),
    "AttemptSummary": dict(attempt=1, notes={"problems": ["no python"]}),
    "CommandProposed": dict(
        attempt=1, cycle=2, tool="linux_terminal", args={"command": "rm -rf build"}, thoughts="t", seq=4
    ),
    "ControlApplied": dict(action="guidance", detail="use python 3.11"),
    "CycleEnded": dict(attempt=1, cycle=2, status="format_error"),
    "AttemptEnded": dict(attempt=1, cycles=3, reason="budget_exhausted"),
    "RunFinished": dict(outcome="success", summary="7 passed", cycles=5, attempts=1, cost_usd=0.01),
}


def event_classes() -> list[type]:
    annotated = typing.get_args(AnyEvent)[0]
    return list(typing.get_args(annotated))


def test_every_event_kind_has_a_sample() -> None:
    assert sorted(cls.__name__ for cls in event_classes()) == sorted(SAMPLE_FIELDS)


@pytest.mark.parametrize("name", sorted(SAMPLE_FIELDS))
def test_event_round_trips_through_one_json_line(name: str) -> None:
    event = getattr(events, name)(run_id="run-1", **SAMPLE_FIELDS[name])
    line = event.model_dump_json()
    assert "\n" not in line
    parsed = parse_event(line)
    assert type(parsed) is type(event)
    assert parsed == event


def test_parsed_test_summary_keeps_its_counts() -> None:
    summary = TestSummary(framework="unittest", passed=3, failed=1, skipped=2)
    line = TestSummaryObserved(run_id="r", summary=summary, source="command").model_dump_json()
    assert parse_event(line).summary.describe() == "3 passed, 1 failed, 2 skipped (unittest)"


def test_bus_delivers_in_order_and_survives_a_broken_subscriber() -> None:
    bus = EventBus()
    seen: list[str] = []

    def broken(_event: object) -> None:
        raise RuntimeError("display crashed")

    bus.subscribe(broken)
    unsubscribe = bus.subscribe(lambda e: seen.append(e.text))
    bus.emit(OutputChunk(run_id="r", text="one"))
    bus.emit(OutputChunk(run_id="r", text="two"))
    unsubscribe()
    bus.emit(OutputChunk(run_id="r", text="three"))
    assert seen == ["one", "two"]


def test_unknown_event_type_is_rejected() -> None:
    line = RunFinished(run_id="r", outcome="failed", summary="", cycles=0, attempts=0).model_dump_json()
    with pytest.raises(ValueError):
        parse_event(line.replace("run_finished", "run_exploded"))


def test_summary_sources_say_which_run_printed_the_counts() -> None:
    summary = TestSummary(framework="pytest", passed=2)
    for source in ("command", "goals_accomplished", "forced_exit"):
        line = TestSummaryObserved(run_id="r", summary=summary, source=source).model_dump_json()
        assert parse_event(line).source == source
    with pytest.raises(ValueError):
        TestSummaryObserved(run_id="r", summary=summary, source="guess")
