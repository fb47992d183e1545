# Sourced by scripts/test and scripts/demo: a virtualenv with the project, and a Docker engine with
# base images (installed and started if absent; a dockerd started here is stopped again on exit).
prepare_environment() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  local python=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  if .venv/bin/python -c 'from engine.docker_connection import connect_docker; connect_docker(timeout=5)' 2>/dev/null; then
    docker_was_running=1
  else
    docker_was_running=0
  fi
  if [ "$docker_was_running" = 0 ]; then
    trap '.venv/bin/execagent-tui daemon stop' EXIT
  fi
  if [ "$(id -u)" = 0 ]; then
    .venv/bin/execagent-tui doctor --fix
  else
    .venv/bin/execagent-tui doctor
  fi
}
