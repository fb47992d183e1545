"""A bad tool call comes back to the model as a readable error, never as an exception."""

from __future__ import annotations

from pathlib import Path

from engine.tools import Workspace, default_registry
from engine.tools.linux_terminal import blocked_reason


def test_registry_describes_every_tool_with_its_arguments() -> None:
    text = default_registry().describe()
    for line in (
        'linux_terminal {"command": "..."}',
        'read_file {"file_path": "..."}',
        'write_to_file {"filename": "...", "text": "..."}',
        "search_docker_image",
        "goals_accomplished",
    ):
        assert line in text


def test_unknown_tool_names_the_real_ones(tmp_path: Path) -> None:
    outcome = default_registry().call("run_shell", {}, Workspace(tmp_path, "p"))
    assert not outcome.ok
    assert outcome.text.startswith("unknown tool 'run_shell'; the tools are: linux_terminal, read_file")


def test_missing_wrong_and_extra_arguments_are_explained(tmp_path: Path) -> None:
    registry, workspace = default_registry(), Workspace(tmp_path, "p")
    assert (
        registry.call("read_file", {}, workspace).text
        == "bad arguments for read_file: file_path: Field required"
    )
    assert (
        "command: Input should be a valid string"
        in registry.call("linux_terminal", {"command": 3}, workspace).text
    )
    extra = registry.call("read_file", {"file_path": "a", "lines": 3}, workspace).text
    assert "lines: Extra inputs are not permitted" in extra


def test_blocked_programs_in_the_container() -> None:
    assert "interactive editors" in blocked_reason("vim setup.py")
    assert "interactive editors" in blocked_reason("cd src && sudo nano x.py")
    assert "pagers wait for keys" in blocked_reason("PAGER=cat less README")
    assert "no Docker inside the container" in blocked_reason("ls; /usr/bin/docker ps")
    assert "no Docker" in blocked_reason("echo hi | docker login")


def test_words_that_only_look_like_blocked_programs_pass() -> None:
    for command in (
        "echo vim",
        "grep -r docker .",
        "pip install lesscpy",
        "cat more.txt",
        "python -m vi_tool",
    ):
        assert blocked_reason(command) is None, command
