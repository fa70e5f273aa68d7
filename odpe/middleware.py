from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

REPLACEMENT_CHARACTER = "\ufffd"  # what Django decodes bytes that are not UTF-8 into


class ChosenLanguageMiddleware:
    """French for everyone unless the person picked another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, and show English to
    French civil servants whose browser happens to be set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectUnreadableFormsMiddleware:
    """A form sent in another encoding than UTF-8 is refused with the 400 page: nothing is saved.

    Django decodes what a form sends with replacement: bytes that are not UTF-8 silently become
    U+FFFD (« � ») and would be saved so. Placed last, so that CSRF and sign-in are checked first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST":
            return None
        texts = (text for key, values in request.POST.lists() for text in (key, *values))
        if any(REPLACEMENT_CHARACTER in text for text in texts):
            reason = _(
                "The form holds characters that could not be read: your browser or tool did not send "
                "it in UTF-8."
            )
            return render(request, "400.html", {"reason": reason}, status=400)
        return None
