"""Who may read and compile year-end reports: the bloc's readers read, its secretariat compiles."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from blocs.access import get_bloc_for_user, roles_of
from blocs.models import Authority
from reports.models import YearEndReport


def get_report_for_user(user, pk) -> YearEndReport:
    try:
        report = YearEndReport.objects.select_related("bloc", "pdf", "docx", "xlsx").get(pk=pk)
    except (YearEndReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_bloc_for_user(user, report.bloc_id)
    return report


def get_authority_for_batch(user, pk, *, write: bool = False) -> tuple[Authority, bool]:
    """The authority whose blocs are compiled together: its staff only."""
    roles = roles_of(user)
    try:
        authority = Authority.objects.get(pk=pk)
    except (Authority.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    readable = roles.is_admin or authority.pk in roles.readable_authority_ids
    if not readable:
        raise Http404
    can_write = roles.is_admin or authority.pk in roles.writable_authority_ids
    if write and not can_write:
        raise PermissionDenied
    return authority, can_write
