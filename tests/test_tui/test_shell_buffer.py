"""The buffer between the engine thread and the shell pane keeps lines whole and memory bounded."""

from __future__ import annotations

import threading

from tui.shell_buffer import ShellBuffer


def test_lines_split_across_chunks_arrive_whole():
    buffer = ShellBuffer(10)
    buffer.append("Collecting py")
    buffer.append("test\r\nInstalling\n")
    lines, seen = buffer.since(0)
    assert lines == ["Collecting pytest", "Installing"]
    assert buffer.since(seen) == ([], 2)


def test_a_reader_far_behind_gets_only_the_newest_lines():
    buffer = ShellBuffer(100)
    buffer.append("".join(f"line {n}\n" for n in range(1000)))
    lines, seen = buffer.since(0)
    assert len(lines) == 100 and lines[0] == "line 900" and lines[-1] == "line 999"
    assert seen == 1000


def test_appending_from_many_threads_loses_no_count():
    buffer = ShellBuffer(50)

    def write() -> None:
        for n in range(2000):
            buffer.append(f"{n}\n")

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert buffer.total == 8000
