"""Background jobs that are never lost and never finish twice (DESIGN §6; perf-reliability B3).

How a job lives:

1. ``job_request`` writes the ``Job`` row inside the caller's transaction and asks for the Celery
   message only after commit (``transaction.on_commit``). If Redis is down the request still
   succeeds: sending fails fast (socket timeouts of ~1 s), is logged, and the job stays pending.
   Asking again while a job with the same ``key`` is active returns that job (a partial unique
   constraint makes this hold under concurrent clicks too).
2. The worker claims the row with one conditional UPDATE (pending → running), so two copies of
   the message cannot both run it. A redelivered copy of the message that was running when its
   worker died (``acks_late`` + ``reject_on_worker_lost``) may take over at once; any other copy
   may take over only once the heartbeat is stale.
3. The handler reports progress (percent and step), which is also the heartbeat. Handlers must
   be idempotent: a run that was cut off is run again from the start and must end with one result
   (e.g. one stored version per job), never two.
4. ``sweep`` runs every minute from Celery beat: it re-queues jobs left pending (the message never
   left, or was lost) and those running with a stale heartbeat (the worker died and Redis keeps
   its message until the visibility timeout). A killed worker's job therefore runs again within
   about two minutes, not an hour.

Handlers are registered by kind with ``@job_handler("reports.year_end")`` in the app's
``jobs.py`` (found from the kind's prefix); a handler receives the
job and a ``progress(percent, step)`` callable and returns a JSON-able result. A handler raises
``JobError`` with a Vietnamese message for a failure the person can understand; anything else is
logged and shown as a generic failure with a retry button.
"""

import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Job

log = logging.getLogger(__name__)

# A pending job not picked up for this long is queued again (its message was never sent, or lost).
REQUEUE_PENDING_AFTER = dt.timedelta(seconds=60)


def stale_after() -> dt.timedelta:
    """A running job whose heartbeat is older than this is taken to be dead (settings
    JOBS_STALE_SECONDS). Handlers report progress at least every third of it."""
    return dt.timedelta(seconds=settings.JOBS_STALE_SECONDS)


Handler = Callable[[Job, Callable[[int, str], None]], dict]
_HANDLERS: dict[str, Handler] = {}


class JobError(Exception):
    """A failure to show the person as it is (a Vietnamese message)."""


def job_handler(kind: str):
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def handler_for(kind: str) -> Handler | None:
    """The handler of ``kind``; "<app>.<name>" handlers live in ``<app>/jobs.py``, imported here
    on first use so that every process (worker or not) knows them."""
    if kind not in _HANDLERS and "." in kind:
        module = f"{kind.split('.', 1)[0]}.jobs"
        if importlib.util.find_spec(kind.split(".", 1)[0]) and importlib.util.find_spec(module):
            importlib.import_module(module)
    return _HANDLERS.get(kind)


# Asking for a job -----------------------------------------------------------------------------


def job_request(
    *,
    kind: str,
    key: str,
    title: str,
    params: dict | None = None,
    actor=None,
    bloc=None,
    authority=None,
    year: int | None = None,
    parent: Job | None = None,
) -> Job:
    """The active job for ``key``, or a new pending one queued after the transaction commits."""
    existing = Job.objects.filter(key=key, state__in=Job.ACTIVE).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                key=key,
                title=title,
                params=params or {},
                created_by=actor,
                bloc=bloc,
                authority=authority,
                year=year,
                parent=parent,
            )
    except IntegrityError:
        # Someone asked for the same thing a moment ago.
        return Job.objects.get(key=key, state__in=Job.ACTIVE)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> bool:
    """Send the Celery message for a job; never raises. False when the broker is unreachable."""
    from core.tasks import run_job

    try:
        run_job.apply_async((job_id,), retry=False)
    except Exception:  # the broker is down: the sweep will send it once it is back
        log.warning("job %s: could not reach the broker; it stays pending", job_id, exc_info=True)
        return False
    Job.objects.filter(pk=job_id).update(queued_at=timezone.now())
    return True


def job_retry(*, job: Job, actor) -> Job:
    """A failed job, queued again (the same row: its history of attempts stays with it)."""
    if job.state != Job.State.FAILED:
        return job
    active = Job.objects.filter(key=job.key, state__in=Job.ACTIVE).first()
    if active:
        return active
    Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
        state=Job.State.PENDING, message="", progress=0, step="", finished_at=None
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    job.refresh_from_db()
    return job


# Running a job (in the worker) -----------------------------------------------------------------


def run(job_id: int, *, task_id: str, redelivered: bool = False) -> str:
    """Claim and run a job. Returns what happened: "done", "failed" or "skipped"."""
    now = timezone.now()
    claimable = Q(state=Job.State.PENDING) | Q(
        state=Job.State.RUNNING, heartbeat_at__lt=now - stale_after()
    )
    if redelivered:
        # The very message that was running when its worker died.
        claimable |= Q(state=Job.State.RUNNING, task_id=task_id)
    claimed = (
        Job.objects.filter(claimable, pk=job_id)
        .exclude(kind="group")
        .update(
            state=Job.State.RUNNING,
            task_id=task_id,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            message="",
        )
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    handler = handler_for(job.kind)
    mine = Job.objects.filter(pk=job_id, state=Job.State.RUNNING, task_id=task_id)

    def progress(percent: int, step: str = "") -> None:
        mine.update(
            progress=max(0, min(99, int(percent))), step=step[:300], heartbeat_at=timezone.now()
        )

    try:
        if handler is None:
            raise JobError(_("Hệ thống không biết cách làm công việc này."))
        result = handler(job, progress) or {}
    except JobError as error:
        outcome, values = "failed", {"state": Job.State.FAILED, "message": str(error)}
    except Exception:
        log.exception("job %s (%s) failed", job_id, job.kind)
        outcome = "failed"
        values = {
            "state": Job.State.FAILED,
            "message": _(
                "Có lỗi khi thực hiện. Hãy bấm “Làm lại”; nếu vẫn lỗi, báo quản trị hệ thống."
            ),
        }
    else:
        outcome = "done"
        values = {"state": Job.State.DONE, "progress": 100, "step": "", "result": result}
    mine.update(finished_at=timezone.now(), heartbeat_at=timezone.now(), **values)
    if job.parent_id:
        group_update(job.parent_id)
    return outcome


# Groups (a province-wide batch) ---------------------------------------------------------------


def group_request(*, key: str, title: str, actor=None, authority=None, year=None) -> Job:
    """A job that only gathers its children's progress (``kind="group"``, never run itself)."""
    existing = Job.objects.filter(key=key, state__in=Job.ACTIVE).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind="group",
                key=key,
                title=title,
                created_by=actor,
                authority=authority,
                year=year,
                state=Job.State.RUNNING,
                started_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
    except IntegrityError:
        return Job.objects.get(key=key, state__in=Job.ACTIVE)


def group_update(group_id: int) -> None:
    """The group's progress is the mean of its children's; it ends when they all have."""
    children = list(Job.objects.filter(parent_id=group_id).values_list("state", "progress"))
    if not children:
        return
    done = sum(1 for state, _p in children if state == Job.State.DONE)
    failed = sum(1 for state, _p in children if state == Job.State.FAILED)
    percent = sum(100 if state == Job.State.DONE else p for state, p in children) // len(children)
    values = {
        "progress": min(percent, 99),
        "step": _("{done}/{total} phần đã xong").format(done=done, total=len(children)),
        "heartbeat_at": timezone.now(),
    }
    if done + failed == len(children):
        values.update(
            state=Job.State.FAILED if failed else Job.State.DONE,
            progress=100 if not failed else percent,
            finished_at=timezone.now(),
            message=_("{n} phần bị lỗi.").format(n=failed) if failed else "",
        )
    Job.objects.filter(pk=group_id, kind="group").update(**values)


# The sweep (Celery beat) -----------------------------------------------------------------------


def sweep(*, now: dt.datetime | None = None) -> dict:
    """Queue again what was lost; returns the counts (for the log and the tests)."""
    now = now or timezone.now()
    stale = Job.objects.filter(
        state=Job.State.RUNNING, heartbeat_at__lt=now - stale_after()
    ).exclude(kind="group")
    revived = list(stale.values_list("pk", flat=True))
    # A dead run goes back to pending so that any copy of its message, or ours, may claim it.
    Job.objects.filter(
        pk__in=revived, state=Job.State.RUNNING, heartbeat_at__lt=now - stale_after()
    ).update(state=Job.State.PENDING, step=_("Chạy lại sau khi bị gián đoạn"))
    waiting = list(
        Job.objects.filter(state=Job.State.PENDING)
        .exclude(kind="group")
        .filter(
            Q(queued_at__isnull=True, created_at__lt=now - dt.timedelta(seconds=5))
            | Q(queued_at__lt=now - REQUEUE_PENDING_AFTER)
        )
        .values_list("pk", flat=True)
    )
    sent = sum(1 for pk in set(waiting) | set(revived) if enqueue(pk))
    for group_id in Job.objects.filter(kind="group", state=Job.State.RUNNING).values_list(
        "pk", flat=True
    ):
        group_update(group_id)
    return {"revived": len(revived), "requeued": sent}
