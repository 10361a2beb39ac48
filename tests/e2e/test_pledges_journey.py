"""In Chromium: an officer records their unit's signature of the pledge; the secretariat's page,
left open, shows it by itself (htmx polling); the secretariat records the last signature, made
on paper, with its scan; the pledge comes into force, and the PDF downloaded from the page holds
every unit's name."""

import os
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pledges.models import Pledge, Signature
from tests.pledges.factories import PDF_BYTES, opened, sign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"


def _shot(page, name):
    folder = os.environ.get("TEST_ARTIFACTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _log_in(page, base, username, next_path):
    page.goto(f"{base}{next_path}")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")


def test_the_last_signature_on_paper_brings_the_pledge_into_force(
    page, browser, live_server, world, tmp_path
):
    pledge = opened(world)
    sign(world, pledge, world.unit_c)  # Công an tỉnh signed earlier
    path = f"/pledges/{pledge.pk}/"
    base = live_server.url

    # The secretariat opens the pledge and leaves the page open.
    _log_in(page, base, "thu-ky-x", path)
    status = page.locator("#status")
    expect(status).to_contain_text("1/3")
    expect(status.locator(f"#unit-{world.unit_a.pk}")).to_contain_text("Chưa ký")

    # Meanwhile, in another browser, Viện kiểm sát's officer records their head's signature.
    officer_context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    officer = officer_context.new_page()
    try:
        _log_in(officer, base, "officer-a", path)
        row_a = officer.locator(f"#unit-{world.unit_a.pk}")
        # Their own unit only: no button on another unit's row.
        expect(officer.locator(f"#unit-{world.unit_d.pk}").get_by_role("link")).to_have_count(0)
        row_a.get_by_role("link", name="Ghi nhận chữ ký").click()
        expect(officer.get_by_role("heading", level=1)).to_contain_text(
            "Ghi nhận chữ ký của Viện kiểm sát nhân dân tỉnh"
        )
        officer.fill("#id_signer_name", "Nguyễn Văn An")
        officer.fill("#id_signer_title", "Viện trưởng")
        officer.fill("#id_signed_on", "2026-03-16")
        _shot(officer, "pledge-officer-sign-form")
        officer.get_by_role("button", name="Ghi nhận chữ ký").click()
        expect(officer.locator("ul.messages")).to_contain_text(
            "Đã ghi nhận chữ ký của Viện kiểm sát nhân dân tỉnh."
        )
        expect(officer.locator("#status")).to_contain_text("2/3")
        _shot(officer, "pledge-officer-signed")
    finally:
        officer_context.close()

    # The secretariat's open page catches up by itself (the status table polls every 15 s).
    expect(status).to_contain_text("2/3", timeout=25_000)
    expect(status.locator(f"#unit-{world.unit_a.pk}")).to_contain_text("Nguyễn Văn An")
    _shot(page, "pledge-secretariat-polled")

    # Tòa án signed on paper: the secretariat records it with the scan of the signed page.
    status.locator(f"#unit-{world.unit_d.pk}").get_by_role(
        "link", name="Ghi chữ ký trên giấy"
    ).click()
    page.fill("#id_signer_name", "Trần Thị Bình")
    page.fill("#id_signer_title", "Chánh án")
    page.fill("#id_signed_on", "2026-03-18")
    scan = tmp_path / "trang-ky-toa-an.pdf"
    scan.write_bytes(PDF_BYTES)
    page.set_input_files("#id_scan", str(scan))
    _shot(page, "pledge-paper-form")
    page.get_by_role("button", name="Ghi nhận chữ ký").click()
    expect(page.locator("ul.messages")).to_contain_text(
        "Tất cả đơn vị đã ký: bản giao ước có hiệu lực từ ngày 18/03/2026."
    )
    expect(status).to_contain_text("3/3")
    expect(status).to_contain_text("Có hiệu lực")
    pledge.refresh_from_db()
    assert pledge.state == Pledge.State.IN_FORCE
    expect(status).to_contain_text(pledge.document.verification_code)
    paper = Signature.objects.get(pledge=pledge, unit=world.unit_d)
    assert paper.method == Signature.Method.PAPER and paper.scan_name == "trang-ky-toa-an.pdf"
    _shot(page, "pledge-in-force")

    # The signed PDF from the page holds every unit's name.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF đã ký").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for name in ("Viện kiểm sát nhân dân tỉnh", "Công an tỉnh", "Tòa án nhân dân tỉnh"):
        assert name in flat, name
    assert "Nguyễn Văn An" in flat and "Trần Thị Bình" in flat
    assert f"Mã kiểm tra: {pledge.document.verification_code}" in flat
    assert page.js_errors == []
