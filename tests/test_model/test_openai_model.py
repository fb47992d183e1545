"""The OpenAI model through the real openai client against a live stub server."""

from __future__ import annotations

import json

import pytest

from engine.model import AgentAction, ModelFormatError, ModelUnavailable
from tests.llm_stub_server import LLMStubServer

ACTION = {
    "thoughts": "Start by reading the README.",
    "command": {"name": "read_file", "args": {"path": "README.md"}},
}
PROMPT = [
    {"role": "system", "content": "You set up projects. Answer in JSON."},
    {"role": "user", "content": "What next?"},
]


def test_valid_action_from_message_content(llm_stub: LLMStubServer, make_model) -> None:
    llm_stub.reply_action(ACTION)
    turn = make_model(mode="text").next_action(PROMPT)

    assert turn.action == AgentAction.model_validate(ACTION)
    assert turn.attempts == 1
    sent = llm_stub.chat_requests[0].body
    assert sent["model"] == "stub-model"
    assert sent["messages"] == PROMPT
    assert "tools" not in sent and "response_format" not in sent


def test_tool_call_mode_sends_one_next_action_function(llm_stub, make_model) -> None:
    llm_stub.reply_tool_call(ACTION)
    turn = make_model(mode="tools").next_action(PROMPT)

    assert turn.action.command.name == "read_file"
    assert turn.action.command.args == {"path": "README.md"}
    sent = llm_stub.chat_requests[0].body
    assert [tool["function"]["name"] for tool in sent["tools"]] == ["next_action"]
    parameters = sent["tools"][0]["function"]["parameters"]
    assert parameters["required"] == ["thoughts", "command"]
    assert sent["tool_choice"]["function"]["name"] == "next_action"


def test_json_mode_asks_for_a_json_object(llm_stub, make_model) -> None:
    llm_stub.reply_action(ACTION)
    turn = make_model(mode="json").next_action(PROMPT)

    assert turn.action.thoughts == ACTION["thoughts"]
    assert llm_stub.chat_requests[0].body["response_format"] == {"type": "json_object"}


def test_auto_falls_back_when_server_rejects_tools_and_remembers(llm_stub, make_model) -> None:
    llm_stub.reject_tools = True
    llm_stub.reply_action(ACTION)
    llm_stub.reply_action(ACTION)
    model = make_model()

    model.next_action(PROMPT)
    model.next_action(PROMPT)

    sent = [request.body for request in llm_stub.chat_requests]
    # First turn: tools rejected (400), then JSON mode works; second turn goes straight to JSON.
    assert ["tools" in body for body in sent] == [True, False, False]
    assert [body.get("response_format") for body in sent[1:]] == [{"type": "json_object"}] * 2
    assert model.mode_in_use == "json"


def test_auto_falls_back_to_plain_text_when_both_are_rejected(llm_stub, make_model) -> None:
    llm_stub.reject_tools = True
    llm_stub.reject_response_format = True
    llm_stub.reply_text("Sure! Here is my action:\n```json\n" + json.dumps(ACTION) + "\n```")
    model = make_model()

    turn = model.next_action(PROMPT)

    assert turn.action.command.name == "read_file"
    assert len(llm_stub.chat_requests) == 3
    assert model.mode_in_use == "text"


def test_server_ignoring_tools_and_answering_in_content_still_works(llm_stub, make_model) -> None:
    llm_stub.reply_text("I will read the README first. " + json.dumps(ACTION))
    turn = make_model(mode="tools").next_action(PROMPT)
    assert turn.action.command.args == {"path": "README.md"}


def test_malformed_reply_is_corrected_on_second_try(llm_stub, make_model) -> None:
    llm_stub.reply_text('{"thoughts": "oops", "command": {"args": {}}}')
    llm_stub.reply_action(ACTION)

    turn = make_model(mode="text").next_action(PROMPT)

    assert turn.attempts == 2
    assert turn.action.command.name == "read_file"
    retry_messages = llm_stub.chat_requests[1].messages
    assert retry_messages[:2] == PROMPT
    assert retry_messages[2] == {
        "role": "assistant",
        "content": '{"thoughts": "oops", "command": {"args": {}}}',
    }
    assert retry_messages[3]["role"] == "user"
    assert "command.name" in retry_messages[3]["content"]
    assert "Field required" in retry_messages[3]["content"]
    # Both replies were paid for.
    assert turn.usage.prompt_tokens == 240


def test_malformed_three_times_raises_format_error(llm_stub, make_model) -> None:
    for _ in range(3):
        llm_stub.reply_text("I think we should run the tests now.")

    with pytest.raises(ModelFormatError) as caught:
        make_model(mode="text").next_action(PROMPT)

    error = caught.value
    assert error.attempts == 3
    assert error.last_raw == "I think we should run the tests now."
    assert "no JSON object" in error.reason
    assert "after 3 attempt(s)" in str(error)
    assert error.usage is not None and error.usage.prompt_tokens == 360
    assert len(llm_stub.chat_requests) == 3


def test_429_waits_as_long_as_retry_after_says(llm_stub, make_model, sleeps) -> None:
    llm_stub.reply_error(429, "rate limited", retry_after=7)
    llm_stub.reply_action(ACTION)

    turn = make_model(mode="text").next_action(PROMPT)

    assert turn.action.command.name == "read_file"
    assert sleeps == [7.0]
    assert len(llm_stub.chat_requests) == 2


def test_500_until_attempts_run_out_gives_one_line_unavailable(llm_stub, make_model, sleeps) -> None:
    for _ in range(3):
        llm_stub.reply_error(500, "upstream\nexploded")

    with pytest.raises(ModelUnavailable) as caught:
        make_model(mode="text", max_attempts=3, base_delay=1.0).next_action(PROMPT)

    message = str(caught.value)
    assert "\n" not in message
    assert "unavailable after 3 attempts" in message
    assert "HTTP 500" in message and llm_stub.base_url in message
    # Exponential backoff (jitter pinned to its lowest value by the fixture).
    assert sleeps == [0.5, 1.0]
    assert len(llm_stub.chat_requests) == 3


def test_timeout_is_retried(llm_stub, make_model, sleeps) -> None:
    llm_stub.reply_action(ACTION, delay=3)
    llm_stub.reply_action(ACTION)

    turn = make_model(mode="text", timeout=0.3).next_action(PROMPT)

    assert turn.action.command.name == "read_file"
    assert len(sleeps) == 1


def test_connection_refused_becomes_unavailable(sleeps) -> None:
    from engine.model import OpenAIModel, OpenAIModelConfig

    stub = LLMStubServer().start()
    dead_url = stub.base_url
    stub.stop()
    model = OpenAIModel(
        OpenAIModelConfig(model="m", api_key="k" * 20, base_url=dead_url, max_attempts=2),
        sleep=sleeps.append,
    )
    with pytest.raises(ModelUnavailable, match="unavailable after 2 attempts: connection failed"):
        model.next_action(PROMPT)


def test_usage_reported_by_server_is_priced(llm_stub, make_model) -> None:
    llm_stub.reply_action(
        ACTION, usage={"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200}
    )
    turn = make_model(model="gpt-4o-mini", mode="text").next_action(PROMPT)

    assert (turn.usage.prompt_tokens, turn.usage.completion_tokens) == (1000, 200)
    assert turn.usage.estimated is False
    # gpt-4o-mini: $0.15 / $0.60 per million tokens.
    assert turn.usage.cost_usd == pytest.approx(0.00015 + 0.00012)
    assert turn.usage.cost_known is True


def test_usage_is_estimated_when_server_omits_it(llm_stub, make_model) -> None:
    llm_stub.reply_action(ACTION, usage=None)
    turn = make_model(mode="text").next_action(PROMPT)

    assert turn.usage.estimated is True
    assert turn.usage.prompt_tokens > 0
    assert turn.usage.completion_tokens == -(-len(json.dumps(ACTION)) // 4)
    # "stub-model" has no price: cost is unknown, not free.
    assert turn.usage.cost_usd == 0.0 and turn.usage.cost_known is False


def test_complete_text_returns_free_text(llm_stub, make_model) -> None:
    llm_stub.reply_text("The build needs Python 3.11 and tox.")
    turn = make_model().complete_text([{"role": "user", "content": "Summarize."}])

    assert turn.text == "The build needs Python 3.11 and tox."
    sent = llm_stub.chat_requests[0].body
    assert "tools" not in sent and "response_format" not in sent


def test_api_key_is_sent_as_bearer_token(llm_stub, make_model) -> None:
    from tests.test_model.conftest import TEST_KEY

    llm_stub.reply_action(ACTION)
    make_model().next_action(PROMPT)
    assert llm_stub.chat_requests[0].authorization == f"Bearer {TEST_KEY}"


def test_models_endpoint_lists_stub_models(llm_stub) -> None:
    from openai import OpenAI

    client = OpenAI(api_key="unused-key", base_url=llm_stub.base_url, max_retries=0)
    assert [model.id for model in client.models.list()] == ["stub-model"]


def test_retry_after_longer_than_allowed_is_not_waited_out(llm_stub, make_model, sleeps) -> None:
    llm_stub.reply_error(429, "quota exhausted", retry_after=3600)

    with pytest.raises(ModelUnavailable, match="asked to wait 3600 s"):
        make_model(mode="text").next_action(PROMPT)
    assert sleeps == []


def test_fixed_mode_rejected_by_server_is_unavailable_not_silently_changed(llm_stub, make_model) -> None:
    llm_stub.reject_tools = True
    with pytest.raises(ModelUnavailable, match="HTTP 400: tools are not supported"):
        make_model(mode="tools").next_action(PROMPT)
    assert len(llm_stub.chat_requests) == 1
