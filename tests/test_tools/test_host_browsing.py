"""Before a container exists, the model may only browse the project folder, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.tools import Workspace, default_registry


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (root / "setup.py").write_text("from setuptools import setup\nsetup(name='calc')\n")
    (root / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0"><artifactId>calc</artifactId>'
        '<dependencies><dependency scope="test"><groupId>junit</groupId></dependency></dependencies>'
        "</project>"
    )
    (tmp_path / "secret.txt").write_text("TOP SECRET\n")
    (root / "escape").symlink_to(tmp_path / "secret.txt")
    return root


def terminal(project: Path, command: str):
    return default_registry().call("linux_terminal", {"command": command}, Workspace(project, "proj"))


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("ls src", "calc.py"),
        ("cat src/calc.py", "return a + b"),
        ("grep -rn setup .", "setup.py:2:setup(name='calc')"),
        ("find . -name '*.py'", "./src/calc.py"),
        ("head -n 1 setup.py", "from setuptools import setup"),
        ("wc -l src/calc.py", "2 src/calc.py"),
        ("cat *.py", "setup(name='calc')"),
    ],
)
def test_browsing_commands_show_the_project(project: Path, command: str, expected: str) -> None:
    outcome = terminal(project, command)
    assert outcome.ok, outcome.text
    assert expected in outcome.text


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("cat setup.py; rm -rf /", "`;` is not allowed"),
        ("ls | sh", "`|` is not allowed"),
        ("ls && touch x", "`&` is not allowed"),
        ("cat `echo setup.py`", "` is not allowed"),
        ("cat $(echo setup.py)", "`$` is not allowed"),
        ("ls > out.txt", "`>` is not allowed"),
        ("cat < setup.py", "`<` is not allowed"),
        ("ls\ntouch x", "a newline is not allowed"),
        ("rm setup.py", "`rm` is not available before the container exists"),
        ("python3 setup.py test", "`python3` is not available"),
        ("find . -exec touch {} +", "`find -exec` is not allowed"),
        ("find . -delete", "`find -delete` is not allowed"),
        ("cat ../secret.txt", "../secret.txt is outside the project folder"),
        ("cat /etc/passwd", "/etc/passwd is outside the project folder"),
        ("cat escape", "escape is outside the project folder"),
        ("ls ~", "~ is outside the project folder"),
    ],
)
def test_anything_else_is_refused_before_it_runs(project: Path, command: str, reason: str) -> None:
    outcome = terminal(project, command)
    assert not outcome.ok
    assert reason in outcome.text
    assert not (project / "x").exists() and not (project / "out.txt").exists()
    assert (project / "setup.py").exists()
    assert "TOP SECRET" not in outcome.text


def test_read_file_on_the_host_shows_xml_as_indented_keys(project: Path) -> None:
    outcome = default_registry().call("read_file", {"file_path": "pom.xml"}, Workspace(project, "proj"))
    assert outcome.text.splitlines() == [
        "project:",
        "  artifactId: calc",
        "  dependencies:",
        "    dependency:",
        "      @scope: test",
        "      groupId: junit",
    ]


def test_read_file_on_the_host_refuses_paths_outside_the_project(project: Path) -> None:
    registry, workspace = default_registry(), Workspace(project, "proj")
    assert "outside the project folder" in registry.call("read_file", {"file_path": "escape"}, workspace).text
    assert (
        "outside the project folder"
        in registry.call("read_file", {"file_path": "/etc/hosts"}, workspace).text
    )


def test_writing_an_ordinary_file_before_the_container_is_refused(project: Path) -> None:
    outcome = default_registry().call(
        "write_to_file", {"filename": "notes.txt", "text": "x"}, Workspace(project, "proj")
    )
    assert not outcome.ok and "Write a Dockerfile first" in outcome.text
    assert not (project / "notes.txt").exists()


def test_goals_before_any_container_are_refused(project: Path) -> None:
    outcome = default_registry().call("goals_accomplished", {"reason": "done"}, Workspace(project, "proj"))
    assert not outcome.ok and not outcome.accepted
    assert "no container yet" in outcome.text
