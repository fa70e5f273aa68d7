from django.conf import settings
from django.utils import translation


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
