"""The persistent shell on a real container: state persists, output streams, nothing hangs."""

import time

import pytest

pytestmark = pytest.mark.docker


@pytest.fixture
def sandbox(make_sandbox, base_image, tmp_path):
    (tmp_path / "README").write_text("project file\n")
    box = make_sandbox()
    box.start(base_image, source_dir=tmp_path)
    return box


def test_starts_in_the_copied_project_folder(sandbox):
    outcome = sandbox.run("pwd; cat README")
    assert outcome.output == "/app/testproj\nproject file\n"
    assert outcome.exit_code == 0


def test_cd_and_exported_variables_persist_across_commands(sandbox):
    sandbox.run("mkdir -p /tmp/work && cd /tmp/work")
    sandbox.run("export GREETING=hello; UNEXPORTED=also")
    outcome = sandbox.run('echo "$PWD $GREETING $UNEXPORTED"')
    assert outcome.output == "/tmp/work hello also\n"
    assert outcome.cwd == "/tmp/work"


def test_exit_code_and_stderr_are_reported(sandbox):
    outcome = sandbox.run("echo out; echo err >&2; exit_with() { return $1; }; exit_with 42")
    assert outcome.exit_code == 42
    assert outcome.output == "out\nerr\n"


def test_multiline_commands_quotes_and_heredocs_run_as_written(sandbox):
    script = "cat > /tmp/x.sh <<'EOF'\necho \"it's $((6*7))\"\nEOF\nsh /tmp/x.sh"
    assert sandbox.run(script).output == "it's 42\n"


def test_output_streams_to_the_callback_while_the_command_runs(sandbox):
    seen = []
    started = time.monotonic()
    outcome = sandbox.run(
        "echo first; sleep 2; echo second",
        on_output=lambda chunk: seen.append((time.monotonic() - started, chunk)),
    )
    first_at = next(at for at, chunk in seen if "first" in chunk)
    assert first_at < 1.5  # arrived long before the command ended
    assert "".join(chunk for _, chunk in seen) == outcome.output == "first\nsecond\n"


def test_timeout_kills_the_command_but_keeps_cwd_and_env(sandbox):
    sandbox.run("cd /tmp && export KEPT=yes")
    started = time.monotonic()
    outcome = sandbox.run("echo begin; sleep 120", timeout=2)
    assert outcome.status == "timed_out"
    assert time.monotonic() - started < 10
    assert outcome.output.startswith("begin\n")
    assert sandbox.run('echo "$PWD $KEPT"').output == "/tmp yes\n"


def test_silent_command_is_reported_stuck_and_answered_with_write(sandbox):
    outcome = sandbox.run("printf 'Continue? [y/N] '; read answer; echo \"answer=$answer\"", stuck_after=1)
    assert outcome.status == "stuck"
    assert outcome.still_running
    assert "Continue?" in outcome.output
    answered = sandbox.shell.write("y")
    assert answered.status == "finished"
    assert answered.output.endswith("answer=y\n")


def test_stuck_command_can_be_waited_on_then_finishes(sandbox):
    outcome = sandbox.run("sleep 2; echo late", stuck_after=1)
    assert outcome.status == "stuck"
    finished = sandbox.shell.wait(seconds=10)
    assert finished.status == "finished" and finished.output == "late\n"


def test_stuck_command_terminated_keeps_the_shell_state(sandbox):
    sandbox.run("cd /opt && export MODE=kept")
    assert sandbox.run("cat", stuck_after=1).status == "stuck"  # waits on stdin forever
    terminated = sandbox.shell.terminate()
    assert terminated.status == "terminated"
    assert sandbox.run('echo "$PWD $MODE"').output == "/opt kept\n"
    assert sandbox.shell.restarts == 0


def test_a_blocked_shell_builtin_is_replaced_by_a_new_shell_with_state_restored(sandbox):
    sandbox.run("cd /srv && export MODE=restored")
    assert sandbox.run("read forever", stuck_after=1).status == "stuck"
    outcome = sandbox.shell.terminate()
    assert outcome.status == "shell_restarted"
    assert sandbox.run('echo "$PWD $MODE"').output == "/srv restored\n"


def test_exit_in_a_command_restarts_the_shell_with_state(sandbox):
    sandbox.run("cd /tmp && export AFTER=exit")
    outcome = sandbox.run("exit 5")
    assert outcome.status == "shell_restarted" and outcome.exit_code == 5
    assert sandbox.run('echo "$PWD $AFTER"').output == "/tmp exit\n"


def test_huge_output_is_streamed_whole_and_digested_for_the_model(sandbox):
    from engine.output_digest import digest_for_model

    received = []
    outcome = sandbox.run("seq 1 200000", on_output=received.append)
    full = "".join(received)
    assert full.count("\n") == 200000 and full.endswith("200000\n")
    digest = digest_for_model(outcome.output, max_chars=3000)
    assert digest.startswith("1\n2\n") and digest.rstrip().endswith("200000") and "omitted" in digest


def test_progress_bars_collapse_in_the_digest(sandbox):
    from engine.output_digest import digest_for_model

    outcome = sandbox.run("printf 'fetch  0%%\\rfetch 50%%\\rfetch 100%%\\ndone\\n'")
    assert digest_for_model(outcome.output) == "fetch 100%\ndone\n"


def test_activated_venv_persists(make_sandbox, python_image):
    box = make_sandbox()
    box.start(python_image)
    box.run("python3 -m venv /opt/venv && . /opt/venv/bin/activate", timeout=120)
    outcome = box.run('echo "$VIRTUAL_ENV"; command -v python')
    assert outcome.output == "/opt/venv\n/opt/venv/bin/python\n"
