"""Price per million tokens for a few well-known models, to turn usage into dollars."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from engine.model.action import Usage


class Price(BaseModel):
    """USD per one million tokens."""

    model_config = ConfigDict(frozen=True)

    prompt: float
    completion: float


# OpenAI list prices (USD per 1M tokens) as published in 2025; override via config when they change.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o": Price(prompt=2.50, completion=10.00),
    "gpt-4o-mini": Price(prompt=0.15, completion=0.60),
    "gpt-4.1": Price(prompt=2.00, completion=8.00),
    "gpt-4.1-mini": Price(prompt=0.40, completion=1.60),
    "gpt-4.1-nano": Price(prompt=0.10, completion=0.40),
    "o3-mini": Price(prompt=1.10, completion=4.40),
    "o4-mini": Price(prompt=1.10, completion=4.40),
    "gpt-5": Price(prompt=1.25, completion=10.00),
    "gpt-5-mini": Price(prompt=0.25, completion=2.00),
    "gpt-5-nano": Price(prompt=0.05, completion=0.40),
}

_DATE_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


def price_for(model: str, overrides: Mapping[str, Price] | None = None) -> Price | None:
    """The price of `model`; dated snapshots and `provider/` prefixes match their base name."""
    table = {**DEFAULT_PRICES, **(overrides or {})}
    # Proxies such as LiteLLM name models "openai/gpt-4o".
    bare = model.rsplit("/", 1)[-1]
    for candidate in (model, bare, _DATE_SUFFIX.sub("", bare)):
        if candidate in table:
            return table[candidate]
    return None


def priced_usage(
    model: str,
    prompt_tokens: int,
    completion_tokens: int,
    *,
    estimated: bool,
    overrides: Mapping[str, Price] | None = None,
) -> Usage:
    """Usage with its cost; cost_known is False when the model is not in the table."""
    price = price_for(model, overrides)
    cost = 0.0
    if price is not None:
        cost = (prompt_tokens * price.prompt + completion_tokens * price.completion) / 1_000_000
    return Usage(
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=cost,
        estimated=estimated,
        cost_known=price is not None,
    )
