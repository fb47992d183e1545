"""Behind a TLS-intercepting proxy, pip and npm need the host's CA bundle: in builds and containers."""

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


def test_npm_installs_from_the_registry_inside_a_container(make_sandbox, node_image):
    box = make_sandbox()
    box.start(node_image)
    cafile = box.run("npm config get cafile").output.strip()
    assert cafile == box.run("echo $NODE_EXTRA_CA_CERTS").output.strip()
    box.run("mkdir -p /app/npmcheck && cd /app/npmcheck && npm init -y >/dev/null")
    outcome = box.run("npm install --no-audit --no-fund is-number@7.0.0", timeout=300)
    assert outcome.exit_code == 0, outcome.output[-2000:]
    assert "added 1 package" in outcome.output
    loaded = box.run("node -e \"console.log(require('is-number')(5))\"")
    assert loaded.output.strip() == "true"


def test_node_fetches_over_https_with_the_extra_ca(make_sandbox, node_image):
    box = make_sandbox()
    box.start(node_image)
    script = (
        "require('https').get('https://registry.npmjs.org/is-number',"
        " r => console.log('status', r.statusCode)).on('error', e => console.log('error', e.code))"
    )
    assert box.run(f'node -e "{script}"', timeout=120).output.strip() == "status 200"
