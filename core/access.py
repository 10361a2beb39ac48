"""Who may watch and retry a background job: it follows the bloc or authority it works for."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from blocs.access import blocs_visible_to, roles_of
from core.models import Job


def get_job_for_user(user, pk, *, write: bool = False) -> tuple[Job, bool]:
    """The job and whether the person may retry it; 404 when they may not see it."""
    try:
        job = Job.objects.select_related("bloc").get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    roles = roles_of(user)
    if roles.is_admin or (job.created_by_id and job.created_by_id == user.pk):
        visible = can_write = True
    elif job.bloc_id:
        visible = blocs_visible_to(user).filter(pk=job.bloc_id).exists()
        can_write = visible and roles.can_write_bloc(job.bloc, job.year)
    elif job.authority_id:
        visible = job.authority_id in roles.readable_authority_ids
        can_write = job.authority_id in roles.writable_authority_ids
    else:
        visible = can_write = False
    if not visible:
        raise Http404
    if write and not can_write:
        raise PermissionDenied
    return job, can_write
