"""The planner's decisions, driven the way the loop drives it: by the prompt's last result."""

from pathlib import Path

import pytest

from engine.model import create_model

PYCALC = Path(__file__).resolve().parents[2] / "engine" / "bundled_projects" / "pycalc"


def prompt(
    result: str | None, action: str = "linux_terminal: x", guidance: list[str] | None = None
) -> list[dict]:
    if result is None:
        history = "Nothing has been done yet in this attempt."
    else:
        history = (
            f"## What you did so far\n\n## Result of your last action (cycle 3)\nAction: {action}\n{result}"
        )
    parts = [history]
    if guidance:
        parts.append("## Guidance from the person supervising you\n" + "\n".join(f"- {g}" for g in guidance))
    parts.append("This is cycle 4 of 40 (37 left in this attempt).")
    return [{"role": "system", "content": "task"}, {"role": "user", "content": "\n\n".join(parts)}]


@pytest.fixture
def planner():
    return create_model("heuristic", project_dir=PYCALC, project_name="pycalc")


def act(planner, result=None, **kwargs):
    turn = planner.next_action(prompt(result, **kwargs))
    return turn.action.command.name, turn.action.command.args


def test_first_action_writes_a_dockerfile_then_follows_the_plan(planner):
    name, args = act(planner)
    assert name == "write_to_file" and args["filename"] == "Dockerfile"
    name, args = act(planner, "Image x built in 3s and a container started from it.")
    assert (name, args) == (
        "linux_terminal",
        {"command": "python -m pip install --upgrade pip setuptools wheel"},
    )
    assert planner.next_action(prompt("ok")).usage.cost_usd == 0


def test_a_failed_command_is_repaired_then_retried(planner):
    act(planner)
    act(planner, "container started")
    name, args = act(
        planner, "error: externally-managed-environment\n[finished, exit code 1; cwd /app/pycalc]"
    )
    assert args["command"] == "python3 -m venv /opt/venv"
    assert act(planner, "[finished, exit code 0; cwd /app]")[1]["command"] == ". /opt/venv/bin/activate"
    retried = act(planner, "[finished, exit code 0; cwd /app]")[1]["command"]
    assert retried == "python -m pip install --upgrade pip setuptools wheel"


def test_tests_that_ran_lead_to_a_claim(planner):
    act(planner)
    act(planner, "container started")
    for _ in range(3):
        act(planner, "[finished, exit code 0; cwd /app/pycalc]")
    name, args = act(planner, "=== 3 failed, 11 passed in 0.1s ===\n[finished, exit code 1; cwd /app/pycalc]")
    assert name == "goals_accomplished"


def test_a_stuck_prompt_is_answered_then_waited_then_terminated(planner):
    act(planner)
    act(planner, "container started")
    still = "[still running: no output for 300s. Answer with WAIT, TERMINATE or WRITE:<text>]"
    stuck = f"Do you want to continue? [Y/n]\n{still}"
    assert act(planner, stuck)[1] == {"command": "WRITE:y"}
    quiet = f"compiling\n{still}"
    assert act(planner, quiet)[1] == {"command": "WAIT"}
    assert act(planner, quiet)[1] == {"command": "TERMINATE"}


def test_guidance_with_a_command_runs_next(planner):
    act(planner)
    name, args = act(planner, "container started", guidance=["please run: `apt-get install -y libyaml-dev`"])
    assert args == {"command": "apt-get install -y libyaml-dev"}


def test_without_any_idea_left_it_claims_so_the_engine_reports_why(planner):
    act(planner)
    act(planner, "container started")
    name, args = act(planner, "Segmentation fault\n[finished, exit code 139; cwd /app/pycalc]")
    assert name == "goals_accomplished" and "no repair rule matches" in args["reason"]


def test_after_the_engine_said_why_it_ends_the_attempt_instead_of_spending_the_budget(planner):
    from engine.model import ModelGaveUp

    act(planner)
    act(planner, "container started")
    act(planner, "Segmentation fault\n[finished, exit code 139; cwd /app/pycalc]")
    with pytest.raises(ModelGaveUp, match="nothing more to try"):
        act(planner, "Refused: no test summary", action="goals_accomplished")
    assert act(planner)[0] == "write_to_file"  # a new attempt starts afresh


def test_forced_exit_and_attempt_summary_replies_are_the_json_the_loop_expects(planner):
    import json

    act(planner)
    act(planner, "container started")
    recipe = json.loads(
        planner.complete_text([{"role": "user", "content": 'answer {"run_tests_sh": ...}'}]).text
    )
    assert recipe["dockerfile"].startswith("FROM execagent/debian:bookworm")
    assert recipe["run_tests_sh"].startswith("#!/usr/bin/env bash") and "pytest" in recipe["run_tests_sh"]
    notes = json.loads(planner.complete_text([{"role": "user", "content": '{"problems": []}'}]).text)
    assert set(notes) >= {
        "problems",
        "actions",
        "progress",
        "lessons",
        "suggestions",
        "dockerfile_recommendation",
    }


def test_the_heuristic_model_needs_the_project_folder():
    with pytest.raises(ValueError, match="needs project_dir"):
        create_model("heuristic")


def test_when_pytest_cannot_run_the_suite_the_projects_own_test_command_is_tried(tmp_path):
    (tmp_path / "setup.py").write_text("from setuptools import setup\nsetup(name='lib')\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tox.ini").write_text(
        "[testenv]\ncommands =\n    coverage run --source=lib -m unittest discover {toxinidir}/tests\n"
    )
    planner = create_model("heuristic", project_dir=tmp_path, project_name="lib")
    act(planner)
    act(planner, "container started")
    for _ in range(3):
        act(planner, "[finished, exit code 0; cwd /app/lib]")
    collection_error = (
        "collected 0 items / 1 error\n=============================== 1 error in 0.39s"
        " ===============================\n[finished, exit code 2; cwd /app/lib]"
    )
    name, args = act(planner, collection_error)
    assert (name, args) == ("linux_terminal", {"command": "python -m unittest discover"})
    name, _ = act(planner, "Ran 12 tests in 0.1s\n\nOK\n[finished, exit code 0; cwd /app/lib]")
    assert name == "goals_accomplished"


def test_a_failed_build_with_no_rule_switches_to_the_other_build_system_the_project_ships(tmp_path):
    for name in ("CMakeLists.txt", "configure", "main.c"):
        (tmp_path / name).write_text("")
    planner = create_model("heuristic", project_dir=tmp_path, project_name="lib")
    act(planner)
    act(planner, "container started")
    broken = "main.c:59:22: error: 'CK_SUBUNIT' undeclared\ngmake: *** [Makefile:146: all] Error 2\n"
    name, args = act(planner, "[finished, exit code 0; cwd /app/lib]")  # cmake -S . -B build
    assert args == {"command": "cmake --build build -j2"}
    name, args = act(planner, broken + "[finished, exit code 2; cwd /app/lib]")
    assert name == "write_to_file" and args["filename"] == "Dockerfile"
    assert act(planner, "container started")[1] == {"command": "./configure"}
