"""The job machinery without a worker: claiming, idempotency, the sweep, progress pages."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import FrozenDocument, Job
from tests.conftest import THIS_YEAR
from tests.core import job_handlers  # noqa: F401  (registers the test handlers)


def request_job(world, kind="test.steps", key="k", **params):
    return jobs.job_request(
        kind=kind,
        key=key,
        title="Báo cáo tổng kết năm",
        params=params,
        actor=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
    )


def test_a_job_is_recorded_first_and_queued_only_after_commit(
    world, django_capture_on_commit_callbacks
):
    with mock.patch.object(jobs, "enqueue") as enqueue:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            job = request_job(world)
        assert Job.objects.get().state == Job.State.PENDING
        enqueue.assert_not_called()
        for callback in callbacks:
            callback()
        enqueue.assert_called_once_with(job.pk)


def test_asking_again_while_a_job_is_active_returns_the_same_job(world):
    first = request_job(world)
    assert request_job(world) == first
    Job.objects.filter(pk=first.pk).update(state=Job.State.DONE)
    assert request_job(world) != first
    assert Job.objects.count() == 2


def test_the_database_allows_one_active_job_per_key(world):
    from django.db import IntegrityError, transaction

    request_job(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test.steps", key="k", title="x")


def test_a_run_finishes_once_and_a_second_copy_of_the_message_is_skipped(world):
    job = request_job(world)
    assert jobs.run(job.pk, task_id="t1") == "done"
    assert jobs.run(job.pk, task_id="t2") == "skipped"
    job.refresh_from_db()
    assert (job.state, job.progress, job.attempts) == (Job.State.DONE, 100, 1)
    assert FrozenDocument.objects.count() == 1


def test_a_running_job_with_a_fresh_heartbeat_is_not_taken_over(world):
    job = request_job(world)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, task_id="t1", heartbeat_at=timezone.now()
    )
    assert jobs.run(job.pk, task_id="t2") == "skipped"
    # ...except by the redelivered copy of the message that was running when its worker died.
    assert jobs.run(job.pk, task_id="t1", redelivered=True) == "done"


def test_a_stale_run_is_taken_over_and_still_yields_one_result(world):
    job = request_job(world)
    old = timezone.now() - jobs.stale_after() - dt.timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, task_id="dead", heartbeat_at=old)
    assert jobs.run(job.pk, task_id="t2") == "done"
    assert jobs.run(job.pk, task_id="t3") == "skipped"
    assert FrozenDocument.objects.count() == 1


def test_a_handler_refusal_is_shown_as_it_is_and_a_crash_as_a_calm_message(world):
    refused = request_job(world, kind="test.refuses", key="a")
    crashed = request_job(world, kind="test.crashes", key="b")
    assert jobs.run(refused.pk, task_id="t") == "failed"
    assert jobs.run(crashed.pk, task_id="u") == "failed"
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert refused.message == "Chưa có bảng điểm đã thẩm định."
    assert "Làm lại" in crashed.message and "boom" not in crashed.message


def test_a_failed_job_can_be_retried_and_then_finishes(world):
    job = request_job(world, kind="test.refuses")
    jobs.run(job.pk, task_id="t")
    Job.objects.filter(pk=job.pk).update(kind="test.steps")
    job.refresh_from_db()
    with mock.patch.object(jobs, "enqueue"):
        jobs.job_retry(job=job, actor=world.users["secretariat_x"])
    assert Job.objects.get(pk=job.pk).state == Job.State.PENDING
    assert jobs.run(job.pk, task_id="t2") == "done"
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_the_sweep_revives_dead_runs_and_requeues_pending_jobs(world):
    now = timezone.now()
    dead = request_job(world, key="dead")
    waiting = request_job(world, key="waiting")
    fresh = request_job(world, key="fresh")
    Job.objects.filter(pk=dead.pk).update(
        state=Job.State.RUNNING, heartbeat_at=now - dt.timedelta(minutes=5)
    )
    Job.objects.filter(pk=waiting.pk).update(created_at=now - dt.timedelta(minutes=2))
    Job.objects.filter(pk=fresh.pk).update(queued_at=now)
    with mock.patch.object(jobs, "enqueue", return_value=True) as enqueue:
        counts = jobs.sweep(now=now)
    assert counts == {"revived": 1, "requeued": 2}
    assert sorted(call.args[0] for call in enqueue.call_args_list) == sorted([dead.pk, waiting.pk])
    assert Job.objects.get(pk=dead.pk).state == Job.State.PENDING


def test_enqueueing_never_raises_when_the_broker_is_unreachable(world):
    job = request_job(world)
    with mock.patch("core.tasks.run_job.apply_async", side_effect=OSError("Connection refused")):
        assert jobs.enqueue(job.pk) is False
    assert Job.objects.get(pk=job.pk).queued_at is None


def test_a_group_reports_the_progress_of_its_parts(world):
    group = jobs.group_request(key="g", title="Cả tỉnh", authority=world.authority, year=THIS_YEAR)
    parts = [
        jobs.job_request(kind="test.steps", key=f"p{n}", title=f"Phần {n}", parent=group)
        for n in range(4)
    ]
    jobs.run(parts[0].pk, task_id="a")
    group.refresh_from_db()
    assert (group.state, group.progress) == (Job.State.RUNNING, 25)
    assert group.step == "1/4 phần đã xong"
    for n, part in enumerate(parts[1:]):
        jobs.run(part.pk, task_id=f"b{n}")
    group.refresh_from_db()
    assert (group.state, group.progress) == (Job.State.DONE, 100)


def test_the_progress_bar_polls_while_active_and_stops_when_done(world, login):
    job = request_job(world)
    client = login(world.users["secretariat_x"])
    url = reverse("job_status", args=[job.pk])
    page = client.get(url).content.decode()
    assert "<h1>Báo cáo tổng kết năm</h1>" in page and 'hx-trigger="every 2s"' in page
    jobs.run(job.pk, task_id="t")
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in fragment and "hx-trigger" not in fragment and "Đã xong" in fragment


def test_the_secretariat_sees_a_failure_with_a_retry_button_and_others_do_not(world, login):
    job = request_job(world, kind="test.refuses")
    jobs.run(job.pk, task_id="t")
    url = reverse("job_status", args=[job.pk])
    assert "Làm lại" in login(world.users["secretariat_x"]).get(url).content.decode()
    officer_page = login(world.users["officer_a"]).get(url).content.decode()
    assert "Chưa có bảng điểm đã thẩm định." in officer_page and "Làm lại" not in officer_page
    assert (
        login(world.users["officer_a"]).post(reverse("job_retry", args=[job.pk])).status_code == 403
    )


def test_the_job_page_has_a_fixed_query_count(world, login, django_assert_max_num_queries):
    job = request_job(world)
    client = login(world.users["secretariat_x"])
    with django_assert_max_num_queries(7):
        client.get(reverse("job_status", args=[job.pk]), headers={"HX-Request": "true"})
