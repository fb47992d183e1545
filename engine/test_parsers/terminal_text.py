"""Turn raw terminal bytes-as-text into the lines a person would have seen."""

import re

# CSI sequences (colours, cursor moves), OSC sequences (titles, links) and lone escapes
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def clean_terminal_text(text: str) -> str:
    """Strip ANSI codes and keep only what is left visible after carriage returns."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            # a progress line redrawn in place: the last non-empty redraw is what remains
            pieces = [piece for piece in line.split("\r") if piece.strip()]
            line = pieces[-1] if pieces else ""
        lines.append(line)
    return "\n".join(lines)
