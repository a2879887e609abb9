"""The scripted SMS transport: ``FAIL_TIMES[recipient]`` failures first (-1: always fails), then success.
``SIGNAL_ON[recipient]`` makes a successful send also signal this process (an operator's SIGTERM or Ctrl-C)."""

from __future__ import annotations

import os

from core.plugins import hookimpl

FAIL_TIMES: dict[str, int] = {}
SIGNAL_ON: dict[str, int] = {}
CALLS: list[tuple[str, str, str]] = []
SENT: list[tuple[str, str, str]] = []


def reset() -> None:
    FAIL_TIMES.clear()
    SIGNAL_ON.clear()
    CALLS.clear()
    SENT.clear()


def send_sms(recipient: str, subject: str, body: str) -> None:
    CALLS.append((recipient, subject, body))
    left = FAIL_TIMES.get(recipient, 0)
    if left != 0:
        if left > 0:
            FAIL_TIMES[recipient] = left - 1
        raise ConnectionError(f"gateway refused {recipient}")
    SENT.append((recipient, subject, body))
    if recipient in SIGNAL_ON:
        os.kill(os.getpid(), SIGNAL_ON[recipient])


@hookimpl
def register_notification_transports():
    return {"sms": send_sms}
