"""Email reminders before deadlines and the secretariat's daily digest (Celery beat, daily).

Each app that has deadlines registers a source in its ``reminders.py`` (imported on first use)::

    @reminder_source("scoring.report_deadline")
    def report_deadlines(today):
        yield Reminder(key=..., to=[...], subject=..., body=..., bloc_id=..., digest_line=...)

``key`` names the reminder once and for all (the deadline, the unit, the stage from
``core.reminder_rules.reminder_stage``): a key already in ``SentReminder`` is never sent again, so
the task can run as often as it likes. A reminder with a ``digest_line`` also appears in the daily
digest of the secretariat of its bloc (those with a secretariat role for the bloc, its year, or
its authority).
"""

import datetime as dt
import importlib
import importlib.util
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation

from core.models import SentReminder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str
    to: tuple[str, ...]
    subject: str
    body: str
    kind: str = ""
    bloc_id: int | None = None
    year: int | None = None
    digest_line: str = ""


Source = Callable[[dt.date], Iterable[Reminder]]
_SOURCES: dict[str, Source] = {}
REMINDER_APPS = ("blocs", "pledges", "scoring", "awards", "reports")
_loaded = False


def _load() -> None:
    """Import every app's reminders.py, so the sources are known in whatever process runs."""
    global _loaded
    if _loaded:
        return
    for app in REMINDER_APPS:
        if importlib.util.find_spec(app) and importlib.util.find_spec(f"{app}.reminders"):
            importlib.import_module(f"{app}.reminders")
    _loaded = True


def reminder_source(kind: str):
    def register(function: Source) -> Source:
        _SOURCES[kind] = function
        return function

    return register


def _send_once(*, key: str, kind: str, to, subject: str, body: str) -> bool:
    """Record first, then send: a crash between the two loses one email, never sends two."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return False
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                key=key[:200], kind=kind, subject=subject[:300], recipients=", ".join(recipients)
            )
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False  # sent before
    except Exception:
        # The mail server refused: the record is rolled back with it, so the next run retries.
        log.warning("reminder %s could not be sent", key, exc_info=True)
        return False
    return True


def site_url(path: str) -> str:
    """An absolute link for an email (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def _digest_recipients(bloc_ids) -> dict[int, set[str]]:
    """bloc id → e-mail addresses of the people who run it."""
    from django.db.models import Q

    from blocs.models import Bloc, Role

    blocs = dict(Bloc.objects.filter(pk__in=bloc_ids).values_list("pk", "authority_id"))
    roles = Role.objects.filter(kind=Role.Kind.SECRETARIAT).filter(
        Q(bloc_id__in=blocs) | Q(bloc__isnull=True, authority_id__in=set(blocs.values()))
    )
    found = defaultdict(set)
    for bloc_id, authority_id, email in roles.values_list("bloc_id", "authority_id", "user__email"):
        if not email:
            continue
        if bloc_id:
            found[bloc_id].add(email)
        else:
            for pk, authority in blocs.items():
                if authority == authority_id:
                    found[pk].add(email)
    return found


def send_due(*, today: dt.date) -> dict:
    """Send every reminder due today that has not gone out, then the digests. Returns counts."""
    _load()
    sent = 0
    digest = defaultdict(list)  # address → lines
    with translation.override(settings.LANGUAGE_CODE):
        due = [reminder for source in _SOURCES.values() for reminder in source(today)]
        for reminder in due:
            if _send_once(
                key=reminder.key,
                kind=reminder.kind,
                to=reminder.to,
                subject=reminder.subject,
                body=reminder.body,
            ):
                sent += 1
        with_lines = [r for r in due if r.digest_line and r.bloc_id]
        addresses = _digest_recipients({r.bloc_id for r in with_lines})
        for reminder in with_lines:
            for address in addresses.get(reminder.bloc_id, ()):
                digest[address].append(reminder.digest_line)
        digests = 0
        for address, lines in digest.items():
            body = _digest_body(today, lines)
            if _send_once(
                key=f"digest:{address}:{today.isoformat()}",
                kind="digest",
                to=[address],
                subject=f"[thiduea] Việc cần theo dõi ngày {today:%d/%m/%Y}",
                body=body,
            ):
                digests += 1
    return {"reminders": sent, "digests": digests}


def _digest_body(today: dt.date, lines: list[str]) -> str:
    unique = list(dict.fromkeys(lines))
    items = "\n".join(f"- {line}" for line in unique)
    return (
        f"Kính gửi đồng chí,\n\nNhững việc của các khối, cụm thi đua đồng chí theo dõi cần lưu ý "
        f"ngày {today:%d/%m/%Y}:\n\n{items}\n\nThư gửi tự động từ hệ thống thiduea."
    )
