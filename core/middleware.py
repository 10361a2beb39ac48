import time

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
        try:
            response = self.get_response(request)
        finally:
            # The thread serves the next request (or a task) in whatever language that one needs.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class IdleTimeoutMiddleware:
    """Sign people out after SESSION_COOKIE_AGE of inactivity without writing the session each request.

    Django's SESSION_SAVE_EVERY_REQUEST would cost a write per page; refreshing the expiry once every
    few minutes keeps the idle timeout (to within that interval) for a fraction of the writes.
    """

    REFRESH_SECONDS = 300

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_seen", 0) >= self.REFRESH_SECONDS:
                session["_seen"] = now
        return self.get_response(request)
