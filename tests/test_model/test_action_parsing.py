"""Reading an action out of what models actually write."""

from __future__ import annotations

import pytest

from engine.model.action_parsing import ActionFormatError, parse_action

ACTION_JSON = '{"thoughts": "t", "command": {"name": "run", "args": {"cmd": "make {all}"}}}'


@pytest.mark.parametrize(
    "raw",
    [
        ACTION_JSON,
        f"  \n{ACTION_JSON}\n",
        f"Here you go:\n```json\n{ACTION_JSON}\n```\nGood luck.",
        f"```\n{ACTION_JSON}\n```",
        f"```bash\nmake all\n```\n```json\n{ACTION_JSON}\n```",
        f"I will build it {{quickly}}. {ACTION_JSON} That is all.",
    ],
    ids=["bare", "padded", "json-fence", "plain-fence", "after-bash-fence", "prose-with-braces"],
)
def test_action_is_found(raw: str) -> None:
    action = parse_action(raw)
    assert action.command.name == "run"
    # Braces inside JSON strings do not confuse the extraction.
    assert action.command.args == {"cmd": "make {all}"}


def test_missing_args_means_no_arguments() -> None:
    assert parse_action('{"thoughts": "", "command": {"name": "finish"}}').command.args == {}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "the reply was empty"),
        ("Let me think about it.", "no JSON object found"),
        ('{"thoughts": "t", "command": {"name": "run"', "not closed"),
        ("{'thoughts': 't'}", "invalid JSON"),
        ("[1, 2]", "not an object"),
        ('{"thoughts": "t"}', "command: Field required"),
        ('{"thoughts": "t", "command": {"name": "  "}}', "command.name"),
        ('{"thoughts": "t", "command": {"name": "x", "args": "ls"}}', "command.args"),
    ],
)
def test_invalid_replies_get_a_reason_the_model_can_act_on(raw: str, reason: str) -> None:
    with pytest.raises(ActionFormatError) as caught:
        parse_action(raw)
    assert reason in caught.value.reason
