"""In Chromium: the secretariat creates a bloc with three members, elects its chair and
vice-chair, and finds it again by an unaccented search."""

import os
import re

import pytest
from playwright.sync_api import expect

from blocs.models import Authority, Bloc, ChairTerm, Role
from tests.conftest import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _shot(page, name):
    folder = os.environ.get("TEST_ARTIFACTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_secretariat_creates_a_bloc_elects_its_chair_and_finds_it(page, live_server):
    authority = Authority.objects.create(
        code="ha-noi",
        name="Thành phố Hà Nội",
        people_committee_name="Ủy ban nhân dân Thành phố Hà Nội",
        council_name="Hội đồng Thi đua - Khen thưởng Thành phố Hà Nội",
        tdkt_office_name="Ban Thi đua - Khen thưởng Thành phố",
    )
    secretariat = make_user("thu-ky", full_name="Nguyễn Thị Thu")
    Role.objects.create(user=secretariat, kind=Role.Kind.SECRETARIAT, authority=authority)

    page.goto(f"{live_server.url}/blocs/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "thu-ky")
    page.fill("#id_password", "mat-khau-thu-nghiem-2026")
    page.click("#login-submit")
    expect(page.get_by_role("heading", name="Khối, cụm thi đua")).to_be_visible()

    page.get_by_role("link", name="Thêm khối, cụm").click()
    page.select_option("#id_kind", "cum")
    page.fill("#id_code", "7")
    page.fill("#id_name", "Cụm thi đua số 7")
    page.fill("#id_first_year", "2023")
    page.get_by_role("button", name="Tạo", exact=True).click()
    expect(page.get_by_role("heading", name="Cụm thi đua số 7")).to_be_visible()

    # Three members, added in place (htmx) without leaving the page.
    for name in ("Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa và Thể thao"):
        page.fill("#id_new_full_name", name)
        page.get_by_role("button", name="Thêm", exact=True).click()
        expect(page.locator("#members table")).to_contain_text(name)
    expect(page.locator("#members-heading")).to_contain_text("3 đơn vị")
    _shot(page, "bloc-with-members")

    page.get_by_role("link", name="Bầu Cụm trưởng năm 2023").click()
    page.select_option("#id_chair", label="Sở Giáo dục và Đào tạo")
    page.select_option("#id_vice_chair", label="Sở Y tế")
    page.fill("#id_elected_on", "2023-03-31")
    page.fill("#id_elected_at", "Hội nghị triển khai công tác thi đua, khen thưởng năm 2023")
    page.get_by_role("button", name="Ghi kết quả bầu").click()
    expect(page.locator("dl.pairs")).to_contain_text("Sở Giáo dục và Đào tạo")
    expect(page.locator("dl.pairs")).to_contain_text("Sở Y tế")

    page.get_by_role("link", name="Khối, cụm thi đua", exact=True).first.click()
    page.fill("#id_q", "cum thi dua so 7")
    expect(page.locator("#results")).to_contain_text("Cụm thi đua số 7")
    page.fill("#id_q", "so van hoa")  # a member's name, typed without diacritics
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Cụm thi đua số 7")
    _shot(page, "search-unaccented")

    bloc = Bloc.objects.get(code="7")
    term = ChairTerm.objects.get(bloc=bloc, year=2023)
    assert (term.chair.full_name, term.vice_chair.full_name) == (
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
    )
    assert page.js_errors == []
