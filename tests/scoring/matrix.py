"""Permission-matrix rows of the scoring app (see tests/test_permission_matrix.py), by hand.

The world's bloc X in this year (members A, C, D) has a criteria table (frozen by A's first self
score), an open year-end period, and unit A's report in draft with its written report file, one
self score and one evidence file. Cross-scoring is off. Nothing is published, so the members
(A's officer, the chair representatives of C and D) may not read the grid or the ranking yet.

Personas, in order: anonymous, officer_a, officer_b, secretariat_x, secretariat_y,
secretariat_authority, chair_this_year (C), chair_last_year (D), reviewer, admin,
secretariat_x_last_year.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from scoring import services
from tests.conftest import THIS_YEAR
from tests.scoring.factories import build_table, evidence_file, open_period

L = "login"

# Who sees bloc X's scoring this year: its members' people and the whole-bloc readers.
READ_X = [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200]
# Forms of the bloc-year's secretariat: the others who see it get 403.
WRITE_X = [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403]
WRITE_X_POST = [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403]
# Results before publication: the whole-bloc readers only.
RESULTS_X = [L, 403, 404, 200, 404, 200, 403, 403, 200, 200, 200]
# Unit A's report: A's people and the whole-bloc readers; never another member unit.
READ_REPORT = [L, 200, 404, 200, 404, 200, 404, 404, 200, 200, 200]
# Writing on A's report: A's officer and the secretariat of this year.
WRITE_REPORT = [L, 200, 404, 200, 404, 200, 404, 404, 403, 200, 403]
WRITE_REPORT_POST = [L, 302, 404, 302, 404, 302, 404, 404, 403, 302, 403]
# Acts of the secretariat on the report (A's officer may not accept or return it).
SECRETARIAT_REPORT = [L, 403, 404, 200, 404, 200, 404, 404, 403, 200, 403]
SECRETARIAT_REPORT_POST = [L, 403, 404, 302, 404, 302, 404, 404, 403, 302, 403]


def setup(world):
    w = world
    secretariat = w.users["secretariat_x"]
    w.criteria_table, w.leaves = build_table(secretariat, w.bloc_x)
    w.period = open_period(secretariat, w.bloc_x, w.criteria_table)
    officer = w.users["officer_a"]
    w.report_a = services.report_start(actor=officer, period=w.period, unit=w.unit_a)
    w.report_a = services.report_update(
        actor=officer,
        report=w.report_a,
        version=w.report_a.version,
        text="Báo cáo tổng kết năm của đơn vị.",
        upload=SimpleUploadedFile("bao-cao.pdf", evidence_file().read(), "application/pdf"),
    )
    w.leaf = w.leaves["I.1"]
    services.self_score_save(
        actor=officer, report=w.report_a, criterion=w.leaf, points="30", comment="", version=None
    )
    w.evidence_a = services.evidence_add(
        actor=officer, report=w.report_a, upload=evidence_file(), criterion=w.leaf
    )
    w.criteria_table.refresh_from_db()


def _x(w):
    return {"pk": w.bloc_x.pk, "year": THIS_YEAR}


def _table(w):
    return {"pk": w.criteria_table.pk}


def _period(w):
    return {"pk": w.period.pk}


def _report(w):
    return {"pk": w.report_a.pk}


def _cell(w):
    return {"pk": w.report_a.pk, "criterion": w.leaf.pk}


MATRIX = {
    "scoring:bloc_year": ("get", _x, None, READ_X),
    "scoring:settings_edit": ("get", _x, None, WRITE_X),
    "scoring:table_create": ("get", _x, None, WRITE_X),
    "scoring:table_copy_previous": ("post", _x, None, WRITE_X_POST),
    "scoring:period_create": ("get", _x, None, WRITE_X),
    "scoring:table_copy": (
        "post",
        _x,
        lambda w: {"source": w.criteria_table.pk},
        WRITE_X_POST,
    ),
    "scoring:ranking": ("get", _x, None, RESULTS_X),
    "scoring:ranking_compute": ("post", _x, None, WRITE_X_POST),
    "scoring:table_detail": ("get", _table, None, READ_X),
    "scoring:table_edit": ("get", _table, None, WRITE_X),
    "scoring:criterion_add": (
        "get",
        _table,
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "scoring:table_freeze": ("post", _table, None, WRITE_X_POST),
    "scoring:table_new_version": ("get", _table, None, WRITE_X),
    "scoring:table_import": ("get", _table, None, WRITE_X),
    "scoring:criterion_edit": ("get", lambda w: {"pk": w.leaf.pk}, None, WRITE_X),
    "scoring:criterion_remove": ("post", lambda w: {"pk": w.leaf.pk}, None, WRITE_X_POST),
    "scoring:period_detail": ("get", _period, None, READ_X),
    "scoring:period_dates": ("post", _period, None, WRITE_X_POST),
    "scoring:period_use_table": (
        "post",
        _period,
        lambda w: {"table": w.criteria_table.pk},
        WRITE_X_POST,
    ),
    "scoring:period_open": ("post", _period, None, WRITE_X_POST),
    "scoring:period_close": ("post", _period, None, WRITE_X_POST),
    "scoring:period_publish": ("post", _period, None, WRITE_X_POST),
    "scoring:period_reopen": ("post", _period, None, WRITE_X_POST),
    # Opening a unit's report: its officers and the secretariat who enters a paper report.
    "scoring:report_for_unit": (
        "get",
        lambda w: {"pk": w.period.pk, "unit": w.unit_a.pk},
        None,
        [L, 302, 404, 302, 404, 302, 404, 404, 404, 302, 404],
    ),
    "scoring:score_grid": ("get", _period, None, RESULTS_X),
    "scoring:report_detail": ("get", _report, None, READ_REPORT),
    "scoring:report_text": ("get", _report, None, WRITE_REPORT_POST),
    "scoring:report_file": ("get", _report, None, READ_REPORT),
    "scoring:cell_save": ("get", _cell, None, WRITE_REPORT),
    "scoring:verified_save": (
        "get",
        _cell,
        None,
        [L, 302, 404, 302, 404, 302, 404, 404, 302, 302, 302],
    ),
    "scoring:evidence_add": ("post", _report, None, WRITE_REPORT_POST),
    # An incomplete report: sending it answers with the list of what is missing.
    "scoring:report_submit": (
        "post",
        _report,
        None,
        [L, 422, 404, 422, 404, 422, 404, 404, 403, 422, 403],
    ),
    "scoring:report_return": ("get", _report, None, SECRETARIAT_REPORT),
    "scoring:report_accept": ("post", _report, None, SECRETARIAT_REPORT_POST),
    "scoring:report_sheet": ("get", _report, None, READ_REPORT),
    "scoring:report_sheet_upload": ("get", _report, None, WRITE_REPORT),
    "scoring:evidence_download": ("get", lambda w: {"pk": w.evidence_a.pk}, None, READ_REPORT),
    "scoring:evidence_remove": ("post", lambda w: {"pk": w.evidence_a.pk}, None, WRITE_REPORT_POST),
    "scoring:unit_reports": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
}

# Read-only people who send the form anyway: refused, and nothing changes.
WRITE_ATTEMPTS = [
    (
        "scoring:cell_save",
        _cell,
        lambda w: {"points": "1", "comment": "Trái phép", "version": 1},
        ("reviewer", "secretariat_x_last_year"),
    ),
    (
        "scoring:verified_save",
        _cell,
        lambda w: {"points": "1", "reason": "Trái phép"},
        ("officer_a", "reviewer", "secretariat_x_last_year"),
    ),
    (
        "scoring:settings_edit",
        _x,
        lambda w: {"version": 0, "cross_scoring": "on", "vetoed_units": "remove", "tie_break": ""},
        ("officer_a", "chair_this_year", "reviewer", "secretariat_x_last_year"),
    ),
    (
        "scoring:report_return",
        _report,
        lambda w: {"reason": "Trái phép"},
        ("officer_a", "reviewer", "secretariat_x_last_year"),
    ),
    (
        "scoring:period_close",
        _period,
        lambda w: {},
        ("officer_a", "chair_this_year", "reviewer", "secretariat_x_last_year"),
    ),
]
