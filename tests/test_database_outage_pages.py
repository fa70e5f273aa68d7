"""While the database cannot be reached, every page answers the French 503, whatever Django calls it."""

import psycopg
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import OperationalError

from odpe.views import bad_request


def session_save_during_an_outage() -> SessionInterrupted:
    """What SessionMiddleware raises when saving the session meets a lost connection: the database
    session store turns the DatabaseError into UpdateError, the middleware that into SessionInterrupted."""
    try:
        try:
            try:
                try:
                    raise psycopg.OperationalError("connection refused")  # no SQLSTATE: no connection
                except psycopg.OperationalError as lost:
                    raise OperationalError("connection refused") from lost
            except OperationalError:
                raise UpdateError  # noqa: B904 -- as Django's session store raises it
        except UpdateError:
            raise SessionInterrupted("The request's session was deleted before the request completed.")  # noqa: B904
    except SessionInterrupted as error:
        return error


def test_a_session_that_could_not_be_saved_during_an_outage_gets_the_unavailable_page(rf):
    response = bad_request(rf.get("/"), session_save_during_an_outage())

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "indisponible" in response.content.decode().lower()


@pytest.mark.django_db
def test_a_request_django_cannot_read_still_gets_the_bad_request_page(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    response = bad_request(request, SessionInterrupted("deleted by a sign-out elsewhere"))

    assert response.status_code == 400
