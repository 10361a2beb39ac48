import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import Bloc, ChairTerm, Conference, Membership
from tests.conftest import THIS_YEAR, make_unit
from tests.factories import BlocFactory, ChairTermFactory, ConferenceFactory, MembershipFactory


def _grow(world, *, blocs: int, members: int):
    """Add blocs (each with `members` units this year, a chair term and a conference)."""
    for _index in range(blocs):
        bloc = BlocFactory(authority=world.authority)
        units = [MembershipFactory(bloc=bloc, year=THIS_YEAR).unit for _n in range(members)]
        ChairTermFactory(bloc=bloc, year=THIS_YEAR, chair=units[0], vice_chair=units[1])
        ConferenceFactory(bloc=bloc, year=THIS_YEAR, presiding_unit=units[0])
    return bloc


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["secretariat_authority", "officer_a", "reviewer"])
def test_bloc_list_query_count_does_not_grow_with_blocs(world, login, persona):
    client = login(world.users[persona])
    url = reverse("blocs:bloc_list")
    small = _queries(client, url)
    _grow(world, blocs=50, members=5)
    assert _queries(client, url) == small
    assert small <= 10


def test_bloc_page_query_count_does_not_grow_with_members(world, login):
    client = login(world.users["secretariat_authority"])
    few = _grow(world, blocs=1, members=5)
    many = Bloc.objects.create(authority=world.authority, code="M", name="Khối đông")
    units = [make_unit(world.authority, f"Sở số {n}") for n in range(15)]
    for position, unit in enumerate(units, start=1):
        Membership.objects.create(bloc=many, unit=unit, year=THIS_YEAR, position=position)
        Membership.objects.create(bloc=many, unit=unit, year=THIS_YEAR - 1, position=position)
    for year in range(THIS_YEAR - 10, THIS_YEAR + 1):
        ChairTerm.objects.create(
            bloc=many, year=year, chair=units[year % 15], vice_chair=units[(year + 1) % 15]
        )
    for day in range(1, 6):
        Conference.objects.create(
            bloc=many,
            year=THIS_YEAR,
            kind="other",
            held_on=f"{THIS_YEAR}-03-0{day}",
            presiding_unit=units[day],
        )
    small = _queries(client, reverse("blocs:bloc_detail", args=[few.pk, THIS_YEAR]))
    large = _queries(client, reverse("blocs:bloc_detail", args=[many.pk, THIS_YEAR]))
    assert small == large
    assert large <= 10


def test_unit_page_and_history_have_fixed_query_counts(world, login):
    client = login(world.users["secretariat_authority"])
    url = reverse("blocs:unit_detail", args=[world.unit_a.pk])
    history = reverse("blocs:bloc_history", args=[world.bloc_x.pk])
    before = (_queries(client, url), _queries(client, history))
    for year in range(THIS_YEAR - 8, THIS_YEAR - 1):
        Membership.objects.create(bloc=world.bloc_x, unit=world.unit_a, year=year)
        ChairTerm.objects.create(bloc=world.bloc_x, year=year, chair=world.unit_a)
    assert (_queries(client, url), _queries(client, history)) == before


def test_bloc_page_shows_members_chair_and_history_of_chairs(world, login):
    client = login(world.users["officer_a"])
    page = client.get(
        reverse("blocs:bloc_detail", args=[world.bloc_x.pk, THIS_YEAR])
    ).content.decode()
    assert "Khối thi đua Nội chính" in page
    for unit in (world.unit_a, world.unit_c, world.unit_d):
        assert unit.full_name in page
    assert "Khối trưởng" in page and "Công an tỉnh" in page
    assert str(THIS_YEAR - 1) in page  # chair history row
    assert "Rút khỏi khối" not in page  # read-only for an officer


def test_unaccented_search_finds_the_bloc_of_a_member(world, login):
    client = login(world.users["secretariat_authority"])
    page = client.get(reverse("blocs:bloc_list"), {"q": "vien kiem sat"}).content.decode()
    assert "Khối thi đua Nội chính" in page
    assert "Khối thi đua Kinh tế" not in page


def test_bloc_list_filters_by_kind_and_paginates(world, login):
    client = login(world.users["secretariat_authority"])
    _grow(world, blocs=30, members=2)
    page = client.get(reverse("blocs:bloc_list"), {"kind": "cum"}).content.decode()
    assert "Khối thi đua Kinh tế" in page and "Khối thi đua Nội chính" not in page
    first = client.get(reverse("blocs:bloc_list"))
    assert first.context["page"].paginator.num_pages == 2
    second = client.get(reverse("blocs:bloc_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 32 - 25


def test_htmx_search_returns_only_the_results_fragment(world, login):
    client = login(world.users["secretariat_authority"])
    response = client.get(
        reverse("blocs:bloc_list"), {"q": "kinh te"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and "<table" in body and "Khối thi đua Kinh tế" in body


def test_adding_a_member_without_javascript_redirects_to_the_bloc(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:member_add", args=[world.bloc_x.pk, THIS_YEAR + 1])
    response = client.post(url, {"new_full_name": "Thanh tra tỉnh"})
    assert response.status_code == 302
    assert Membership.objects.filter(
        bloc=world.bloc_x, year=THIS_YEAR + 1, unit__full_name="Thanh tra tỉnh"
    ).exists()


def test_adding_a_member_with_htmx_returns_the_members_table(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:member_add", args=[world.bloc_x.pk, THIS_YEAR + 1])
    response = client.post(url, {"unit": world.unit_a.pk}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert (
        "<html" not in body and "Viện kiểm sát nhân dân tỉnh" in body and "Thêm thành viên" in body
    )


def test_adding_a_member_of_another_bloc_shows_the_reason_next_to_the_form(world, login):
    client = login(world.users["secretariat_authority"])
    url = reverse("blocs:member_add", args=[world.bloc_y.pk, THIS_YEAR])
    body = client.post(
        url, {"unit": world.unit_a.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "đã thuộc một khối khác của Tỉnh Phú Thịnh năm" in body
    assert not Membership.objects.filter(bloc=world.bloc_y, unit=world.unit_a).exists()


def test_removing_the_chair_is_refused_with_a_message(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:member_remove", args=[world.bloc_x.pk, THIS_YEAR])
    body = client.post(
        url, {"unit": world.unit_c.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "hãy bầu lại trước khi rút khỏi danh sách" in body
    assert Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR, unit=world.unit_c).exists()


def test_electing_next_years_chair_through_the_form(world, login):
    client = login(world.users["chair_this_year"])
    for unit in (world.unit_a, world.unit_c):
        Membership.objects.create(bloc=world.bloc_x, unit=unit, year=THIS_YEAR + 1)
    url = reverse("blocs:chair_elect", args=[world.bloc_x.pk, THIS_YEAR + 1])
    form = client.get(url)
    assert form.context["form"].initial["chair"] == world.unit_a.pk  # this year's vice-chair
    response = client.post(
        url,
        {
            "chair": world.unit_a.pk,
            "vice_chair": world.unit_c.pk,
            "elected_on": f"{THIS_YEAR}-12-16",
        },
    )
    assert response.status_code == 302
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR + 1)
    assert (term.chair, term.vice_chair) == (world.unit_a, world.unit_c)
    assert term.history.first().history_user == world.users["chair_this_year"]


def test_electing_the_same_unit_twice_shows_a_vietnamese_error(world, login):
    client = login(world.users["secretariat_x"])
    Membership.objects.create(bloc=world.bloc_x, unit=world.unit_a, year=THIS_YEAR + 1)
    url = reverse("blocs:chair_elect", args=[world.bloc_x.pk, THIS_YEAR + 1])
    body = client.post(
        url, {"chair": world.unit_a.pk, "vice_chair": world.unit_a.pk}
    ).content.decode()
    assert "Khối trưởng và Khối phó phải là hai đơn vị khác nhau." in body
    assert not ChairTerm.objects.filter(bloc=world.bloc_x, year=THIS_YEAR + 1).exists()


def test_a_stale_bloc_edit_shows_what_changed(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:bloc_edit", args=[world.bloc_x.pk])
    data = {"version": 1, "kind": "khoi", "code": "X", "rotation_rule": "vice_chair", "note": ""}
    assert client.post(url, data | {"name": "Tên của người thứ nhất"}).status_code == 302
    body = client.post(url, data | {"name": "Tên của người thứ hai"}).content.decode()
    assert "Người khác vừa sửa khối này" in body
    assert "Tên của người thứ hai" in body and "Tên của người thứ nhất" in body
    assert Bloc.objects.get(pk=world.bloc_x.pk).name == "Tên của người thứ nhất"


def test_history_page_shows_who_changed_what(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:bloc_edit", args=[world.bloc_x.pk])
    client.post(
        url,
        {
            "version": 1,
            "kind": "khoi",
            "code": "X",
            "rotation_rule": "vice_chair",
            "note": "",
            "name": "Khối thi đua Nội chính tỉnh",
        },
    )
    body = client.get(reverse("blocs:bloc_history", args=[world.bloc_x.pk])).content.decode()
    assert "Thư ký khối X" in body
    assert 'Khối thi đua Nội chính</span> → <span class="new">Khối thi đua Nội chính tỉnh' in body


def test_creating_a_bloc_goes_to_its_first_year(world, login):
    client = login(world.users["secretariat_authority"])
    response = client.post(
        reverse("blocs:bloc_create"),
        {
            "authority": world.authority.pk,
            "kind": "cum",
            "code": "7",
            "name": "Cụm thi đua số 7",
            "rotation_rule": "vice_chair",
            "first_year": THIS_YEAR,
        },
    )
    bloc = Bloc.objects.get(code="7")
    assert response["Location"] == reverse("blocs:bloc_detail", args=[bloc.pk, THIS_YEAR])


def test_year_out_of_range_is_not_found(world, login):
    client = login(world.users["secretariat_x"])
    assert client.get(reverse("blocs:bloc_detail", args=[world.bloc_x.pk, 1900])).status_code == 404


def test_search_words_must_match_one_name_not_pieces_of_several(world, login):
    client = login(world.users["secretariat_authority"])
    # "so" and "tai" each occur in bloc Y's members, but only "Sở Tài chính" holds both.
    assert (
        "Khối thi đua Kinh tế"
        in client.get(reverse("blocs:bloc_list"), {"q": "so tai"}).content.decode()
    )
    # "an" starts a word in bloc X ("Công an tỉnh") and "ke" in bloc Y: no single name has both.
    body = client.get(reverse("blocs:bloc_list"), {"q": "an ke"}).content.decode()
    assert "Khối thi đua Nội chính" not in body and "Khối thi đua Kinh tế" not in body
    # Words match from their start: "inh" is inside "tỉnh" but starts no word.
    assert (
        "Không có khối, cụm nào"
        in client.get(reverse("blocs:bloc_list"), {"q": "inh"}).content.decode()
    )


def test_unit_list_and_history_have_fixed_query_counts(world, login):
    client = login(world.users["secretariat_authority"])
    urls = (reverse("blocs:unit_list"), reverse("blocs:unit_history", args=[world.unit_a.pk]))
    before = [_queries(client, url) for url in urls]
    _grow(world, blocs=5, members=8)
    for n in range(6):
        world.unit_a.address = f"Số {n} đường Lê Lợi"
        world.unit_a.save()
    assert [_queries(client, url) for url in urls] == before
    assert max(before) <= 10


def test_pages_that_serve_fragments_vary_on_the_htmx_header(world, login):
    client = login(world.users["secretariat_authority"])
    for url in (reverse("blocs:bloc_list"), reverse("blocs:unit_list")):
        assert "HX-Request" in client.get(url)["Vary"]


def test_a_stale_chair_election_form_reports_a_conflict(world, login):
    client = login(world.users["secretariat_x"])
    term = ChairTerm.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    url = reverse("blocs:chair_elect", args=[world.bloc_x.pk, THIS_YEAR])
    data = {"term_id": term.pk, "version": term.version, "chair": world.unit_c.pk}
    assert client.post(url, data | {"vice_chair": world.unit_d.pk}).status_code == 302
    body = client.post(url, data | {"vice_chair": world.unit_a.pk}).content.decode()
    assert "Người khác vừa ghi nhiệm kỳ này" in body
    term.refresh_from_db()
    assert term.vice_chair == world.unit_d


def test_the_outgoing_chair_loses_the_election_once_a_later_term_exists(world, login):
    client = login(world.users["chair_last_year"])  # chaired 2025
    url = reverse("blocs:chair_elect", args=[world.bloc_x.pk, THIS_YEAR])
    assert client.get(url).status_code == 200
    ChairTerm.objects.create(bloc=world.bloc_x, year=THIS_YEAR + 1, chair=world.unit_a)
    assert client.get(url).status_code == 403


def test_the_add_member_search_offers_matching_units_without_diacritics(world, login):
    make_unit(world.authority, "Sở Giáo dục và Đào tạo")
    make_unit(world.authority, "Sở Y tế")
    client = login(world.users["secretariat_x"])
    url = reverse("blocs:member_add", args=[world.bloc_x.pk, THIS_YEAR])
    fragment = client.get(url, {"q": "giao duc"}, headers={"HX-Request": "true"}).content.decode()
    assert "Sở Giáo dục và Đào tạo" in fragment and "Sở Y tế" not in fragment
    assert "<html" not in fragment and 'name="unit"' in fragment
    # Members already in the bloc are not offered again.
    members = client.get(url, {"q": "cong an"}, headers={"HX-Request": "true"}).content.decode()
    assert "Công an tỉnh" not in members and "Không có đơn vị nào khớp" in members


def test_the_bloc_page_does_not_list_every_unit_of_the_authority(world, login):
    for n in range(30):
        make_unit(world.authority, f"Phòng ban số {n}")
    body = (
        login(world.users["secretariat_x"])
        .get(reverse("blocs:bloc_detail", args=[world.bloc_x.pk, THIS_YEAR]))
        .content.decode()
    )
    assert "Phòng ban số 7" not in body
    assert reverse("blocs:member_add", args=[world.bloc_x.pk, THIS_YEAR]) in body
