"""The API key never shows in repr/str of our objects, in error messages, tracebacks or logs."""

from __future__ import annotations

import logging
import traceback

import pytest

from engine.model import ModelError, ModelUnavailable, OpenAIModelConfig, create_model
from tests.test_model.conftest import TEST_KEY

PROMPT = [{"role": "user", "content": "Answer in JSON."}]


def _visible_text(error: BaseException) -> str:
    return str(error) + repr(error) + "".join(traceback.format_exception(error))


def test_model_and_config_never_print_the_key(make_model) -> None:
    model = make_model()
    config = OpenAIModelConfig(model="gpt-4o", api_key=TEST_KEY)

    for shown in (repr(model), str(model), repr(config), str(config), config.model_dump_json()):
        assert TEST_KEY not in shown


def test_rejected_key_error_hides_the_key_even_when_the_server_echoes_it(
    llm_stub, make_model, caplog
) -> None:
    llm_stub.require_api_key = "sk-the-right-key-000000"
    caplog.set_level(logging.DEBUG)

    with pytest.raises(ModelUnavailable) as caught:
        make_model().next_action(PROMPT)

    assert "refused the API key (HTTP 401)" in str(caught.value)
    assert TEST_KEY not in _visible_text(caught.value)
    assert TEST_KEY not in caplog.text


@pytest.mark.parametrize("status", [500, 429])
def test_retry_logs_and_final_error_hide_the_key(llm_stub, make_model, caplog, status) -> None:
    # A server that quotes the key in its error body must not leak it through us.
    for _ in range(2):
        llm_stub.reply_error(status, f"bad things happened for {TEST_KEY}")
    caplog.set_level(logging.DEBUG)

    with pytest.raises(ModelError) as caught:
        make_model(mode="text", max_attempts=2).next_action(PROMPT)

    assert "***" in str(caught.value)
    assert TEST_KEY not in _visible_text(caught.value)
    assert TEST_KEY not in caplog.text


def test_missing_key_for_the_openai_api_says_what_to_set(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ModelUnavailable, match="set OPENAI_API_KEY"):
        create_model("openai:gpt-4o")
