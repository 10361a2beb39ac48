import io

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from blocs.models import Bloc, ChairTerm, Conference, Membership, Unit
from core.models import User


def _row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    first = _row_counts()
    passwords = dict(User.objects.values_list("username", "password"))
    call_command("load_demo", stdout=io.StringIO())
    assert _row_counts() == first  # history tables included
    assert dict(User.objects.values_list("username", "password")) == passwords


def test_the_demo_holds_the_five_seed_blocs_as_the_articles_give_them(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "thiduea-demo" in out.getvalue() and "chutri-a" in out.getvalue()
    viii = Bloc.objects.get(code="VIII", authority__code="hcm")
    members = list(
        Membership.objects.filter(bloc=viii, year=2022)
        .order_by("position")
        .values_list("unit__full_name", flat=True)
    )
    assert members == [
        "Bộ Tư lệnh Thành phố",
        "Bộ Chỉ huy Bộ đội Biên phòng Thành phố",
        "Cục Thi hành án dân sự Thành phố",
        "Viện kiểm sát nhân dân Thành phố",
        "Công an Thành phố",
        "Tòa án nhân dân Thành phố",
    ]
    assert ChairTerm.objects.get(bloc=viii, year=2022).chair.full_name == "Bộ Tư lệnh Thành phố"
    conference = Conference.objects.get(bloc=viii)
    assert conference.held_on.isoformat() == "2022-12-16"
    assert "Đồn biên phòng Thạnh An" in conference.place

    noi_chinh = Bloc.objects.get(name="Khối thi đua Nội chính")
    assert Membership.objects.filter(bloc=noi_chinh, year=2023).count() == 8
    assert (
        ChairTerm.objects.get(bloc=noi_chinh, year=2023).chair.full_name
        == "Viện Kiểm sát nhân dân tỉnh"
    )

    party = Bloc.objects.get(name="Khối thi đua các Ban, cơ quan của Đảng")
    assert ChairTerm.objects.get(bloc=party, year=2022).chair.full_name == "Ban Tuyên giáo Tỉnh ủy"
    chair_2023 = ChairTerm.objects.get(bloc=party, year=2023)
    assert chair_2023.chair.full_name == "Đảng ủy Khối các Cơ quan và Doanh nghiệp tỉnh"
    assert chair_2023.elected_on.isoformat() == "2022-12-01"

    can_tho = Bloc.objects.get(authority__code="can-tho")
    term = ChairTerm.objects.get(bloc=can_tho, year=2021)
    assert (term.chair.full_name, term.vice_chair.full_name) == (
        "Ban Tuyên giáo Thành ủy",
        "Ban Nội chính Thành ủy",
    )
    assert Membership.objects.filter(bloc=can_tho, year=2021).count() == 6

    cum7 = Bloc.objects.get(authority__code="ha-noi", code="7")
    assert cum7.kind == Bloc.Kind.CLUSTER
    term = ChairTerm.objects.get(bloc=cum7, year=2023)
    assert (term.chair.full_name, term.vice_chair.full_name) == (
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
    )
    assert [
        c.held_on.isoformat() for c in Conference.objects.filter(bloc=cum7).order_by("held_on")
    ] == [
        "2023-03-31",
        "2023-09-08",
    ]
    merged = Unit.objects.get(full_name="Sở Lao động - Thương binh và Xã hội")
    assert merged.merged_into.full_name == "Sở Nội vụ"


def test_demo_accounts_see_what_their_role_allows(db, client):
    call_command("load_demo", stdout=io.StringIO())
    viii = Bloc.objects.get(code="VIII")
    cum7 = Bloc.objects.get(code="7")
    expectations = {
        "thuky": (200, 200, 200),
        "canbo-a1": (200, 404, 403),
        "canbo-e2": (404, 200, 404),
        "chutri-a": (200, 404, 403),
        "thamdinh": (200, 404, 403),
        "quantri": (200, 200, 200),
    }
    for username, (a, e, edit) in expectations.items():
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("blocs:bloc_detail", args=[viii.pk, 2022])).status_code == a, (
            username
        )
        assert client.get(reverse("blocs:bloc_detail", args=[cum7.pk, 2023])).status_code == e, (
            username
        )
        assert client.get(reverse("blocs:bloc_edit", args=[viii.pk])).status_code == edit, username


def test_the_2023_year_keeps_the_names_from_before_the_merger(db, client):
    call_command("load_demo", stdout=io.StringIO())
    cum7 = Bloc.objects.get(code="7")
    client.force_login(User.objects.get(username="canbo-e1"))
    body = client.get(reverse("blocs:bloc_detail", args=[cum7.pk, 2023])).content.decode()
    assert "Sở Lao động - Thương binh và Xã hội" in body
    assert "Sở Thông tin và Truyền thông" in body
