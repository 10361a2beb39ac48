"""Permission-matrix rows of the awards app (see tests/test_permission_matrix.py)."""

import datetime as dt

from tests.conftest import LAST_YEAR, THIS_YEAR

L = "login"


def setup(world):
    from awards import services
    from awards.models import AwardType, Ballot, RegistryImport

    admin = world.users["admin"]
    flag = AwardType.objects.get(code="co_thi_dua_tinh")
    world.award_record = services.award_registry_record(
        actor=admin,
        unit=world.unit_a,
        year=LAST_YEAR,
        award_type=flag,
        decision_number="15/QĐ-UBND",
        decision_date=dt.date(THIS_YEAR, 1, 10),
        issuing_body="Ủy ban nhân dân tỉnh Phú Thịnh",
    )
    fields = {
        "title": "Bình xét",
        "mode": Ballot.Mode.ONLINE,
        "base": Ballot.Base.ALL,
        "threshold": "50",
        "threshold_strict": True,
        "closes_at": None,
        "held_on": dt.date(THIS_YEAR, 12, 16),
    }
    world.ballot = services.ballot_create(actor=admin, bloc=world.bloc_x, year=THIS_YEAR, **fields)
    item = services.ballot_item_add(
        actor=admin, ballot=world.ballot, award_type=flag, max_choices=1
    )
    services.ballot_candidates_set(actor=admin, item=item, units=[world.unit_c, world.unit_d])
    world.ballot = services.ballot_open(actor=admin, ballot=world.ballot)
    world.draft_ballot = services.ballot_create(
        actor=admin, bloc=world.bloc_x, year=THIS_YEAR, **fields
    )
    world.draft_item = services.ballot_item_add(
        actor=admin, ballot=world.draft_ballot, award_type=flag, max_choices=1
    )
    from core import documents

    merit = AwardType.objects.get(code="bang_khen_chu_tich_tinh")
    world.proposal, _left = services.proposal_build(actor=admin, bloc=world.bloc_x, year=THIS_YEAR)
    world.proposal_line = services.proposal_line_add(
        actor=admin, proposal=world.proposal, unit=world.unit_c, award_type=merit, reason="Bổ sung"
    )
    world.proposal_document = documents.freeze(
        kind="awards.to_trinh", title="Tờ trình", content=b"%PDF-1.4\n%%EOF\n", filename="t.pdf"
    )
    world.proposal.documents.add(world.proposal_document)
    world.registry_import = RegistryImport.objects.create(
        authority=world.authority,
        created_by=world.users["secretariat_x"],
        filename="khen-thuong.xlsx",
        sha256="0" * 64,
        plan={
            "authority_id": world.authority.pk,
            "actions": [],
            "errors": [],
            "rows": [],
            "summary": {"new": 0, "unchanged": 0, "errors": 0},
        },
    )


BLOC_YEAR = lambda w: {"pk": w.bloc_x.pk, "year": THIS_YEAR}  # noqa: E731

# Personas: anonymous, officer_a, officer_b, secretariat_x, secretariat_y, secretariat_authority,
# chair_this_year, chair_last_year, reviewer, admin, secretariat_x_last_year.
MATRIX = {
    "awards:catalogue": ("get", None, None, [L] + [200] * 10),
    "awards:registry_list": ("get", None, None, [L] + [200] * 10),
    # Recorded by the secretariat (bloc or authority), the reviewer and administrators.
    "awards:record_create": (
        "get",
        None,
        None,
        [L, 403, 403, 200, 200, 200, 403, 403, 200, 200, 200],
    ),
    "awards:record_edit": (
        "get",
        lambda w: {"pk": w.award_record.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 200, 200, 200],
    ),
    "awards:registry_import": (
        "get",
        None,
        None,
        [L, 403, 403, 200, 200, 200, 403, 403, 200, 200, 200],
    ),
    "awards:registry_import_template": (
        "get",
        None,
        None,
        [L, 403, 403, 200, 200, 200, 403, 403, 200, 200, 200],
    ),
    # A preview belongs to whoever uploaded it (the secretariat of bloc X).
    "awards:registry_import_preview": (
        "get",
        lambda w: {"pk": w.registry_import.pk},
        None,
        [L, 403, 403, 200, 404, 404, 403, 403, 404, 404, 404],
    ),
    "awards:unit_awards": (
        "get",
        lambda w: {"pk": w.unit_a.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "awards:bloc_year": (
        "get",
        BLOC_YEAR,
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "awards:quotas_edit": (
        "get",
        BLOC_YEAR,
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:ballot_create": (
        "get",
        BLOC_YEAR,
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    # Everyone who sees the bloc sees the ballot (never who voted for whom).
    "awards:ballot_detail": (
        "get",
        lambda w: {"pk": w.ballot.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "awards:ballot_item_add": (
        "post",
        lambda w: {"pk": w.draft_ballot.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:ballot_item_remove": (
        "post",
        lambda w: {"pk": w.draft_item.pk},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "awards:ballot_candidates": (
        "get",
        lambda w: {"pk": w.draft_item.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:ballot_open": (
        "post",
        lambda w: {"pk": w.draft_ballot.pk},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "awards:ballot_absent": (
        "post",
        lambda w: {"pk": w.ballot.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:ballot_close": (
        "get",
        lambda w: {"pk": w.ballot.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    # The proposal: drafted by the secretariat, approved by THIS year's chair, decided by the
    # authority (reviewer, its secretariat).
    "awards:proposal_page": (
        "get",
        BLOC_YEAR,
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "awards:proposal_build": (
        "post",
        BLOC_YEAR,
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "awards:proposal_summary": (
        "post",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:proposal_line_add": (
        "post",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:proposal_line_remove": (
        "post",
        lambda w: {"pk": w.proposal_line.pk},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "awards:proposal_submit": (
        "post",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "awards:proposal_approve": (
        "post",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 403, 404, 403, 302, 403, 403, 302, 403],
    ),
    "awards:proposal_return": (
        "post",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 403, 404, 403, 200, 403, 403, 200, 403],
    ),
    "awards:proposal_issue": (
        "get",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 200, 404, 200, 403, 403, 403, 200, 403],
    ),
    "awards:proposal_send": (
        "post",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 302, 404, 302, 403, 403, 403, 302, 403],
    ),
    "awards:proposal_decide": (
        "get",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 403, 404, 403, 404, 200, 403, 403, 200, 200, 403],
    ),
    "awards:proposal_document": (
        "get",
        lambda w: {"pk": w.proposal.pk, "document": w.proposal_document.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "awards:proposal_preview": (
        "get",
        lambda w: {"pk": w.proposal.pk, "kind": "danh-sach"},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    "awards:proposal_zip": (
        "get",
        lambda w: {"pk": w.proposal.pk},
        None,
        [L, 200, 404, 200, 404, 200, 200, 200, 200, 200, 200],
    ),
    # Only a member unit's officer casts its ballot.
    "awards:ballot_vote": (
        "get",
        lambda w: {"pk": w.ballot.pk},
        None,
        [L, 200, 404, 403, 404, 403, 403, 403, 403, 403, 403],
    ),
}

WRITE_ATTEMPTS = [
    (
        "awards:proposal_line_add",
        lambda w: {"pk": w.proposal.pk},
        lambda w: {"unit": w.unit_d.pk, "award_type": w.proposal_line.award_type_id, "reason": "x"},
        ("officer_a", "reviewer", "chair_this_year", "secretariat_x_last_year"),
    ),
    (
        "awards:proposal_approve",
        lambda w: {"pk": w.proposal.pk},
        lambda w: {},
        ("officer_a", "secretariat_x", "chair_last_year", "reviewer"),
    ),
    (
        "awards:proposal_decide",
        lambda w: {"pk": w.proposal.pk},
        lambda w: {
            "decision_number": "1/QĐ",
            "decision_date": "2027-01-10",
            "decision_body": "UBND",
        },
        ("officer_a", "secretariat_x", "chair_this_year"),
    ),
    (
        "awards:record_create",
        lambda w: {},
        lambda w: {
            "unit": w.unit_a.pk,
            "year": THIS_YEAR,
            "award_type": w.award_record.award_type_id,
            "decision_number": "9/QĐ-UBND",
            "decision_date": f"{THIS_YEAR}-12-30",
            "issuing_body": "UBND tỉnh",
        },
        ("officer_a", "chair_this_year", "chair_last_year"),
    ),
    (
        "awards:quotas_edit",
        BLOC_YEAR,
        lambda w: {f"count_{w.award_record.award_type_id}": "3"},
        ("officer_a", "reviewer", "chair_last_year", "secretariat_x_last_year"),
    ),
    (
        "awards:ballot_create",
        BLOC_YEAR,
        lambda w: {
            "title": "Trái phép",
            "mode": "online",
            "held_on": f"{THIS_YEAR}-12-16",
            "base": "all",
            "threshold": "50",
        },
        ("officer_a", "reviewer", "chair_this_year", "secretariat_x_last_year"),
    ),
    (
        "awards:ballot_vote",
        lambda w: {"pk": w.ballot.pk},
        lambda w: {"unit": w.unit_a.pk},
        ("secretariat_x", "reviewer", "chair_this_year", "admin"),
    ),
    (
        "awards:ballot_open",
        lambda w: {"pk": w.draft_ballot.pk},
        lambda w: {},
        ("officer_a", "reviewer", "chair_this_year"),
    ),
]
