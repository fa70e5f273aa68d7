"""What waits for someone: the items of a home page's task list.

Each floor says what waits in its own domain with small selector functions (`<app>/worklist.py`), one per
kind of task, each returning `Task` items; the roof composes them into each role's home (`odpe.roof.homes`).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

SOON_DAYS = 14  # a due date this close is shown as coming soon


class Urgency(StrEnum):
    LATE = "late"  # past its date: first in the eye
    SOON = "soon"  # due within SOON_DAYS
    WAITING = "waiting"  # something to do, no date pressing
    INFO = "info"  # to read, nothing to do


@dataclass(frozen=True)
class Task:
    """One line of a task list: a link that ends where the task is done."""

    title: str
    url: str
    detail: str = ""
    due_on: date | None = None
    urgency: Urgency = Urgency.WAITING


def urgency_for(due_on: date | None, today: date) -> Urgency:
    if due_on is None:
        return Urgency.WAITING
    if due_on < today:
        return Urgency.LATE
    if (due_on - today).days <= SOON_DAYS:
        return Urgency.SOON
    return Urgency.WAITING
