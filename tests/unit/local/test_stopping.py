"""`python -m local`'s Ctrl-C: the first stops the stack in order, a second at once."""

import signal

import pytest

from local.__main__ import StopRequests


class EndedError(Exception):
    pass


def end_now(status: int) -> None:
    raise EndedError(status)


def test_the_first_ctrl_c_asks_the_stack_to_stop() -> None:
    stop = StopRequests(end_now)

    stop(signal.SIGINT, None)

    assert stop.requested.is_set()


def test_a_second_ctrl_c_while_it_stops_ends_the_process_at_once() -> None:
    # Given a stack stopping after a first Ctrl-C
    stop = StopRequests(end_now)
    stop(signal.SIGINT, None)
    # When a second comes  Then the process ends, with the shell's status for SIGINT
    with pytest.raises(EndedError) as ended:
        stop(signal.SIGINT, None)
    assert ended.value.args == (130,)
