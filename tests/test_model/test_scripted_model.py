"""The scripted model replays outputs and handles bad ones like a real model's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.model import (
    AgentAction,
    Model,
    ModelFormatError,
    ModelUnavailable,
    ScriptedModel,
    create_model,
)

LS = {"thoughts": "look around", "command": {"name": "ls", "args": {}}}
PROMPT = [{"role": "user", "content": "next?"}]


def test_replays_actions_in_order_from_all_item_kinds() -> None:
    model = ScriptedModel(
        [
            AgentAction.model_validate(LS),
            {"thoughts": "build", "command": {"name": "run", "args": {"cmd": "make"}}},
            '```json\n{"thoughts": "done", "command": {"name": "finish", "args": {}}}\n```',
        ]
    )
    names = [model.next_action(PROMPT).action.command.name for _ in range(3)]
    assert names == ["ls", "run", "finish"]
    assert isinstance(model, Model)


def test_usage_is_deterministic_and_marked_estimated() -> None:
    first = ScriptedModel([LS]).next_action(PROMPT).usage
    second = ScriptedModel([LS]).next_action(PROMPT).usage
    assert first == second
    assert first.estimated is True and first.prompt_tokens > 0


def test_bad_output_then_good_one_counts_two_attempts_and_shows_the_correction() -> None:
    model = ScriptedModel(["no json here", LS])
    turn = model.next_action(PROMPT)

    assert turn.attempts == 2
    assert turn.action.command.name == "ls"
    second_prompt = model.received[1]
    assert second_prompt[1] == {"role": "assistant", "content": "no json here"}
    assert "no JSON object found" in second_prompt[2]["content"]


def test_three_bad_outputs_raise_format_error() -> None:
    model = ScriptedModel(["nope", "{bad", '{"thoughts": 1}', LS])
    with pytest.raises(ModelFormatError) as caught:
        model.next_action(PROMPT)
    assert caught.value.attempts == 3
    assert caught.value.last_raw == '{"thoughts": 1}'
    assert model.remaining == 1


def test_exhausted_script_is_unavailable() -> None:
    model = ScriptedModel([LS])
    model.next_action(PROMPT)
    with pytest.raises(ModelUnavailable, match="no outputs left"):
        model.next_action(PROMPT)


def test_text_replies_are_replayed_then_a_fixed_placeholder() -> None:
    model = ScriptedModel([], texts=["summary one"])
    assert model.complete_text(PROMPT).text == "summary one"
    assert "no text reply was scripted" in model.complete_text(PROMPT).text


def test_created_from_a_json_file(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps([LS, "not json", LS]))

    model = create_model(f"scripted:{script}")

    assert model.name == "scripted"
    assert model.next_action(PROMPT).action.thoughts == "look around"
    assert model.next_action(PROMPT).attempts == 2
