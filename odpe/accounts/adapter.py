from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit

from odpe import audit
from odpe.audit import Actor


class InvitationOnlyAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: accounts come from an admin's invitation."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        super().login(request, user)
        audit.record(Actor.from_request(request), "user.signed_in", user)

    def pre_authenticate(self, request, **credentials):
        """Failed sign-ins are counted per account from anywhere (allauth's « login_failed », keyed on the
        e-mail tried), per account from this address and per address over every account
        (« login_failed_address »). Counting only per address let five wrong passwords for made-up
        e-mails lock out everyone behind the same address. A successful sign-in takes its attempt back
        from every count."""
        account = self._get_login_attempts_cache_key(request, **credentials)
        usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_address",
            key=f"{account}@{self.get_client_ip(request)}",
        )
        if usage is None:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)
        self._login_failed_rl_usage.usage.extend(usage.usage)

    def validation_error(self, code, *args):
        """Too many failed sign-ins (passwords or second-factor codes) get the French 429 page, like
        every other limit, rather than a line above the form."""
        if code == "too_many_login_attempts":
            raise ImmediateHttpResponse(ratelimit.respond_429(context.request))
        return super().validation_error(code, *args)
