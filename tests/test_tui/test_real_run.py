"""One full run through the UI on the real engine: scripted model, real Docker, real run directory."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import docker
import pytest
from textual.widgets import DirectoryTree
from textual.widgets.tree import TreeNode

from engine.sandbox.labels import RUN_ID
from tests.test_records.conftest import TEST_COMMAND, dockerfile, goals, make_project, shell, write_script
from tests.test_tui.conftest import SIZE, list_status, shell_lines, status_bar, stream_text, wait_until
from tui.app import ExecAgentApp
from tui.engine_runs import LauncherRunStarter
from tui.project_entry import entry_from_location
from tui.settings import TuiSettings

pytestmark = pytest.mark.docker
RUN_TIMEOUT_S = 50.0


def tree_nodes(tree: DirectoryTree) -> dict[str, TreeNode]:
    """Every node the tree has loaded, by its path relative to the root ("success_artifacts/launch.sh")."""
    nodes: dict[str, TreeNode] = {}
    stack = list(tree.root.children)
    while stack:
        node = stack.pop()
        if node.data is not None:
            nodes[str(Path(node.data.path).relative_to(tree.path))] = node
        stack.extend(node.children)
    return nodes


def tree_labels(tree: DirectoryTree) -> set[str]:
    return set(tree_nodes(tree))


def node_at(tree: DirectoryTree, relative: str) -> TreeNode:
    return tree_nodes(tree)[relative]


def expand(tree: DirectoryTree, relative: str) -> None:
    node_at(tree, relative).expand()


def remove_run_resources(client: docker.DockerClient, run_id: str) -> None:
    """The images the run built stay for launch.sh; a test removes its own."""
    for image in client.images.list(filters={"label": f"{RUN_ID}={run_id}"}):
        with contextlib.suppress(docker.errors.APIError):
            client.images.remove(image.id, force=True)


async def test_a_scripted_docker_run_shows_its_success_in_every_pane(tmp_path, docker_client, python_image):
    project = make_project(tmp_path)
    script = [dockerfile(python_image), shell(TEST_COMMAND), goals(test_command="")]
    model = write_script(tmp_path / "script.json", script)
    settings = TuiSettings(model=f"scripted:{model}", workspace=tmp_path / "ws", budget=6, max_retries=0)
    entry = entry_from_location(str(project), language="python")
    app = ExecAgentApp(
        LauncherRunStarter(settings), settings, projects=[entry], config_path=tmp_path / "config.toml"
    )
    run_id = ""
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("r")
            await wait_until(pilot, lambda: "finished" in status_bar(app), timeout=RUN_TIMEOUT_S)
            view = app.views["calc"]
            run_id = view.run_id
            assert list_status(app, "calc") == "succeeded 3/3"
            assert status_bar(app).endswith("finished: success")
            stream = stream_text(app)
            assert f"$ linux_terminal: {TEST_COMMAND}" in stream
            assert f"tests from `{TEST_COMMAND}`" in stream
            assert "3 passed, 0 failed (unittest)" in stream
            assert "run success" in stream
            await wait_until(pilot, lambda: any(line.startswith("Ran 3 tests") for line in shell_lines(app)))
            assert "OK" in shell_lines(app)
            assert any(line.startswith("test_small (test_calc.AddTest") for line in shell_lines(app))

            tree = app.query_one("#artifact-tree", DirectoryTree)
            await wait_until(pilot, lambda: "success_artifacts" in tree_labels(tree), timeout=5)
            assert Path(tree.path) == view.run_dir
            expand(tree, "success_artifacts")
            await wait_until(pilot, lambda: "success_artifacts/launch.sh" in tree_labels(tree), timeout=5)
            tree.focus()
            tree.move_cursor(node_at(tree, "success_artifacts/launch.sh"))
            await pilot.press("enter")  # what a person does to open the file
            shown = app.query_one("#artifact-view").content
            assert shown.lexer.name == "Bash"
            assert "docker build" in shown.code
        state = json.loads((view.run_dir / "state.json").read_text())
        assert state["info"]["run_id"] == run_id
        left = docker_client.containers.list(all=True, filters={"label": f"{RUN_ID}={run_id}"})
        assert left == [], [c.name for c in left]
    finally:
        if run_id:
            remove_run_resources(docker_client, run_id)
