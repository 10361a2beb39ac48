from django.conf import settings
from django.utils import translation


class InterfaceLanguageMiddleware:
    """Vietnamese unless the person chose otherwise with the language switch.

    Replaces Django's LocaleMiddleware, which would follow the browser's Accept-Language: many
    office PCs run an English Windows, and their users still expect a Vietnamese interface.
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
