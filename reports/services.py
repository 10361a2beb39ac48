"""Writes of the reports app: asking for compilations, the secretariat's own text."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from blocs.models import Authority, Bloc
from core import jobs
from core.history import update_with_history
from reports.models import ReportText
from reports.rules import chunk_blocs


class ConflictError(ValidationError):
    pass


def _title(bloc: Bloc, year: int) -> str:
    return _("Lập báo cáo tổng kết năm {y} — {b}").format(y=year, b=bloc.name)


@transaction.atomic
def report_compile_request(*, actor, bloc: Bloc, year: int):
    """The job compiling this bloc-year's report: the running one if there is one."""
    return jobs.job_request(
        kind="reports.year_end",
        key=f"reports.year_end:{bloc.pk}:{year}",
        title=_title(bloc, year),
        params={"year": year, "bloc_ids": [bloc.pk]},
        actor=actor,
        bloc=bloc,
        year=year,
    )


@transaction.atomic
def report_province_request(*, actor, authority: Authority, year: int, units_per_task: int = 40):
    """A group job compiling every bloc of the authority that has members that year, chunked."""
    blocs = list(Bloc.objects.filter(authority=authority).order_by("pk"))
    return report_batch_request(
        actor=actor,
        blocs=blocs,
        year=year,
        key=f"reports.province:{authority.pk}:{year}",
        title=_("Lập báo cáo tổng kết năm {y} của các khối, cụm — {a}").format(
            y=year, a=authority.name
        ),
        authority=authority,
        units_per_task=units_per_task,
    )


@transaction.atomic
def report_batch_request(
    *, actor, blocs, year: int, key: str, title: str, authority=None, units_per_task: int = 40
):
    """A group job compiling the reports of ``blocs`` (those with members that year), in tasks of
    about ``units_per_task`` units; asking again while it runs returns the same group."""
    sizes = list(
        Bloc.objects.filter(pk__in=[b.pk for b in blocs])
        .annotate(members=Count("memberships", filter=Q(memberships__year=year)))
        .filter(members__gt=0)
        .order_by("pk")
        .values_list("pk", "members")
    )
    if not sizes:
        raise ValidationError(_("Năm {y} chưa có khối, cụm nào có thành viên.").format(y=year))
    group = jobs.group_request(key=key, title=title, actor=actor, authority=authority, year=year)
    if group.children.exists():
        return group  # already asked and still running
    for number, chunk in enumerate(chunk_blocs(sizes, units_per_task=units_per_task), start=1):
        jobs.job_request(
            kind="reports.year_end",
            key=f"{key}:{group.pk}:{number}",
            title=_("Phần {n}: {k} khối, cụm").format(n=number, k=len(chunk)),
            params={"year": year, "bloc_ids": chunk},
            actor=actor,
            authority=authority,
            year=year,
            parent=group,
        )
    return group


@transaction.atomic
def report_text_save(
    *, actor, bloc: Bloc, year: int, version: int | None, overview: str, direction: str
) -> ReportText:
    values = {"overview": overview.strip(), "direction": direction.strip()}
    if version is None:
        if ReportText.objects.filter(bloc=bloc, year=year).exists():
            raise ConflictError(_("Người khác vừa lưu nội dung này; hãy kiểm tra rồi lưu lại."))
        text = ReportText(bloc=bloc, year=year, **values)
        text._history_user = actor
        text.save()
        return text
    updated = update_with_history(
        ReportText.objects.filter(bloc=bloc, year=year, version=version),
        actor=actor,
        **values,
        version=F("version") + 1,
    )
    if not updated:
        raise ConflictError(_("Người khác vừa lưu nội dung này; hãy kiểm tra rồi lưu lại."))
    return ReportText.objects.get(bloc=bloc, year=year)
