from allauth.account.adapter import DefaultAccountAdapter

from odpe import audit
from odpe.audit import Actor


class InvitationOnlyAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: accounts come from an admin's invitation."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        super().login(request, user)
        audit.record(Actor.from_request(request), "user.signed_in", user)
