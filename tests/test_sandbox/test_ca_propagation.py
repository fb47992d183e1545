"""Behind a TLS-intercepting proxy pip works only with the host's CA bundle: in builds and in containers."""

import pytest

pytestmark = pytest.mark.docker


def test_pip_installs_from_pypi_inside_a_container(make_sandbox, python_image):
    box = make_sandbox()
    box.start(python_image)
    assert box.run("echo $PIP_CERT; test -s $PIP_CERT && echo present").output.endswith("present\n")
    box.run("python3 -m venv /opt/venv && . /opt/venv/bin/activate", timeout=120)
    outcome = box.run(
        "pip install --no-cache-dir six==1.16.0 && python -c 'import six; print(six.__version__)'",
        timeout=300,
    )
    assert outcome.exit_code == 0, outcome.output[-2000:]
    assert outcome.output.rstrip().endswith("1.16.0")


def test_pip_installs_in_a_dockerfile_run_step(make_sandbox, python_image):
    result = make_sandbox().build(
        f"FROM {python_image}\nRUN python3 -m venv /v && /v/bin/pip install --no-cache-dir six==1.16.0\n",
        None,
        timeout=600,
    )
    assert result.ok, result.failure_report()
    assert any("Successfully installed six-1.16.0" in line for line in result.log_tail)
