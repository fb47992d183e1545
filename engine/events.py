"""The one event hierarchy of a run, and the bus its consumers subscribe to.

The agent only emits events; the run recorder, the headless printer and the TUI are subscribers.
Every event serialises to one JSON line and parses back into the same class.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from engine.test_summary import TestSummary

log = logging.getLogger(__name__)

Outcome = Literal["success", "failed", "stopped"]
# Which run printed test counts: an agent's or a person's command, goals_accomplished's re-run of its
# test_command, or the forced exit's final test script.
SummarySource = Literal["command", "goals_accomplished", "forced_exit"]
ControlAction = Literal[
    "pause",
    "resume",
    "guidance",
    "force_exit",
    "stop",
    "confirm_approved",
    "confirm_edited",
    "confirm_rejected",
    "shell_input",
]


def _now() -> datetime:
    return datetime.now(UTC)


class Event(BaseModel):
    """Fields every event carries."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    timestamp: datetime = Field(default_factory=_now)


class RunStarted(Event):
    type: Literal["run_started"] = "run_started"
    project_name: str
    project_path: str
    language: str
    budget: int
    max_retries: int
    model: str
    knowledge_model: str


class AttemptStarted(Event):
    type: Literal["attempt_started"] = "attempt_started"
    attempt: int
    budget: int


class CycleStarted(Event):
    type: Literal["cycle_started"] = "cycle_started"
    attempt: int
    cycle: int


ModelPurpose = Literal["action", "summarize_cycle", "attempt_summary", "forced_exit"]
# Calls made inside a cycle, before its CycleEnded: a resumed run replays them with the cycle.
IN_CYCLE_PURPOSES = frozenset({"action", "summarize_cycle"})


class ModelRequest(Event):
    type: Literal["model_request"] = "model_request"
    attempt: int
    cycle: int
    purpose: ModelPurpose = "action"
    message_count: int
    prompt_chars: int
    # Offline estimate (about 4 characters per token); the API's own count arrives in ModelResponse.
    estimated_prompt_tokens: int


class ModelResponse(Event):
    type: Literal["model_response"] = "model_response"
    attempt: int
    cycle: int
    purpose: ModelPurpose = "action"
    thoughts: str = ""
    command_name: str | None = None
    command_args: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = False
    cost_usd: float = 0.0
    run_cost_usd: float = 0.0


class ToolCalled(Event):
    type: Literal["tool_called"] = "tool_called"
    attempt: int
    cycle: int
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)


class ToolResult(Event):
    type: Literal["tool_result"] = "tool_result"
    attempt: int
    cycle: int
    tool: str
    ok: bool
    text: str


class OutputChunk(Event):
    """Raw text printed by a command in the container (or on the host while browsing)."""

    type: Literal["output_chunk"] = "output_chunk"
    text: str


class BuildLogLine(Event):
    type: Literal["build_log_line"] = "build_log_line"
    line: str


class TestSummaryObserved(Event):
    __test__ = False  # not a pytest test class
    type: Literal["test_summary_observed"] = "test_summary_observed"
    summary: TestSummary
    source: SummarySource
    command: str = ""


class AttemptSummary(Event):
    type: Literal["attempt_summary"] = "attempt_summary"
    attempt: int
    notes: dict[str, Any]
    # The knowledge model's reply could not be read as the asked-for JSON.
    malformed: bool = False


class CommandProposed(Event):
    """Confirm mode: the loop now waits for approve / edit / reject of this command (seq numbers it)."""

    type: Literal["command_proposed"] = "command_proposed"
    attempt: int
    cycle: int
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    thoughts: str = ""
    seq: int


class ControlApplied(Event):
    type: Literal["control_applied"] = "control_applied"
    action: ControlAction
    detail: str = ""


class CycleEnded(Event):
    type: Literal["cycle_ended"] = "cycle_ended"
    attempt: int
    cycle: int
    status: Literal["done", "format_error", "rejected", "goals_accepted"] = "done"


class AttemptEnded(Event):
    type: Literal["attempt_ended"] = "attempt_ended"
    attempt: int
    cycles: int
    reason: Literal["success", "budget_exhausted", "force_exit", "stopped", "failed"]


class RunFinished(Event):
    type: Literal["run_finished"] = "run_finished"
    outcome: Outcome
    summary: str
    cycles: int
    attempts: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = False
    cost_usd: float = 0.0
    test_summary: TestSummary | None = None
    dockerfile: str | None = None
    test_command: str | None = None
    test_script: str | None = None


AnyEvent = Annotated[
    RunStarted
    | AttemptStarted
    | CycleStarted
    | ModelRequest
    | ModelResponse
    | ToolCalled
    | ToolResult
    | OutputChunk
    | BuildLogLine
    | TestSummaryObserved
    | AttemptSummary
    | CommandProposed
    | ControlApplied
    | CycleEnded
    | AttemptEnded
    | RunFinished,
    Field(discriminator="type"),
]
_EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def parse_event(line: str | bytes) -> AnyEvent:
    """Read back one JSON line written with `event.model_dump_json()`."""
    return _EVENT_ADAPTER.validate_json(line)


Subscriber = Callable[[Event], None]


class EventBus:
    """Fan-out of events to subscribers; a failing subscriber is logged, never breaks the run."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns a function that removes it again."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def emit(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:  # a broken display must not stop the agent
                log.exception("event subscriber %r failed on %s", callback, type(event).__name__)
