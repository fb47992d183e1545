"""The notes an attempt leaves for the next one, read leniently from the knowledge model's reply."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError, field_validator

from engine.agent.knowledge_json import json_object_in

RAW_NOTES_CHARS = 3000


class AttemptNotes(BaseModel):
    problems: list[str] = []
    actions: list[str] = []
    progress: str = ""
    lessons: list[str] = []
    suggestions: list[str] = []
    dockerfile_recommendation: str = ""

    @field_validator("problems", "actions", "lessons", "suggestions", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        # Models often answer a single string where a list was asked for.
        if value is None:
            return []
        if isinstance(value, str):
            return [value] if value.strip() else []
        if isinstance(value, list):
            return [str(item) for item in value]
        return value

    @field_validator("progress", "dockerfile_recommendation", mode="before")
    @classmethod
    def _stringify(cls, value: Any) -> Any:
        return "" if value is None else value if isinstance(value, str) else str(value)


def read_notes(reply: str) -> tuple[dict[str, Any], bool]:
    """(notes, malformed): the parsed fields, or the raw reply kept as text when it is not the JSON."""
    data = json_object_in(reply)
    if data is not None:
        try:
            return AttemptNotes.model_validate(data).model_dump(), False
        except ValidationError:
            pass
    return {"raw": reply.strip()[:RAW_NOTES_CHARS]}, True


def notes_text(attempt: int, notes: dict[str, Any]) -> str:
    """The notes as the next attempt's prompt shows them."""
    if "raw" in notes:
        return f"### Attempt {attempt}\n{notes['raw'] or '(no notes)'}"
    lines = [f"### Attempt {attempt}"]
    if notes.get("progress"):
        lines.append(f"Progress: {notes['progress']}")
    for key, title in (
        ("problems", "Problems"),
        ("lessons", "Lessons"),
        ("suggestions", "Suggestions"),
        ("actions", "Actions"),
    ):
        if notes.get(key):
            lines.append(f"{title}:\n" + "\n".join(f"- {item}" for item in notes[key]))
    if notes.get("dockerfile_recommendation"):
        lines.append(f"Recommended Dockerfile:\n{notes['dockerfile_recommendation']}")
    return "\n".join(lines)
