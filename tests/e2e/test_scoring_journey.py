"""In Chromium: a unit officer fills the year-end report. Cells save as they are typed; a score
typed while the connection is lost survives the closed tab and is saved on the next visit; a
second tab's stale save gets the conflict with both values; then the report is sent."""

import datetime as dt
import os
import re
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from blocs.models import Authority, Bloc, Membership, Role
from scoring import services
from scoring.models import SelfScore, UnitReport
from tests.conftest import make_unit, make_user
from tests.scoring.factories import build_table

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
YEAR = 2026
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _shot(page, name):
    folder = os.environ.get("TEST_ARTIFACTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"scoring-{name}.png"), full_page=True)


def _log_in(page, url, username):
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", "mat-khau-thu-nghiem-2026")
    page.click("#login-submit")


def _watch(page):
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def _cell(page, criterion):
    return page.locator(f"#cell-{criterion.pk}")


def test_an_officer_fills_the_report_and_loses_nothing(page, live_server, tmp_path):
    authority = Authority.objects.create(
        code="hcm",
        name="Thành phố Hồ Chí Minh",
        people_committee_name="Ủy ban nhân dân Thành phố Hồ Chí Minh",
        council_name="Hội đồng Thi đua - Khen thưởng Thành phố",
        tdkt_office_name="Ban Thi đua - Khen thưởng Thành phố",
    )
    bloc = Bloc.objects.create(authority=authority, code="VIII", name="Khối thi đua VIII")
    unit = make_unit(authority, "Bộ Tư lệnh Thành phố")
    other = make_unit(authority, "Công an Thành phố")
    for position, member in enumerate((unit, other), start=1):
        Membership.objects.create(bloc=bloc, unit=member, year=YEAR, position=position)
    secretariat = make_user("thu-ky", full_name="Nguyễn Thị Thu")
    Role.objects.create(user=secretariat, kind=Role.Kind.SECRETARIAT, bloc=bloc)
    officer = make_user("can-bo", full_name="Lê Minh Anh")
    Role.objects.create(user=officer, kind=Role.Kind.OFFICER, unit=unit)
    table, leaves = build_table(secretariat, bloc, year=YEAR)
    period = services.period_open(
        actor=secretariat,
        period=services.period_create(
            actor=secretariat,
            bloc=bloc,
            year=YEAR,
            kind="year_end",
            opens_on=dt.date(YEAR, 11, 1),
            deadline=dt.date(YEAR + 1, 1, 15),
            criteria_table=table,
        ),
    )

    _log_in(page, f"{live_server.url}/periods/{period.pk}/", "can-bo")
    page.get_by_role("button", name="Lập báo cáo của đơn vị").click()
    expect(page.get_by_role("heading", name="Bộ Tư lệnh Thành phố")).to_be_visible()
    report = UnitReport.objects.get(period=period, unit=unit)

    # A cell saves as it is typed.
    first = _cell(page, leaves["I.1"])
    first.locator("input[name=points]").fill("38")
    expect(first.locator(".cell-status")).to_contain_text("Đã lưu")
    assert SelfScore.objects.get(report=report, criterion=leaves["I.1"]).points == D("38")
    expect(page.locator("#self-total")).to_have_text("38")

    # A score above the maximum: the message is next to the cell, nothing is saved.
    second = _cell(page, leaves["I.2"])
    second.locator("input[name=points]").fill("25")
    expect(second.locator(".cell-status")).to_contain_text("vượt mức tối đa 20")
    assert not SelfScore.objects.filter(report=report, criterion=leaves["I.2"]).exists()
    _shot(page, "cell-error")

    # The connection is lost: the typed score stays on this machine; the tab is closed.
    page.context.set_offline(True)
    second.locator("input[name=points]").fill("19,5")
    expect(second.locator(".cell-status")).to_contain_text("Chưa lưu được")
    _shot(page, "offline")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('thiduea:draft:'))")
    assert f"thiduea:draft:{report.pk}:{leaves['I.2'].pk}" in stored
    context = page.context
    page.close()
    context.set_offline(False)
    assert not SelfScore.objects.filter(report=report, criterion=leaves["I.2"]).exists()

    # Back later: the draft is put back and saved.
    page = _watch(context.new_page())
    page.goto(f"{live_server.url}/unit-reports/{report.pk}/")
    second = _cell(page, leaves["I.2"])
    expect(second.locator("input[name=points]")).to_have_value("19,5")
    expect(second.locator(".cell-status")).to_contain_text("Đã lưu")
    assert SelfScore.objects.get(report=report, criterion=leaves["I.2"]).points == D("19.5")
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('thiduea:draft:'))") == []
    )

    # A second tab, opened before the first saves, types over a newer value: a conflict.
    stale = context.new_page()
    stale.goto(f"{live_server.url}/unit-reports/{report.pk}/")
    cell = _cell(page, leaves["II.1"])
    cell.locator("input[name=points]").fill("15")
    expect(cell.locator(".cell-status")).to_contain_text("Đã lưu")
    stale_cell = _cell(stale, leaves["II.1"])
    stale_cell.locator("input[name=points]").fill("12")
    expect(stale_cell.locator(".cell-status")).to_contain_text("chưa được lưu")
    expect(stale_cell.locator(".cell-status")).to_contain_text("15")
    _shot(stale, "conflict")
    assert SelfScore.objects.get(report=report, criterion=leaves["II.1"]).points == D("15")
    stale_cell.get_by_role("button", name="Giữ điểm tôi vừa nhập").click()
    expect(stale_cell.locator(".cell-status")).to_contain_text("Đã lưu")
    assert SelfScore.objects.get(report=report, criterion=leaves["II.1"]).points == D("12")
    stale.close()

    # The rest, the evidence where it is required, the text; then it is sent.
    page.reload()
    for path, value in (("II.2", "18"), ("III.1", "10"), ("IV.1", "0")):
        box = _cell(page, leaves[path])
        box.locator("input[name=points]").fill(value)
        expect(box.locator(".cell-status")).to_contain_text("Đã lưu")
    evidence = tmp_path / "minh-chung.pdf"
    evidence.write_bytes(PDF)
    for path in ("I.1", "III.1"):
        row = page.locator(f"#c{leaves[path].pk}")
        row.locator("input[type=file]").set_input_files(str(evidence))
        row.get_by_role("button", name="Đính kèm").click()
        expect(page.locator(f"#c{leaves[path].pk}")).to_contain_text("minh-chung.pdf")
    page.fill("#id_text", "Đơn vị hoàn thành toàn diện các chỉ tiêu, nhiệm vụ năm 2026.")
    expect(page.locator("#text-status")).to_contain_text("Đã lưu")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Đã gửi")
    _shot(page, "sent")
    report.refresh_from_db()
    assert report.state == UnitReport.State.SUBMITTED
    assert page.js_errors == []
