"""Permission-matrix rows of the reports app (see tests/test_permission_matrix.py)."""

from tests.conftest import THIS_YEAR

L = "login"


def setup(world):
    from core import jobs
    from reports import services

    job = services.report_compile_request(
        actor=world.users["secretariat_x"], bloc=world.bloc_x, year=THIS_YEAR
    )
    jobs.run(job.pk, task_id="matrix")
    world.report = world.bloc_x.year_end_reports.get()


# Personas: anonymous, officer_a, officer_b, secretariat_x, secretariat_y, secretariat_authority,
# chair_this_year, chair_last_year, reviewer, admin, secretariat_x_last_year.
MATRIX = {
    # Everyone who sees the bloc reads its reports; its secretariat of the year compiles.
    "reports:dashboard": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "reports:report_list": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "reports:report_compile": (
        "post",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "reports:report_text": (
        "get",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "reports:report_download": (
        "get",
        lambda w: {"pk": w.report.pk, "fmt": "xlsx"},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    # The province-wide batch belongs to the authority's staff.
    "reports:province_reports": (
        "get",
        lambda w: {"pk": w.authority.pk, "year": THIS_YEAR},
        None,
        [L, 404, 404, 404, 404, 200, 404, 404, 200, 200, 404],
    ),
    "reports:province_compile": (
        "post",
        lambda w: {"pk": w.authority.pk, "year": THIS_YEAR},
        None,
        [L, 404, 404, 404, 404, 302, 404, 404, 403, 302, 404],
    ),
}

WRITE_ATTEMPTS = [
    (
        "reports:report_text",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        lambda w: {"overview": "Ghi trái phép", "direction": ""},
    ),
    (
        "reports:report_compile",
        lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR},
        lambda w: {},
    ),
]
