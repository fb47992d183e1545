"""Whole runs against real Docker: a tiny unittest project gets a Dockerfile, runs, and is verified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.agent import RunRequest, run
from engine.model import OpenAIModel, OpenAIModelConfig
from engine.sandbox.labels import RUN_ID
from tests.conftest import PYTHON_IMAGE
from tests.llm_stub_server import LLMStubServer
from tests.test_agent.conftest import RunHarness, shell, tool

pytestmark = pytest.mark.docker

UNITTEST = "python3 -m unittest discover -s tests"
# The session's python image (execagent/debian:bookworm + apt-get install python3, built once):
# building FROM it takes about a second, so every run here builds its own image for real.
PYTHON_DOCKERFILE = f"FROM {PYTHON_IMAGE}\nWORKDIR /app/calc\n"
RECIPE = json.dumps(
    {"dockerfile": PYTHON_DOCKERFILE, "run_tests_sh": f"#!/usr/bin/env bash\nset -uo pipefail\n{UNITTEST}\n"}
)


@pytest.fixture
def sandboxes(make_sandbox, python_image: str):
    """A sandbox factory for runs; every sandbox made is closed after the test."""
    made = []

    def factory(_run_id: str, project: str):
        made.append(make_sandbox(project))
        return made[-1]

    factory.made = made
    return factory


def assert_no_container_left(docker_client, sandboxes) -> None:
    for sandbox in sandboxes.made:
        assert sandbox.container is None
        assert docker_client.containers.list(all=True, filters={"label": f"{RUN_ID}={sandbox.run_id}"}) == []


def test_dockerfile_tests_and_a_verified_claim(harness: RunHarness, sandboxes, docker_client) -> None:
    result = harness.run(
        [
            tool("write_to_file", filename="Dockerfile", text=PYTHON_DOCKERFILE),
            tool("goals_accomplished", reason="the image builds"),
            shell("read -p 'Proceed? ' ok; echo proceeding=$ok"),
            shell("WRITE:y"),
            shell(UNITTEST),
            tool("goals_accomplished", reason="3 tests pass", test_command=UNITTEST),
        ],
        sandbox_factory=sandboxes,
        budget=6,
        stuck_after_s=2.0,
    )
    results = harness.of_type("tool_result")
    assert "a container started from it" in results[0].text
    assert "Refused: no command in this attempt printed a test summary" in results[1].text
    assert "still running" in results[2].text and "proceeding=y" in results[3].text
    assert "Ran 3 tests" in results[4].text
    assert results[5].text.startswith("Accepted: 3 passed, 0 failed (unittest)")
    assert result.outcome == "success"
    assert (result.test_summary.passed, result.test_summary.failed, result.test_summary.total) == (3, 0, 3)
    assert result.dockerfile == PYTHON_DOCKERFILE and result.test_command == UNITTEST
    observed = harness.of_type("test_summary_observed")
    assert {e.summary.passed for e in observed} == {3}
    assert [(e.source, e.command) for e in observed] == [
        ("command", UNITTEST),  # the agent's own run
        ("goals_accomplished", UNITTEST),  # the re-run that verified the claim
    ]
    assert harness.of_type("build_log_line") and harness.of_type("output_chunk")
    finished = harness.of_type("run_finished")[0]
    assert (finished.outcome, finished.cycles, finished.attempts) == ("success", 6, 1)
    assert_no_container_left(docker_client, sandboxes)


def test_budget_exhaustion_then_forced_exit_succeeds_only_on_parsed_tests(
    harness: RunHarness, sandboxes, docker_client
) -> None:
    notes = json.dumps({"problems": ["ran out of cycles"], "suggestions": ["run unittest discover"]})
    result = harness.run(
        [tool("write_to_file", filename="Dockerfile", text=PYTHON_DOCKERFILE), shell("ls tests")],
        texts=[notes, notes, RECIPE],
        sandbox_factory=sandboxes,
        budget=1,
        max_retries=1,
    )
    assert "Suggestions:\n- run unittest discover" in harness.model.received[1][0]["content"]
    assert [e.purpose for e in harness.of_type("model_request")][-1] == "forced_exit"
    assert result.outcome == "success"
    assert result.summary == "forced exit: 3 passed, 0 failed (unittest): 3 of 3 tests passed (100%) >= 80%"
    assert result.test_command == "bash /app/calc/run_tests.sh"
    observed = harness.of_type("test_summary_observed")
    assert [(e.source, e.command, e.summary.passed) for e in observed] == [
        ("forced_exit", "bash /app/calc/run_tests.sh", 3)
    ]
    assert_no_container_left(docker_client, sandboxes)


def test_forced_exit_whose_script_runs_no_tests_fails(harness: RunHarness, sandboxes) -> None:
    recipe = json.dumps(
        {"dockerfile": PYTHON_DOCKERFILE, "run_tests_sh": "#!/usr/bin/env bash\necho all good\n"}
    )
    harness.control.force_exit()
    result = harness.run([shell("ls")], texts=[recipe], sandbox_factory=sandboxes, budget=3)
    assert result.outcome == "failed"
    assert result.summary.startswith("forced exit: the final test script printed no test summary")


def test_a_person_types_into_the_agents_shell(harness: RunHarness, sandboxes) -> None:
    def type_after_build(event) -> None:
        if event.type == "tool_result" and "container started" in event.text:
            harness.control.human_shell_input("export MARK=from-person && echo marked $MARK")

    harness.bus.subscribe(type_after_build)
    harness.run(
        [tool("write_to_file", filename="Dockerfile", text=PYTHON_DOCKERFILE), shell("echo $MARK")],
        texts=["{}", "x"],
        sandbox_factory=sandboxes,
        budget=2,
    )
    second_prompt = harness.prompts()[1]
    assert "A person ran `export MARK=from-person && echo marked $MARK` in your shell" in second_prompt
    assert "marked from-person" in second_prompt
    assert "from-person" in harness.of_type("tool_result")[1].text  # same shell: the export persisted


def test_end_to_end_through_the_real_openai_client(tiny_project: Path, sandboxes, docker_client) -> None:
    harness = RunHarness(tiny_project)
    with LLMStubServer() as stub:
        stub.reply_action(tool("write_to_file", filename="Dockerfile", text=PYTHON_DOCKERFILE))
        stub.reply_text("Sure! I will run the tests now.")  # malformed: the model is asked again
        stub.reply_error(429, retry_after=0)
        stub.reply_action(shell(UNITTEST))
        stub.reply_tool_call(tool("goals_accomplished", reason="done", test_command=UNITTEST))
        model = OpenAIModel(
            OpenAIModelConfig(
                model="stub-model", api_key="sk-stub-key-1234", base_url=stub.base_url, timeout=10
            ),
            sleep=lambda _s: None,
            random_fraction=lambda: 0.0,
        )
        request = RunRequest(project_name="calc", project_path=tiny_project, budget=5, max_retries=0)
        result = run(request, model, model, sandboxes, harness.bus, harness.control)
        sent = [r.messages for r in stub.chat_requests]
    assert result.outcome == "success"
    assert (result.test_summary.passed, result.test_summary.total) == (3, 3)
    assert result.cycles == 3
    assert result.prompt_tokens > 0 and not harness.of_type("run_finished")[0].tokens_estimated
    assert any(
        "could not be used" in m["content"] for messages in sent for m in messages if m["role"] == "user"
    )
    assert "sk-stub-key-1234" not in "".join(e.model_dump_json() for e in harness.events)
    assert_no_container_left(docker_client, sandboxes)
