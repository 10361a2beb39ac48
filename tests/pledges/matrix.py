"""Permission-matrix rows of the pledges app (see tests/test_permission_matrix.py), by hand.

The world's bloc X in 2026 (members A, C, D; chair C) has a plan in draft, an issued regulation
with its scan, a movement, and a pledge open for signing that D has signed on paper (with the
scan). Bloc X in 2025 (same members) has a pledge in force. Bloc Y in 2026 (members B, E) has a
pledge in draft.

Personas, in order: anonymous, officer_a, officer_b, secretariat_x, secretariat_y,
secretariat_authority, chair_this_year (C), chair_last_year (D), reviewer, admin,
secretariat_x_last_year.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from core import documents
from pledges.models import Movement, Pledge, Signature, Target, YearDocument
from tests.conftest import LAST_YEAR, THIS_YEAR

L = "login"

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def setup(world):
    w = world
    secretariat = w.users["secretariat_x"]
    w.plan_draft = YearDocument.objects.create(
        bloc=w.bloc_x,
        year=THIS_YEAR,
        kind=YearDocument.Kind.PLAN,
        title=f"Kế hoạch công tác thi đua, khen thưởng năm {THIS_YEAR}",
        theme="Kỷ cương, trách nhiệm",
        created_by=secretariat,
    )
    w.regulation_issued = YearDocument(
        bloc=w.bloc_x,
        year=THIS_YEAR,
        kind=YearDocument.Kind.REGULATION,
        state=YearDocument.State.ISSUED,
        title="Quy chế hoạt động của khối",
        reference="12/QĐ-KNC",
        issued_on=dt.date(THIS_YEAR, 2, 3),
        issuer_unit=w.unit_c,
        signer_title="Khối trưởng",
        signer_name="Giám đốc Công an tỉnh",
        scan_name="quy-che.pdf",
        scan_type="application/pdf",
        created_by=secretariat,
    )
    w.regulation_issued.scan.save("quy-che.pdf", ContentFile(PDF), save=False)
    w.regulation_issued.save()
    w.movement = Movement.objects.create(
        bloc=w.bloc_x,
        year=THIS_YEAR,
        name="Phong trào thi đua “Dân vận khéo”",
        kind=Movement.Kind.THEMATIC,
        launched_by=Movement.Launcher.AUTHORITY,
        created_by=secretariat,
    )
    w.pledge_open = Pledge.objects.create(
        bloc=w.bloc_x,
        year=THIS_YEAR,
        state=Pledge.State.OPEN,
        title=f"Bản giao ước thi đua năm {THIS_YEAR}",
        commitments=["Hoàn thành xuất sắc nhiệm vụ chính trị."],
        created_by=secretariat,
    )
    Target.objects.create(
        pledge=w.pledge_open,
        position=1,
        text="Cán bộ đạt Lao động tiên tiến",
        comparison="ge",
        value=Decimal("90"),
        measure="%",
    )
    w.signature = Signature(
        pledge=w.pledge_open,
        unit=w.unit_d,
        method=Signature.Method.PAPER,
        signer_name="Nguyễn Văn Đức",
        signer_title="Chánh án",
        signed_on=dt.date(THIS_YEAR, 3, 1),
        recorded_by=secretariat,
        scan_name="trang-ky.pdf",
        scan_type="application/pdf",
    )
    w.signature.scan.save("trang-ky.pdf", ContentFile(PDF), save=False)
    w.signature.save()
    frozen = documents.freeze(
        kind="pledges.pledge", title="Bản giao ước", content=PDF, filename="giao-uoc.pdf"
    )
    w.pledge_in_force = Pledge.objects.create(
        bloc=w.bloc_x,
        year=LAST_YEAR,
        state=Pledge.State.IN_FORCE,
        in_force_on=dt.date(LAST_YEAR, 3, 15),
        title=f"Bản giao ước thi đua năm {LAST_YEAR}",
        document=frozen,
        created_by=secretariat,
    )
    w.target_in_force = Target.objects.create(
        pledge=w.pledge_in_force, position=1, text="Không có vụ vi phạm", kind="qualitative"
    )
    w.pledge_draft = Pledge.objects.create(
        bloc=w.bloc_y,
        year=THIS_YEAR,
        title=f"Bản giao ước thi đua năm {THIS_YEAR}",
        created_by=w.users["secretariat_y"],
    )


def _x(w):
    return {"pk": w.bloc_x.pk, "year": THIS_YEAR}


READ_X = [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200]
WRITE_X_GET = [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403]
WRITE_X_POST = [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403]

MATRIX = {
    # Plan, regulation, movements: read by whoever reads the bloc-year; drafted by its secretariat.
    "pledges:plan_page": ("get", _x, None, READ_X),
    "pledges:plan_copy": ("post", _x, None, WRITE_X_POST),
    "pledges:year_document_create": (
        "get",
        lambda w: {**_x(w), "kind": "plan"},
        None,
        WRITE_X_GET,
    ),
    "pledges:year_document_edit": ("get", lambda w: {"pk": w.plan_draft.pk}, None, WRITE_X_GET),
    # Issued by the representative of that year's chair unit (C in 2026), not by the secretariat.
    "pledges:year_document_issue": (
        "get",
        lambda w: {"pk": w.plan_draft.pk},
        None,
        [L, 403, 404, 403, 404, 403, 200, 403, 403, 200, 403],
    ),
    "pledges:year_document_amend": (
        "get",
        lambda w: {"pk": w.regulation_issued.pk},
        None,
        WRITE_X_GET,
    ),
    "pledges:year_document_scan": (
        "get",
        lambda w: {"pk": w.regulation_issued.pk},
        None,
        READ_X,
    ),
    "pledges:movement_add": ("get", _x, None, WRITE_X_GET),
    "pledges:movement_edit": ("get", lambda w: {"pk": w.movement.pk}, None, WRITE_X_GET),
    # The pledge.
    "pledges:pledge_year": ("get", _x, None, READ_X),
    "pledges:pledge_create": ("post", _x, None, WRITE_X_POST),
    "pledges:pledge_versions": ("get", _x, None, READ_X),
    "pledges:pledge_detail": ("get", lambda w: {"pk": w.pledge_open.pk}, None, READ_X),
    # Bloc Y's draft: its secretariat edits; its member B reads only; bloc X's people see nothing.
    "pledges:pledge_edit": (
        "get",
        lambda w: {"pk": w.pledge_draft.pk},
        None,
        [L, 404, 403, 404, 200, 200, 404, 404, 403, 200, 404],
    ),
    "pledges:pledge_open": (
        "post",
        lambda w: {"pk": w.pledge_draft.pk},
        None,
        [L, 404, 403, 404, 302, 302, 404, 404, 403, 302, 404],
    ),
    "pledges:pledge_reopen": ("get", lambda w: {"pk": w.pledge_open.pk}, None, WRITE_X_GET),
    # Last year's pledge: last year's secretariat may correct it too.
    "pledges:pledge_correct": (
        "get",
        lambda w: {"pk": w.pledge_in_force.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 200],
    ),
    # Unit A's signature: recorded by A's officer only. Another unit's people get 404 (as if the
    # unit were not there); those who read the whole bloc get 403, the secretariat included (it
    # records paper signatures on its own form).
    "pledges:pledge_sign": (
        "get",
        lambda w: {"pk": w.pledge_open.pk, "unit": w.unit_a.pk},
        None,
        [L, 200, 404, 403, 404, 403, 404, 404, 403, 403, 403],
    ),
    "pledges:pledge_paper": (
        "get",
        lambda w: {"pk": w.pledge_open.pk, "unit": w.unit_a.pk},
        None,
        [L, 403, 404, 200, 404, 200, 404, 404, 403, 200, 403],
    ),
    "pledges:pledge_remind": ("post", lambda w: {"pk": w.pledge_open.pk}, None, WRITE_X_POST),
    # Unit A's results in last year's pledge: A's officer, or last year's secretariat.
    "pledges:pledge_results_edit": (
        "get",
        lambda w: {"pk": w.pledge_in_force.pk, "unit": w.unit_a.pk},
        None,
        [L, 200, 404, 200, 404, 200, 404, 404, 403, 200, 200],
    ),
    "pledges:pledge_pdf": ("get", lambda w: {"pk": w.pledge_in_force.pk}, None, READ_X),
    "pledges:pledge_docx": ("get", lambda w: {"pk": w.pledge_open.pk}, None, READ_X),
    "pledges:signature_scan": ("get", lambda w: {"pk": w.signature.pk}, None, READ_X),
}


def _signature_data(w):
    return {
        "signer_name": "Người ký trái phép",
        "signer_title": "Viện trưởng",
        "signed_on": f"{THIS_YEAR}-03-02",
    }


WRITE_ATTEMPTS = [
    ("pledges:plan_copy", _x, lambda w: {}),
    (
        "pledges:year_document_create",
        lambda w: {**_x(w), "kind": "regulation"},
        lambda w: {"title": "Quy chế trái phép"},
    ),
    (
        "pledges:year_document_edit",
        lambda w: {"pk": w.plan_draft.pk},
        lambda w: {"version": 1, "title": "Sửa trái phép"},
    ),
    (
        "pledges:year_document_issue",
        lambda w: {"pk": w.plan_draft.pk},
        lambda w: {
            "version": 1,
            "reference": "99/KH-KNC",
            "issued_on": f"{THIS_YEAR}-02-02",
            "signer_title": "Khối trưởng",
            "signer_name": "Trái phép",
        },
        ("officer_a", "reviewer", "chair_last_year", "secretariat_x", "secretariat_x_last_year"),
    ),
    (
        "pledges:year_document_amend",
        lambda w: {"pk": w.regulation_issued.pk},
        lambda w: {"reason": "Trái phép"},
    ),
    (
        "pledges:movement_add",
        _x,
        lambda w: {"name": "Phong trào trái phép", "kind": "regular", "launched_by": "bloc"},
    ),
    (
        "pledges:movement_edit",
        lambda w: {"pk": w.movement.pk},
        lambda w: {"version": 1, "name": "Đổi tên", "kind": "regular", "launched_by": "bloc"},
    ),
    ("pledges:pledge_create", _x, lambda w: {}),
    (
        "pledges:pledge_edit",
        lambda w: {"pk": w.pledge_draft.pk},
        lambda w: {"version": 1, "title": "Sửa trái phép"},
        ("officer_b", "reviewer"),
    ),
    (
        "pledges:pledge_open",
        lambda w: {"pk": w.pledge_draft.pk},
        lambda w: {},
        ("officer_b", "reviewer"),
    ),
    (
        "pledges:pledge_reopen",
        lambda w: {"pk": w.pledge_open.pk},
        lambda w: {"reason": "Trái phép"},
    ),
    (
        "pledges:pledge_correct",
        lambda w: {"pk": w.pledge_in_force.pk},
        lambda w: {"reason": "Trái phép"},
        ("officer_a", "reviewer", "chair_last_year"),
    ),
    (
        "pledges:pledge_sign",
        lambda w: {"pk": w.pledge_open.pk, "unit": w.unit_a.pk},
        _signature_data,
        ("reviewer", "secretariat_x", "secretariat_authority", "admin", "secretariat_x_last_year"),
    ),
    (
        "pledges:pledge_paper",
        lambda w: {"pk": w.pledge_open.pk, "unit": w.unit_a.pk},
        _signature_data,
        ("officer_a", "reviewer", "secretariat_x_last_year"),
    ),
    ("pledges:pledge_remind", lambda w: {"pk": w.pledge_open.pk}, lambda w: {}),
    (
        "pledges:pledge_results_edit",
        lambda w: {"pk": w.pledge_in_force.pk, "unit": w.unit_a.pk},
        lambda w: {f"t{w.target_in_force.pk}_met": "yes"},
        ("reviewer",),
    ),
]
