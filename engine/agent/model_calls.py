"""Every model call of a run passes here: request/response events, usage and cost, the cost limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.agent.flow import RunStopped
from engine.events import ModelRequest, ModelResponse
from engine.model import Model, ModelUnavailable, Usage
from engine.model.token_estimate import estimate_prompt_tokens


class ModelCalls:
    def __init__(
        self,
        emit: Callable[..., None],
        knowledge_model: Model,
        max_cost: float | None,
        position: Callable[[], tuple[int, int]],
    ) -> None:
        self.emit = emit
        self.knowledge_model = knowledge_model
        self.max_cost = max_cost
        # (attempt, cycle) now, so every event says where in the run it happened.
        self.position = position
        self.usage = Usage()

    def announce(self, purpose: str, messages: list[dict[str, Any]]) -> None:
        attempt, cycle = self.position()
        self.emit(
            ModelRequest,
            attempt=attempt,
            cycle=cycle,
            purpose=purpose,
            message_count=len(messages),
            prompt_chars=sum(len(str(m.get("content", ""))) for m in messages),
            estimated_prompt_tokens=estimate_prompt_tokens(messages),
        )

    def charge(self, usage: Usage, purpose: str, **fields: Any) -> None:
        """Add a reply's usage to the run, report it, and stop cleanly past --max-cost."""
        self.usage = self.usage.plus(usage)
        attempt, cycle = self.position()
        self.emit(
            ModelResponse,
            attempt=attempt,
            cycle=cycle,
            purpose=purpose,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            tokens_estimated=usage.estimated,
            cost_usd=usage.cost_usd,
            run_cost_usd=self.usage.cost_usd,
            **fields,
        )
        if self.max_cost is not None and self.usage.cost_usd > self.max_cost:
            spent = self.usage.cost_usd
            raise RunStopped(f"the cost limit was reached (${spent:.4f} > ${self.max_cost:.4f})")

    def ask_knowledge(self, purpose: str, prompt: str) -> str | None:
        """A free-text answer from the knowledge model, or None when it cannot be reached."""
        messages = [{"role": "user", "content": prompt}]
        self.announce(purpose, messages)
        try:
            turn = self.knowledge_model.complete_text(messages)
        except ModelUnavailable as error:
            self.charge(Usage(), purpose, error=error.message)
            return None
        self.charge(turn.usage, purpose)
        return turn.text
