"""The awards demo reproduces the outcomes the seed articles report (SCENARIOS.md A and C)."""

import io

from django.core.management import call_command

from awards.models import AwardRecord, Ballot, Proposal


def test_scenario_a_ends_with_one_flag_and_five_certificates_approved_and_issued(db):
    call_command("load_demo", stdout=io.StringIO())
    proposal = Proposal.objects.get(bloc__code="VIII", year=2022)
    lines = {(line.unit.full_name, line.award_type.code) for line in proposal.lines.all()}
    assert ("Bộ Tư lệnh Thành phố", "co_thi_dua_tinh") in lines
    assert len(lines) == 6
    assert sum(1 for _u, code in lines if code == "bang_khen_chu_tich_tinh") == 5
    assert proposal.state == "issued"
    approval = proposal.transitions.get(to_state="approved")
    assert approval.actor.username == "chutri-a"
    to_trinh = proposal.documents.get(kind="awards.to_trinh")
    assert to_trinh.sha256 and len(to_trinh.verification_code) == 10
    ballot = Ballot.objects.get(bloc__code="VIII", year=2022)
    assert ballot.state == "closed" and ballot.tally["valid"] == 6
    assert AwardRecord.objects.filter(unit__authority__code="hcm", year=2021).count() == 6


def test_scenario_c_proposes_one_government_flag_two_flags_and_three_certificates(db):
    call_command("load_demo", stdout=io.StringIO())
    proposal = Proposal.objects.get(bloc__authority__code="tinh-ban-dang", year=2022)
    counts = {}
    for line in proposal.lines.select_related("award_type"):
        counts[line.award_type.code] = counts.get(line.award_type.code, 0) + 1
    assert counts == {"co_thi_dua_chinh_phu": 1, "co_thi_dua_tinh": 2, "bang_khen_chu_tich_tinh": 3}


def test_the_minutes_take_the_ballots_day_when_no_conference_is_recorded(db):
    from awards import dossier
    from blocs.models import Conference
    from core import documents

    call_command("load_demo", stdout=io.StringIO())
    proposal = Proposal.objects.select_related("ballot", "bloc__authority").get(
        bloc__code="VIII", year=2022
    )
    Conference.objects.filter(bloc=proposal.bloc, year=2022, kind="year_end").delete()
    rendered = dossier.bien_ban_hop(proposal)
    html = documents.render_html(rendered.template, rendered.context)
    assert f"Ngày {proposal.ballot.held_on:%d/%m/%Y}, tại ........" in html
    assert "Ngày ..../..../2022" not in html
