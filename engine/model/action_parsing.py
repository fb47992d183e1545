"""Turning a model's raw reply into an AgentAction, with a short reason when that fails."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from engine.model.action import AgentAction

_FENCED_BLOCK = re.compile(r"```[ \t]*([A-Za-z0-9_-]*)[ \t]*\n(.*?)```", re.DOTALL)


class ActionFormatError(ValueError):
    """A reply could not be read as an AgentAction; `reason` is meant for the model to read."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def parse_action(raw: str) -> AgentAction:
    """Read an AgentAction from a reply: bare JSON, a ```json block, or the first {...} in prose."""
    if not raw or not raw.strip():
        raise ActionFormatError("the reply was empty")
    data = _json_object_in(raw)
    if not isinstance(data, dict):
        raise ActionFormatError("the reply is JSON but not an object")
    try:
        return AgentAction.model_validate(data)
    except ValidationError as error:
        raise ActionFormatError(describe_validation_error(error)) from None


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, e.g. `command.name: Field required`."""
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def _json_object_in(raw: str) -> Any:
    text = raw.strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        first_error = error
    for candidate in _fenced_blocks(text):
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    first_invalid: json.JSONDecodeError | None = None
    for candidate in _balanced_objects(text):
        try:
            return json.loads(candidate)
        except json.JSONDecodeError as error:
            first_invalid = first_invalid or error
    if first_invalid is not None:
        raise ActionFormatError(f"invalid JSON: {first_invalid.msg} at char {first_invalid.pos}")
    if "{" in text:
        raise ActionFormatError(f"the JSON object is not closed or not valid ({first_error.msg})")
    raise ActionFormatError("no JSON object found in the reply")


def _fenced_blocks(text: str) -> list[str]:
    blocks = _FENCED_BLOCK.findall(text)
    # Blocks labelled json first, then unlabelled ones; other languages are not candidates.
    labelled = [body for lang, body in blocks if lang.lower() == "json"]
    unlabelled = [body for lang, body in blocks if lang == ""]
    return labelled + unlabelled


def _balanced_objects(text: str) -> Iterator[str]:
    """Every `{...}` whose braces balance, in order, ignoring braces inside JSON strings."""
    start = text.find("{")
    while start != -1:
        end = _matching_brace(text, start)
        if end is not None:
            yield text[start : end + 1]
            start = text.find("{", end + 1)
        else:
            start = text.find("{", start + 1)


def _matching_brace(text: str, start: int) -> int | None:
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return None


def correction_message(reason: str) -> dict[str, str]:
    """The user message that tells the model what was wrong with its last reply."""
    return {
        "role": "user",
        "content": (
            f"Your last reply could not be used: {reason}. "
            'Reply again with exactly one JSON object of the form {"thoughts": "...", '
            '"command": {"name": "<tool name>", "args": {...}}} and nothing else.'
        ),
    }
