from django.http import Http404


class TransitionError(Exception):
    """A move the current state does not allow; its message is a translated sentence shown as is."""


class ExplainedNotFound(Http404):
    """A 404 whose message, a translated sentence, the page shows: what is not there, and why."""
