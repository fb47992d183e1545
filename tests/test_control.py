"""The control channel as another thread uses it: pause, guidance, stop, force-exit, confirm."""

from __future__ import annotations

import threading
import time

import pytest

from engine.control import ControlChannel, PendingCommand


def in_thread(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_pause_blocks_until_resume() -> None:
    control = ControlChannel()
    control.pause()
    released: list[float] = []
    waiter = in_thread(lambda: (control.wait_while_paused(poll=0.05), released.append(time.monotonic())))
    time.sleep(0.3)
    assert released == []
    resumed_at = time.monotonic()
    control.resume()
    waiter.join(timeout=2)
    assert released and released[0] >= resumed_at


def test_stop_ends_a_pause() -> None:
    control = ControlChannel()
    control.pause()
    waiter = in_thread(lambda: control.wait_while_paused(poll=0.05))
    control.stop()
    waiter.join(timeout=2)
    assert not waiter.is_alive()
    assert control.stop_requested


def test_guidance_and_shell_input_are_delivered_once() -> None:
    control = ControlChannel()
    control.inject_guidance("use python 3.11")
    control.inject_guidance("   ")
    control.human_shell_input("pip list")
    assert control.take_guidance() == ["use python 3.11"]
    assert control.take_guidance() == []
    assert control.take_shell_inputs() == ["pip list"]
    assert control.take_shell_inputs() == []


def test_force_exit_is_taken_once() -> None:
    control = ControlChannel()
    control.force_exit()
    assert control.take_force_exit() is True
    assert control.take_force_exit() is False


def decide_from_thread(control: ControlChannel, decide) -> threading.Thread:
    def answer() -> None:
        pending = control.wait_for_pending(timeout=5)
        assert pending is not None
        decide(pending)

    return in_thread(answer)


def test_confirm_handshake_approve_edit_reject() -> None:
    control = ControlChannel(confirm_mode=True)
    command = PendingCommand(name="linux_terminal", args={"command": "rm -rf build"})

    decide_from_thread(control, lambda _p: control.approve())
    assert control.propose(command, poll=0.05).kind == "approve"

    decide_from_thread(control, lambda _p: control.edit({"command": "ls build"}))
    edited = control.propose(command, poll=0.05)
    assert (edited.kind, edited.args) == ("edit", {"command": "ls build"})

    decide_from_thread(control, lambda p: control.reject(f"do not delete ({p.args['command']})"))
    rejected = control.propose(command, poll=0.05)
    assert (rejected.kind, rejected.reason) == ("reject", "do not delete (rm -rf build)")
    assert control.pending is None


def test_a_stop_while_waiting_for_a_decision_ends_the_wait() -> None:
    control = ControlChannel(confirm_mode=True)
    in_thread(lambda: (control.wait_for_pending(timeout=5), control.stop()))
    assert control.propose(PendingCommand(name="read_file"), poll=0.05) is None


def test_turning_confirm_mode_off_lets_the_waiting_command_through() -> None:
    control = ControlChannel(confirm_mode=True)
    in_thread(lambda: (control.wait_for_pending(timeout=5), control.set_confirm_mode(False)))
    assert control.propose(PendingCommand(name="read_file"), poll=0.05).kind == "approve"
    assert control.confirm_mode is False


def test_deciding_with_nothing_pending_is_an_error() -> None:
    control = ControlChannel()
    try:
        control.approve()
    except RuntimeError as error:
        assert "no command is waiting" in str(error)
    else:
        raise AssertionError("approve() without a pending command should fail")


def test_a_proposal_is_announced_numbered_before_the_wait_and_may_be_decided_at_once() -> None:
    control = ControlChannel(confirm_mode=True)
    announced: list[PendingCommand] = []

    def announce_and_approve(pending: PendingCommand) -> None:
        announced.append(pending)
        assert control.pending == pending  # already waiting when announced
        control.approve()  # a display may decide from inside the announcement

    command = PendingCommand(name="linux_terminal", args={"command": "make"})
    assert control.propose(command, poll=0.05, on_proposed=announce_and_approve).kind == "approve"
    assert control.propose(command, poll=0.05, on_proposed=announce_and_approve).kind == "approve"
    assert [(p.name, p.args, p.seq) for p in announced] == [
        ("linux_terminal", {"command": "make"}, 1),
        ("linux_terminal", {"command": "make"}, 2),
    ]
    assert control.pending is None


def test_a_failing_announcement_leaves_nothing_pending() -> None:
    control = ControlChannel(confirm_mode=True)

    def broken(_pending: PendingCommand) -> None:
        raise RuntimeError("display crashed")

    with pytest.raises(RuntimeError, match="display crashed"):
        control.propose(PendingCommand(name="read_file"), on_proposed=broken)
    assert control.pending is None
