"""Starts a sandbox, prints its container name and waits: a stand-in for a run that gets killed."""

import sys
import time
import uuid

from engine.docker_connection import connect_docker
from engine.sandbox.live_registry import install_signal_cleanup
from engine.sandbox.sandbox import Sandbox

if __name__ == "__main__":
    install_signal_cleanup()
    sandbox = Sandbox(connect_docker(), f"holder-{uuid.uuid4().hex[:8]}", "holder")
    sandbox.start(sys.argv[1])
    if len(sys.argv) > 2 and sys.argv[2] == "--snapshot":
        sandbox.snapshot()
    print(sandbox.container_name, flush=True)
    while True:
        time.sleep(0.2)
