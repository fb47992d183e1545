"""Fixtures for model tests: a live OpenAI-compatible stub server and models pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from engine.model import OpenAIModel, OpenAIModelConfig
from tests.llm_stub_server import LLMStubServer

TEST_KEY = "sk-test-DO-NOT-LEAK-4f9a1c"


@pytest.fixture
def llm_stub() -> Iterator[LLMStubServer]:
    with LLMStubServer() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    """Delays the model asked to sleep; injected so retry tests take no wall time."""
    return []


@pytest.fixture
def make_model(llm_stub: LLMStubServer, sleeps: list[float]) -> Callable[..., OpenAIModel]:
    def build(**settings: Any) -> OpenAIModel:
        settings.setdefault("api_key", TEST_KEY)
        settings.setdefault("base_url", llm_stub.base_url)
        settings.setdefault("model", "stub-model")
        settings.setdefault("timeout", 5.0)
        return OpenAIModel(
            OpenAIModelConfig(**settings),
            sleep=sleeps.append,
            random_fraction=lambda: 0.0,
        )

    return build
