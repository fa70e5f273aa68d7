"""Each role's home: the task lists of the floors, composed for the roles a person holds.

A role's section is a list of task lists, each filled by one selector of the floor that owns the task
(`<app>/worklist.py`, returning `odpe.worklist.Task` items). A new kind of task is one selector there and
one line here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conventions import worklist as conventions
from dashboards import worklist as dashboards
from odpe.accounts import worklist as accounts
from odpe.accounts.roles import Role, roles_of
from odpe.worklist import Task, Urgency
from uploads import worklist as uploads
from uploads.data_requests import worklist as data_requests


@dataclass(frozen=True)
class TaskList:
    key: str  # the list's id in the page
    title: str
    tasks: list[Task]

    @property
    def is_work(self) -> bool:
        """Its items are to be done (counted on the page), not only read."""
        return any(task.urgency != Urgency.INFO for task in self.tasks)


@dataclass(frozen=True)
class RoleSection:
    role: str
    title: str
    lists: list[TaskList]

    @property
    def has_work(self) -> bool:
        """Something to do, not only to read."""
        return any(task_list.is_work for task_list in self.lists)


# Per role, in the order shown: (key, title, selector of the person and the day).
Selector = Callable[[object, date], list[Task]]
LISTS: dict[str, list[tuple[str, str, Selector]]] = {
    Role.CORRESPONDENT: [
        ("returned", _("Tables returned to you"), uploads.tables_returned_to),
        ("notices-owed", _("Notices owed to the Département, overdue"), conventions.notices_overdue),
        ("owed", _("Tables to send"), uploads.tables_owed_by),
        ("consents", _("Consent requests to answer"), dashboards.consents_asked_of),
        ("data-requests", _("Data requests to answer"), data_requests.requests_owed_by),
        (
            "my-documents",
            _("Your documents waiting for validation"),
            lambda user, today: dashboards.documents_waiting_of(user),
        ),
    ],
    Role.REFERENT: [
        ("to-review", _("Tables to review"), lambda user, today: uploads.tables_to_review()),
        ("late", _("Partners late"), lambda user, today: uploads.partners_late(today)),
        ("refused", _("Uploads refused by the checks"), lambda user, today: uploads.refused_checks(today)),
        (
            "consents-to-follow",
            _("Consents waiting or refused"),
            lambda user, today: dashboards.consents_to_follow(today),
        ),
        (
            "data-answers",
            _("Answers to data requests to review"),
            lambda user, today: data_requests.answers_to_review(),
        ),
        (
            "data-requests-overdue",
            _("Data requests overdue"),
            lambda user, today: data_requests.requests_overdue(today),
        ),
        (
            "documents-to-validate",
            _("Documents to validate"),
            lambda user, today: dashboards.documents_to_validate(),
        ),
        ("progress", _("Collection in progress"), lambda user, today: uploads.campaign_progress(today)),
        ("notices", _("Notices owed to the Département, overdue"), conventions.notices_overdue),
    ],
    Role.MEMBER: [
        ("meetings", _("Next meetings of your bodies"), conventions.next_meetings),
        ("publications", _("Latest publications"), lambda user, today: dashboards.latest_publications()),
        ("documents", _("Latest documents"), lambda user, today: dashboards.latest_documents()),
    ],
    Role.ADMIN: [
        (
            "conventions-ending",
            _("Conventions ending within 90 days"),
            lambda user, today: conventions.conventions_ending(today),
        ),
        (
            "withdrawals",
            _("Withdrawals taking effect"),
            lambda user, today: conventions.withdrawals_coming(today),
        ),
        (
            "invitations",
            _("Invitations not accepted yet"),
            lambda user, today: accounts.pending_invitations(timezone.now()),
        ),
        ("notices", _("Notices owed to the Département, overdue"), conventions.notices_overdue),
    ],
}
TITLES = {
    Role.CORRESPONDENT: _("As a correspondent"),
    Role.REFERENT: _("As the ODPE referent"),
    Role.MEMBER: _("As a member"),
    Role.ADMIN: _("As an administrator"),
}


def sections_for(user, today: date) -> list[RoleSection]:
    """A section per role the person holds, in the order of `LISTS`."""
    held = roles_of(user)
    return [
        RoleSection(
            role=role,
            title=TITLES[role],
            lists=[TaskList(key, title, select(user, today)) for key, title, select in lists],
        )
        for role, lists in LISTS.items()
        if role in held
    ]
