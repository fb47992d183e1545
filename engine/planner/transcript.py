"""Reading the agent's prompt the way the planner needs it: the last result and the person's guidance.

The planner sees exactly what an LLM sees (the loop cannot tell them apart), so it reads the
sections the prompt builder writes rather than any private channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LAST_RESULT = re.compile(r"^## Result of your last action \(cycle (\d+)\)\nAction: (.*?)\n(.*)", re.S | re.M)
SECTION_END = re.compile(r"\n## |\nThis is cycle \d+ of \d+")
STATUS = re.compile(r"\[(finished|timed_out|terminated|shell_restarted), exit code (-?\d+|None)")
GUIDANCE_HEADING = "## Guidance from the person supervising you"
COMMAND_IN_GUIDANCE = re.compile(r"`([^`]+)`|^(?:run|try|command|exec)\s*:\s*(.+)$", re.I)


@dataclass
class LastResult:
    cycle: int
    action: str
    text: str

    @property
    def stuck(self) -> bool:
        return "[still running:" in self.text

    @property
    def exit_code(self) -> int | None:
        matches = STATUS.findall(self.text)
        if not matches:
            return None
        status, code = matches[-1]
        return int(code) if status == "finished" and code != "None" else None

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0


@dataclass
class PromptView:
    last: LastResult | None
    guidance: list[str] = field(default_factory=list)


def read_prompt(messages: list[dict]) -> PromptView:
    user = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
    if not isinstance(user, str):
        user = str(user)
    last = None
    match = LAST_RESULT.search(user)
    if match:
        body = match.group(3)
        end = SECTION_END.search(body)
        last = LastResult(int(match.group(1)), match.group(2).strip(), body[: end.start()] if end else body)
    guidance = []
    if GUIDANCE_HEADING in user:
        section = user.split(GUIDANCE_HEADING, 1)[1]
        end = SECTION_END.search(section)
        section = section[: end.start()] if end else section
        guidance = [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]
    return PromptView(last, guidance)


def command_in_guidance(text: str) -> str | None:
    """A shell command a person asked for: `in backticks`, or after 'run:' / 'try:'."""
    match = COMMAND_IN_GUIDANCE.search(text.strip())
    if not match:
        return None
    return (match.group(1) or match.group(2)).strip() or None
