"""The shell pane's width bookkeeping matches what Textual's Log would measure, fast path or not."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Log

from tui.widgets.shell_log import widest


def log_width(lines: list[str]) -> int:
    return max(cell_len(Log._process_line(line)) for line in lines)


def test_plain_ascii_output_is_as_wide_as_its_longest_line():
    lines = ["gcc -O2 -c a.c", "ld -o app a.o b.o c.o", ""]
    assert widest(lines) == log_width(lines) == 21


def test_tabs_wide_characters_and_control_codes_are_measured_like_the_log():
    for lines in (["a\tb", "ab"], ["编译 完成", "ok"], ["bell\x07", "x"], ["\x1b[31mred\x1b[0m"]):
        assert widest(lines) == log_width(lines), lines


def test_no_lines_have_no_width():
    assert widest([]) == 0
