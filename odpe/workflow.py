"""Models whose `status` moves only along their table of allowed moves, `NEXT`: one place checks a move
and applies it, for submitted versions, dashboard versions and documents alike."""

from django.utils.translation import gettext as _

from odpe.errors import TransitionError


class StatusFlow:
    """Mixed into a model with a `status` field of `Status` choices and a `NEXT` table."""

    NEXT: dict = {}

    def can_become(self, status: str) -> bool:
        return status in self.NEXT.get(self.status, set())

    def move(self, status: str, *, refusal: str = "", **fields) -> None:
        """Apply a move of `NEXT` and save it with `fields`, or raise TransitionError with `refusal`
        (a sentence with the current `%(status)s`) or, without one, a sentence naming both states."""
        if not self.can_become(status):
            message = refusal or _("This version is “%(status)s”: it cannot become “%(next)s”.")
            raise TransitionError(
                message % {"status": self.get_status_display(), "next": self.Status(status).label}
            )
        self.status = status
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=["status", *fields])
