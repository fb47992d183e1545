"""A Model wrapper that hands every prompt and reply to the recorder, and can replay a killed run.

The events carry no prompt texts, so the recorder learns them here; on resume the calls of the
completed cycles are answered from the record (no tokens spent) while the commands run again.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable
from typing import Literal

from pydantic import BaseModel

from engine.model import Model, ModelError, ModelFormatError, ModelTurn, TextTurn, Usage
from engine.model.action_parsing import parse_action
from engine.model.protocol import Message


class ModelCall(BaseModel):
    """One answered model call, as kept in model_calls.jsonl."""

    kind: Literal["action", "text", "format_error"]
    raw: str = ""
    reason: str = ""
    usage: Usage = Usage()
    replies_used: int = 1
    # Filled in by the recorder: where in the run the call happened.
    attempt: int = 0
    cycle: int = 0
    purpose: str = "action"


OnCall = Callable[[list[Message], ModelCall], None]


class ReplayQueue:
    """Recorded calls still to be answered from the record, shared by the agent and knowledge models."""

    def __init__(self, calls: Iterable[ModelCall] = ()) -> None:
        self._calls = deque(calls)

    def __len__(self) -> int:
        return len(self._calls)

    def pop(self) -> ModelCall | None:
        return self._calls.popleft() if self._calls else None


class RecordingModel:
    def __init__(
        self,
        inner: Model,
        on_call: OnCall,
        replay: ReplayQueue | None = None,
        inner_is_free: bool = False,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.on_call = on_call
        self.replay = replay
        # A scripted model must still step past the replayed answers; a paid one is not asked.
        self.inner_is_free = inner_is_free

    def next_action(self, messages: list[Message]) -> ModelTurn:
        recorded = self.replay.pop() if self.replay is not None else None
        if recorded is not None:
            if self.inner_is_free:
                with contextlib.suppress(ModelError):
                    self.inner.next_action(messages)
            if recorded.kind == "format_error":
                raise ModelFormatError(recorded.reason, recorded.raw, recorded.replies_used, recorded.usage)
            action = parse_action(recorded.raw)
            return ModelTurn(
                action=action, raw_text=recorded.raw, usage=recorded.usage, attempts=recorded.replies_used
            )
        try:
            turn = self.inner.next_action(messages)
        except ModelFormatError as error:
            self.on_call(
                messages,
                ModelCall(
                    kind="format_error",
                    raw=error.last_raw,
                    reason=error.reason,
                    usage=error.usage or Usage(),
                    replies_used=error.attempts,
                ),
            )
            raise
        self.on_call(
            messages,
            ModelCall(kind="action", raw=turn.raw_text, usage=turn.usage, replies_used=turn.attempts),
        )
        return turn

    def complete_text(self, messages: list[Message]) -> TextTurn:
        recorded = self.replay.pop() if self.replay is not None else None
        if recorded is not None:
            if self.inner_is_free:
                with contextlib.suppress(ModelError):
                    self.inner.complete_text(messages)
            return TextTurn(text=recorded.raw, usage=recorded.usage)
        turn = self.inner.complete_text(messages)
        self.on_call(messages, ModelCall(kind="text", raw=turn.text, usage=turn.usage))
        return turn
