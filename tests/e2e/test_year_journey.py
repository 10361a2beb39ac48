"""In Chromium, against the real stack (bin/stack: gunicorn, a Celery worker and beat, on
PostgreSQL and Redis): the year of scenario A, Khối thi đua VIII of Thành phố Hồ Chí Minh, 2022.

The secretariat sets up the year (chair term, pledge, criteria table from Excel, year-end
period); each of the six officers signs the pledge, scores their unit, attaches the evidence,
writes the report and sends it; one report is returned and sent again; the secretariat accepts
them (one verified score changed with a reason), computes the ranking (Bộ Tư lệnh Thành phố
first), runs the ballot the officers vote in, builds the proposal; the chair's representative
approves it; the secretariat issues it, downloads its documents and compiles the year-end
report, whose progress bar the stack's Celery worker drives to the end.

Outside the UI (setup script, its own process against the stack's database): the authority,
the six units and their membership of the bloc in 2022, the people and their roles, and the
units' awards of 2020 and 2021 (the registry the award rules read: awards/demo.py's records and
each unit's Tập thể lao động xuất sắc, invented like them).
"""

import io
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from scoring.demo import A_ADJUSTMENT, A_COMMENTS, A_LEAVES, A_SCORES, A_TABLE
from scoring.spreadsheets import TABLE_HEADERS
from tests.conftest import need
from tests.e2e.conftest import CHROMIUM

pytestmark = [pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[2]
DB = "thiduea_journey"
BIND = "127.0.0.1:8011"
BASE = f"http://{BIND}"
ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
    "STACK_BIND": BIND,
    "WEB_CONCURRENCY": "2",
    "CELERY_CONCURRENCY": "1",
    # bin/stack kills its own stragglers before the fixture gives up on it and kills the group.
    "STACK_STOP_TIMEOUT": "20",
}
PASSWORD = "mat-khau-hanh-trinh-2022"
UNITS = [
    "Bộ Tư lệnh Thành phố",
    "Bộ Chỉ huy Bộ đội Biên phòng Thành phố",
    "Cục Thi hành án dân sự Thành phố",
    "Viện kiểm sát nhân dân Thành phố",
    "Công an Thành phố",
    "Tòa án nhân dân Thành phố",
]
HEADS = [
    ("Thiếu tướng Phan Văn Xựng", "Chính ủy"),
    ("Đại tá Nguyễn Văn Hùng", "Chỉ huy trưởng"),
    ("Trần Văn Minh", "Cục trưởng"),
    ("Lê Thị Hoa", "Viện trưởng"),
    ("Trung tướng Trần Văn Sơn", "Giám đốc"),
    ("Phạm Thị Lan", "Chánh án"),
]
EVIDENCE = ["I.1", "II.1", "IV.1"]  # required by the table
FLAG = "Cờ thi đua của Ủy ban nhân dân tỉnh, thành phố"
MERIT = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh, thành phố"
FLAG_SHORT = "Cờ thi đua UBND tỉnh"
MERIT_SHORT = "Bằng khen Chủ tịch UBND tỉnh"
FLAG_PDF = "Cờ thi đua của Ủy ban nhân dân Thành phố Hồ Chí Minh"
MERIT_PDF = "Bằng khen của Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh"
# Liberation Serif from static/fonts/, under the family name static/css/pdf.css gives it.
BUNDLED = {
    "thiduea-Serif",
    "thiduea-Serif-Bold",
    "thiduea-Serif-Italic",
    "thiduea-Serif-Bold-Italic",
}
RETURNED = 5  # Tòa án nhân dân Thành phố's report is returned once
# Verified totals (scoring/demo.py): Biên phòng's bonus verified 3 instead of 5.
TOTALS = ["104,5", "101", "98,5", "98,5", "101,5", "98,5"]
PAGES = {"Tờ trình": 2, "Danh sách": 1, "Biên bản họp": 2, "Biên bản kiểm phiếu": 1}
PLACE = "Đồn biên phòng Thạnh An, xã đảo Thạnh An, huyện Cần Giờ"
# (unit, total) from first to last: the chain places the three at 98,5 by group I.
RANKING = [(0, "104,5"), (4, "101,5"), (1, "101"), (3, "98,5"), (5, "98,5"), (2, "98,5")]
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

SETUP = """
import json
from blocs.models import Authority, Bloc, Membership, Role, Unit, UnitName
from core.models import User

authority = Authority.objects.create(
    code="hcm",
    name="Thành phố Hồ Chí Minh",
    people_committee_name="Ủy ban nhân dân Thành phố Hồ Chí Minh",
    council_name="Hội đồng Thi đua - Khen thưởng Thành phố Hồ Chí Minh",
    tdkt_office_name="Ban Thi đua - Khen thưởng Thành phố",
)
bloc = Bloc.objects.create(authority=authority, code="VIII", name="Khối thi đua VIII")
secretariat = User.objects.create_user("thuky", password=PASSWORD, full_name="Nguyễn Thị Thu")
Role.objects.create(user=secretariat, kind=Role.Kind.SECRETARIAT, authority=authority)
units = []
for position, full in enumerate(UNITS, start=1):
    unit = Unit.objects.create(authority=authority, full_name=full)
    UnitName.objects.create(unit=unit, full_name=full)
    Membership.objects.create(bloc=bloc, unit=unit, year=2022, position=position)
    officer = User.objects.create_user(
        f"canbo-a{position}", password=PASSWORD, full_name=f"Cán bộ thi đua {position}"
    )
    Role.objects.create(user=officer, kind=Role.Kind.OFFICER, unit=unit)
    units.append(unit.pk)
chair = User.objects.create_user("chutri-a", password=PASSWORD, full_name="Phan Văn Xựng")
Role.objects.create(
    user=chair, kind=Role.Kind.CHAIR_REP, unit_id=units[0], title="Chính ủy"
)
# The registry of the two years before: the awards demo's flags and certificates, and each
# unit's Tập thể lao động xuất sắc (which the certificate's rule asks for, 2 years running).
import datetime as dt
from awards import services as award_services
from awards.demo import _registry
from awards.models import AwardType

_registry(secretariat, bloc, None)
excellent = AwardType.objects.get(code="tap_the_lao_dong_xuat_sac")
for position, pk in enumerate(units, start=1):
    for year in (2020, 2021):
        award_services.award_registry_record(
            actor=secretariat,
            unit=Unit.objects.get(pk=pk),
            year=year,
            award_type=excellent,
            decision_number=f"{(year - 2000) * 1000 + position}/QĐ-UBND",
            decision_date=dt.date(year + 1, 1, 10),
            issuing_body="Ủy ban nhân dân Thành phố Hồ Chí Minh",
            note="Dữ liệu minh họa",
        )
print("WORLD=" + json.dumps({"bloc": bloc.pk, "units": units}))
"""


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(ENV)
    return env


def _up(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def _services_up():
    import socket

    for port in (5432, 6379):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    need(_services_up(), "PostgreSQL (5432) and Redis (6379) are not running on 127.0.0.1")
    for tool in ("dropdb", "createdb", "pdftotext", "pdffonts", "setsid"):
        need(shutil.which(tool) is not None, f"{tool} is not installed")
    need(os.path.exists(CHROMIUM), f"Chromium is not installed at {CHROMIUM}")
    assert not _up(f"{BASE}/healthz"), f"something already answers on {BIND}"
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", "--force", DB], check=True)
    subprocess.run(["createdb", *pg, DB], check=True)
    folder = Path(os.environ.get("TEST_ARTIFACTS") or tmp_path_factory.mktemp("stack"))
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / "year-stack.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed when the stack is stopped)
    process = subprocess.Popen(
        [str(ROOT / "bin" / "stack")],
        cwd=ROOT,
        env=_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not _up(f"{BASE}/healthz"):
            assert process.poll() is None, f"bin/stack exited: see {log_path}"
            assert time.monotonic() < deadline, "the stack did not answer /healthz in 120 s"
            time.sleep(0.5)
        out = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "manage.py",
                "shell",
                "-c",
                f"PASSWORD = {PASSWORD!r}\nUNITS = {UNITS!r}\n{SETUP}",
            ],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        world = json.loads(re.search(r"^WORLD=(.*)$", out, re.M).group(1))
        yield world
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass
        log.close()


class Journey:
    """The people of the year, each in a browser context of their own, and the screenshots."""

    def __init__(self, browser, world):
        self.browser = browser
        self.world = world
        self.pages = {}
        self.errors = []
        self.step = 0
        self.folder = os.environ.get("TEST_ARTIFACTS")
        if self.folder:
            os.makedirs(self.folder, exist_ok=True)

    def as_(self, username, path):
        page = self.pages.get(username)
        if page is None:
            context = self.browser.new_context(
                viewport={"width": 1366, "height": 900}, locale="vi-VN", accept_downloads=True
            )
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            page.on("pageerror", lambda error: self.errors.append(f"{username}: {error}"))
            page.goto(f"{BASE}{path}")
            expect(page).to_have_url(re.compile(r"/accounts/login/"))
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("#login-submit")
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
            self.pages[username] = page
        else:
            page.goto(f"{BASE}{path}")
        return page

    def shot(self, page, name):
        self.step += 1
        if self.folder:
            path = os.path.join(self.folder, f"year-{self.step:02d}-{name}.png")
            page.screenshot(path=path, full_page=True)

    def close(self):
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def journey(stack, browser):
    # The session's Chromium (tests/e2e/conftest.py): a second Playwright in the same process
    # refuses to start inside the first one's event loop.
    j = Journey(browser, stack)
    yield j
    j.close()


def _path(page):
    return re.sub(r"^https?://[^/]+", "", page.url)


def _message(page, text):
    expect(page.locator("ul.messages")).to_contain_text(text)


def _table_workbook(path):
    kinds = {"regular": "điểm chuẩn", "bonus": "điểm thưởng", "deduction": "điểm trừ"}
    book = Workbook()
    sheet = book.active
    sheet.append(["Bảng tiêu chí chấm điểm thi đua Khối thi đua VIII năm 2022"])
    sheet.append([])
    sheet.append(TABLE_HEADERS)
    for code, title, children in A_TABLE:
        sheet.append([code, "", code, title, "", "", "", ""])
        for leaf, leaf_title, points, kind, evidence, guidance in children:
            sheet.append(
                [
                    f"{code}.{leaf}",
                    code,
                    leaf,
                    leaf_title,
                    points,
                    kinds[kind],
                    "có" if evidence else "",
                    guidance,
                ]
            )
    book.save(path)


def _pdf_text(data):
    return " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )


def _pdf_facts(data, folder, name):
    """(pages, font names, all embedded) of a PDF, read by pypdf and pdffonts; the file is kept
    in ``folder``."""
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    path = Path(folder) / f"{name}.pdf"
    path.write_bytes(data)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1] for line in lines if line.strip()}
    embedded = all(" yes " in f" {line} " for line in lines if line.strip())
    return pages, fonts, embedded


def _download(page, locator):
    """What the link gives: a file to save, or a PDF the browser would open inline (fetched with
    the person's own session)."""
    href = locator.get_attribute("href")
    answer = page.request.get(f"{BASE}{href}")
    assert answer.ok, (href, answer.status)
    return answer.body()


def test_the_year_of_khoi_thi_dua_viii(journey, tmp_path):
    started = time.monotonic()
    world = journey.world
    bloc, units = world["bloc"], world["units"]
    year = f"/blocs/{bloc}/2022"

    # 1. The secretariat sets up the year. -------------------------------------------------
    sec = journey.as_("thuky", f"{year}/")
    expect(sec.get_by_role("heading", name="Khối thi đua VIII")).to_be_visible()
    expect(sec.locator("main")).to_contain_text("Thành viên năm 2022 (6 đơn vị)")
    sec.get_by_role("link", name="Bầu Khối trưởng năm 2022").click()
    sec.select_option("#id_chair", label=UNITS[0])
    sec.fill("#id_elected_on", "2022-01-20")
    sec.fill("#id_elected_at", "Hội nghị triển khai công tác thi đua, khen thưởng năm 2022")
    sec.get_by_role("button", name="Ghi kết quả bầu").click()
    expect(sec.locator("dl.pairs")).to_contain_text(UNITS[0])
    journey.shot(sec, "chair-elected")

    # The pledge: drafted, its contents and a target, opened for signing.
    sec.goto(f"{BASE}{year}/pledge/")
    sec.get_by_role("button", name="Soạn bản giao ước").click()
    _message(sec, "Đã tạo dự thảo bản giao ước.")
    sec.fill(
        "#id_preamble",
        "Thực hiện Kế hoạch công tác thi đua, khen thưởng năm 2022 của UBND Thành phố.",
    )
    sec.fill(
        "#id_commitment-0-text",
        "Hoàn thành xuất sắc nhiệm vụ chính trị, bảo đảm quốc phòng, an ninh trên địa bàn.",
    )
    sec.fill("#id_signing_on", "2022-03-15")
    sec.fill("#id_signing_place", "Hội trường Bộ Tư lệnh Thành phố")
    sec.select_option("#id_presiding_unit", label=UNITS[0])
    sec.fill("#id_target-0-text", "Cán bộ, chiến sĩ đạt danh hiệu Lao động tiên tiến")
    sec.fill("#id_target-0-value", "90")
    sec.fill("#id_target-0-measure", "%")
    sec.get_by_role("button", name="Lưu dự thảo").click()
    _message(sec, "Đã lưu dự thảo bản giao ước.")
    expect(sec.locator("main")).to_contain_text("≥ 90 %")
    journey.shot(sec, "pledge-draft")
    sec.get_by_role("button", name="Mở ký").click()
    _message(sec, "Đã mở ký")
    status = sec.locator("#status")
    expect(status).to_contain_text("Đang ký kết")
    expect(status).to_contain_text("0/6")
    pledge_path = _path(sec)

    # How the year is ranked: equal totals are placed by group I first (the bloc's regulation).
    sec.goto(f"{BASE}{year}/scoring/")
    sec.get_by_role("link", name="Sửa", exact=True).click()
    sec.fill("#id_tie_break", "group:I\nfewer_deductions\nwomen_70")
    sec.get_by_role("button", name="Lưu").click()
    expect(sec.locator("main")).to_contain_text("điểm nhóm tiêu chí I cao hơn → ít điểm trừ hơn")
    journey.shot(sec, "tie-break-chain")

    # The criteria table, imported from Excel, then frozen.
    sec.get_by_role("link", name="Lập bảng tiêu chí mới").click()
    sec.fill("#id_title", "Bảng tiêu chí chấm điểm thi đua Khối thi đua VIII năm 2022")
    sec.get_by_role("button", name="Lưu").click()
    _message(sec, "Đã lập dự thảo bảng tiêu chí")
    sec.get_by_role("link", name="Nhập từ Excel").click()
    workbook = tmp_path / "bang-tieu-chi.xlsx"
    _table_workbook(workbook)
    sec.set_input_files("#id_file", str(workbook))
    sec.get_by_role("button", name="Đọc thử").click()
    expect(sec.locator("main")).to_contain_text("Sẽ nhập 18 tiêu chí")
    journey.shot(sec, "table-import-preview")
    sec.get_by_role("button", name="Nhập 18 tiêu chí").click()
    _message(sec, "Đã nhập 18 tiêu chí.")
    expect(sec.locator("main")).to_contain_text("các tiêu chí điểm chuẩn cộng lại: 100")
    sec.get_by_role("button", name="Chốt bảng tiêu chí").click()
    _message(sec, "Đã chốt bảng tiêu chí.")
    journey.shot(sec, "table-frozen")

    # The year-end period, opened.
    sec.goto(f"{BASE}{year}/scoring/")
    sec.get_by_role("link", name="Lập kỳ báo cáo").click()
    sec.select_option("#id_kind", "year_end")
    sec.fill("#id_opens_on", "2022-11-15")
    sec.fill("#id_deadline", "2022-12-05")
    sec.get_by_role("button", name="Lập").click()
    _message(sec, "Đã lập kỳ báo cáo (dự thảo).")
    sec.get_by_role("button", name="Mở kỳ báo cáo").click()
    _message(sec, "Đã mở kỳ báo cáo")
    expect(sec.locator("main")).to_contain_text("0/6 đơn vị đã gửi")
    period_path = _path(sec)
    journey.shot(sec, "period-open")

    # 2. Each officer signs the pledge and sends the unit's report. ------------------------
    evidence = tmp_path / "minh-chung.pdf"
    evidence.write_bytes(PDF)
    reports = []
    for index, unit in enumerate(units):
        officer = journey.as_(f"canbo-a{index + 1}", pledge_path)
        row = officer.locator(f"#unit-{unit}")
        row.get_by_role("link", name="Ghi nhận chữ ký").click()
        name, title = HEADS[index]
        officer.fill("#id_signer_name", name)
        officer.fill("#id_signer_title", title)
        officer.fill("#id_signed_on", "2022-03-15")
        officer.get_by_role("button", name="Ghi nhận chữ ký").click()
        expect(officer.locator("#status")).to_contain_text(f"{index + 1}/6")
        if index == len(units) - 1:
            _message(officer, "Tất cả đơn vị đã ký: bản giao ước có hiệu lực từ ngày 15/03/2022.")
            expect(officer.locator("#status")).to_contain_text("Có hiệu lực")
            journey.shot(officer, "pledge-in-force")

        officer.goto(f"{BASE}{period_path}")
        officer.get_by_role("button", name="Lập báo cáo của đơn vị").click()
        expect(officer.get_by_role("heading", name=UNITS[index])).to_be_visible()
        report_path = _path(officer)
        reports.append(report_path)
        cells = officer.locator("[id^=cell-]")
        expect(cells).to_have_count(len(A_LEAVES))
        ids = {
            path: cells.nth(n).get_attribute("id").removeprefix("cell-")
            for n, path in enumerate(A_LEAVES)
        }
        scores = A_SCORES[index]
        if index == 0:
            # The chair unit types its scores: each cell saves as it is typed.
            for n, path in enumerate(A_LEAVES):
                cell = officer.locator(f"#cell-{ids[path]}")
                cell.locator("input[name=points]").fill(scores[n])
                expect(cell.locator(".cell-status")).to_contain_text("Đã lưu")
            officer.locator(f"#comment-{ids['IV.1']}").fill(A_COMMENTS["IV.1"][index])
            officer.locator(f"#comment-{ids['IV.1']}").blur()
            expect(officer.locator(f"#cell-{ids['IV.1']} .cell-status")).to_contain_text("Đã lưu")
        else:
            # The others fill the sheet downloaded from the page and send it back.
            data = _download(officer, officer.get_by_role("link", name="Tải phiếu chấm (Excel)"))
            book = load_workbook(io.BytesIO(data))
            sheet = book.worksheets[0]
            for n, path in enumerate(A_LEAVES):
                assert sheet.cell(row=4 + n, column=1).value == path
                sheet.cell(row=4 + n, column=5).value = scores[n].replace(",", ".")
                comment = A_COMMENTS.get(path, [""] * 6)[index]
                if comment:
                    sheet.cell(row=4 + n, column=6).value = comment
            filled = tmp_path / f"phieu-{index}.xlsx"
            book.save(filled)
            officer.get_by_role("link", name="Gửi phiếu đã điền").click()
            officer.set_input_files("input[type=file]", str(filled))
            officer.get_by_role("button", name="Đọc thử").click()
            save = officer.get_by_role("button", name=re.compile(r"^Lưu \d+"))
            expect(save).to_be_visible()
            if index == 1:
                journey.shot(officer, "sheet-preview")
            save.click()
            expect(officer.get_by_role("heading", name=UNITS[index])).to_be_visible()
        expect(officer.locator("#scored-count")).to_have_text("13/13")
        for path in EVIDENCE:
            row = officer.locator(f"#c{ids[path]}")
            row.locator("input[type=file]").set_input_files(str(evidence))
            row.get_by_role("button", name="Đính kèm").click()
            expect(officer.locator(f"#c{ids[path]}")).to_contain_text("minh-chung.pdf")
        officer.fill(
            "#id_text",
            f"{UNITS[index]} hoàn thành xuất sắc nhiệm vụ năm 2022, thực hiện tốt giao ước thi đua.",
        )
        expect(officer.locator("#text-status")).to_contain_text("Đã lưu")
        officer.get_by_role("button", name="Gửi báo cáo").click()
        expect(officer.locator("#report-state")).to_have_text("Đã gửi")
        if index in (0, 1):
            journey.shot(officer, f"report-sent-{index + 1}")

    # The secretariat returns Tòa án's report with a reason; the officer sends it again.
    sec = journey.as_("thuky", reports[RETURNED])
    sec.get_by_role("link", name="Trả lại").click()
    reason = "Đề nghị bổ sung minh chứng xếp loại tổ chức cơ sở đảng năm 2022."
    sec.fill("#id_reason", reason)
    sec.get_by_role("button", name="Trả lại").click()
    expect(sec.locator("#report-state")).to_have_text("Trả lại để bổ sung")
    officer = journey.as_(f"canbo-a{RETURNED + 1}", reports[RETURNED])
    expect(officer.locator("main")).to_contain_text(reason)
    journey.shot(officer, "report-returned")
    officer.get_by_role("button", name="Gửi báo cáo").click()
    expect(officer.locator("#report-state")).to_have_text("Đã gửi")

    # 3. The secretariat accepts the reports, one verified score changed. ------------------
    unit_index, path, points, why = A_ADJUSTMENT
    sec = journey.as_("thuky", reports[unit_index])
    cell = sec.locator("[id^=vpoints-]").nth(A_LEAVES.index(path))
    form = cell.locator("xpath=ancestor::form")
    cell.fill(points)
    form.locator("input[name=reason]").fill(why)
    expect(sec.locator("#verified-total")).to_have_text("0")
    form.get_by_role("button", name="Lưu").click()
    expect(form.locator("xpath=..")).to_contain_text(why)
    # Only this cell is verified so far: the header's verified total shows it at once.
    expect(sec.locator("#verified-total")).to_have_text(points)
    journey.shot(sec, "verified-changed")
    for index, report_path in enumerate(reports):
        sec.goto(f"{BASE}{report_path}")
        sec.get_by_role("button", name="Chấp nhận").click()
        expect(sec.locator("#report-state")).to_have_text("Đã chấp nhận")
        expect(sec.locator("main")).to_contain_text(f"Tổng điểm thẩm định: {TOTALS[index]}")
    sec.goto(f"{BASE}{period_path}")
    expect(sec.locator("main")).to_contain_text("6/6 đơn vị đã gửi, 6 báo cáo đã được chấp nhận")
    journey.shot(sec, "period-all-accepted")

    # The ranking: Bộ Tư lệnh Thành phố first.
    sec.goto(f"{BASE}{year}/ranking/")
    sec.get_by_role("button", name="Tính xếp hạng").click()
    rows = sec.locator("table tbody tr")
    expect(rows).to_have_count(6)
    for n, (unit_index, total) in enumerate(RANKING):
        expect(rows.nth(n).locator("td").nth(0)).to_have_text(str(n + 1))
        expect(rows.nth(n)).to_contain_text(UNITS[unit_index])
        expect(rows.nth(n)).to_contain_text(total)
    # The three at 98,5 are placed by group I (48,5 > 48 > 47,5), not left sharing a rank.
    expect(sec.locator("main")).not_to_contain_text("đồng hạng")
    journey.shot(sec, "ranking")

    # The year-end conference, where the ballot is held.
    sec.goto(f"{BASE}{year}/")
    sec.get_by_role("link", name="Ghi hội nghị").click()
    sec.select_option("#id_kind", "year_end")
    sec.fill("#id_held_on", "2022-12-16")
    sec.fill("#id_place", PLACE)
    sec.select_option("#id_presiding_unit", label=UNITS[0])
    sec.fill("#id_presiding_person", "Thiếu tướng Phan Văn Xựng, Chính ủy Bộ Tư lệnh Thành phố")
    sec.get_by_role("button", name="Lưu").click()
    _message(sec, "Đã ghi hội nghị.")
    expect(sec.locator("main")).to_contain_text(PLACE)
    journey.shot(sec, "conference")

    # The ballot: a flag for one unit, certificates for five; opened.
    sec.goto(f"{BASE}{year}/awards/")
    sec.get_by_role("link", name="Tổ chức bỏ phiếu").click()
    sec.fill("#id_title", "Bình xét thi đua, khen thưởng năm 2022")
    sec.fill("#id_held_on", "2022-12-16")
    sec.fill("#id_threshold", "50")
    sec.get_by_role("button", name="Tạo").click()
    ballot_path = _path(sec)
    for award, count, chosen in ((FLAG, 1, UNITS[:1]), (MERIT, 5, UNITS[1:])):
        sec.select_option("#id_award_type", label=award)
        sec.fill("#id_max_choices", str(count))
        sec.get_by_role("button", name="Thêm", exact=True).click()
        expect(sec.get_by_role("heading", name=award)).to_be_visible()
        # The item just added is the last one on the ballot.
        sec.get_by_role("link", name="Chọn đơn vị được giới thiệu").last.click()
        expect(sec.get_by_role("heading", level=1)).to_have_text(f"Giới thiệu đơn vị: {award}")
        for name in chosen:
            sec.get_by_label(name, exact=True).check()
        sec.get_by_role("button", name="Lưu").click()
        expect(sec.locator("main")).to_contain_text(chosen[-1])
    journey.shot(sec, "ballot-draft")
    sec.get_by_role("button", name="Mở bỏ phiếu").click()
    expect(sec.locator("#roll")).to_contain_text("0 đã bỏ phiếu")

    # The officers vote, each for every candidate (the conference was unanimous).
    for index in range(len(units)):
        officer = journey.as_(f"canbo-a{index + 1}", f"{ballot_path}vote/")
        expect(officer.locator("main")).to_contain_text(f"Phiếu bầu của {UNITS[index]}")
        boxes = officer.locator("main form input[type=checkbox]")
        expect(boxes).to_have_count(6)
        for n in range(6):
            boxes.nth(n).check()
        officer.get_by_role("button", name="Gửi phiếu").click()
        expect(officer.locator("main")).to_contain_text("Đơn vị đã bỏ phiếu.")
        if index == 0:
            journey.shot(officer, "ballot-voted")

    # The secretariat closes it: everyone proposed with 6 of 6 votes.
    sec.goto(f"{BASE}{ballot_path}")
    expect(sec.locator("#roll")).to_contain_text("6 đã bỏ phiếu")
    sec.get_by_role("link", name="Kết thúc và kiểm phiếu").click()
    sec.get_by_role("button", name="Kết thúc và kiểm phiếu").click()
    expect(sec.locator("main .tag.strong", has_text="Được đề nghị")).to_have_count(6)
    journey.shot(sec, "ballot-counted")

    # The proposal, built from the ballot and sent to the chair.
    sec.goto(f"{BASE}{year}/proposal/")
    sec.get_by_role("button", name="Lập dự thảo đề nghị").click()
    lines = sec.locator("main table").first
    expect(lines.locator("tbody tr")).to_have_count(6)
    for rank, (unit_index, total) in enumerate(RANKING, start=1):
        line = lines.locator("tbody tr", has_text=UNITS[unit_index]).locator("td")
        expect(line.nth(0)).to_have_text(FLAG_SHORT if unit_index == 0 else MERIT_SHORT)
        expect(line.nth(2)).to_have_text(str(rank))
        expect(line.nth(3)).to_have_text(total)
        expect(line.nth(4)).to_have_text("6")
        # The standards of the award are met (the leader; two years of Tập thể LĐXS).
        expect(line.nth(5).locator("summary")).to_have_text("Đạt")
    sec.get_by_role("button", name="Trình Khối trưởng duyệt").click()
    expect(sec.locator("main")).to_contain_text("Đã trình Khối trưởng")
    proposal_path = f"{year}/proposal/"
    journey.shot(sec, "proposal-submitted")

    # 4. The chair's representative approves; the secretariat issues it. ------------------
    chair = journey.as_("chutri-a", proposal_path)
    chair.get_by_role("button", name="Duyệt đề nghị").click()
    expect(chair.locator("main")).to_contain_text("Khối trưởng đã duyệt")
    journey.shot(chair, "proposal-approved")

    sec.goto(f"{BASE}{proposal_path}")
    sec.get_by_role("link", name="Ban hành Tờ trình").click()
    sec.fill("#id_number", "25")
    sec.fill("#id_symbol", "TTr-KTĐVIII")
    sec.fill("#id_issued_on", "2022-12-20")
    sec.select_option("#id_signer_prefix", "TM.")
    sec.fill("#id_signer_name", "Thiếu tướng Phan Văn Xựng")
    sec.get_by_role("button", name="Ban hành và chốt hồ sơ").click()
    docs = sec.locator("#docs-heading + ul a")
    expect(docs.first).to_be_visible()
    journey.shot(sec, "proposal-issued")
    expect(sec.locator("main")).to_contain_text("Đã ban hành")
    documents = {}
    for n in range(docs.count()):
        title = docs.nth(n).inner_text()
        code = docs.nth(n).locator("xpath=..").locator("code").inner_text()
        for key in ("Tờ trình", "Danh sách", "Biên bản họp", "Biên bản kiểm phiếu"):
            if title.startswith(key) and key not in documents:
                data = _download(sec, docs.nth(n))
                assert data.startswith(b"%PDF"), title
                documents[key] = (data, code)
    assert len(documents) == 4, list(documents)
    keep = journey.folder or tmp_path
    texts = {}
    for n, (key, (data, code)) in enumerate(documents.items()):
        pages, fonts, embedded = _pdf_facts(data, keep, f"year-document-{n + 1}")
        assert 1 <= pages <= PAGES[key], (key, pages)
        assert embedded and fonts <= BUNDLED, (key, fonts)
        texts[key] = _pdf_text(data)
        assert f"Mã kiểm tra: {code}" in texts[key], key
        assert "Khối thi đua VIII" in texts[key], key
    # The Tờ trình names the units under the right award, in the members' order.
    assert (
        f"khen thưởng 6 tập thể, gồm: 1. {FLAG_PDF}: 01 tập thể ({UNITS[0]}). "
        f"2. {MERIT_PDF}: 05 tập thể ({'; '.join(UNITS[1:])})."
    ) in texts["Tờ trình"]
    assert "Số: 25/TTr-KTĐVIII" in texts["Tờ trình"]
    assert "Thiếu tướng Phan Văn Xựng" in texts["Tờ trình"]
    # The list: section I holds the flag's one unit, section II the five certificates.
    flag = re.search(rf"I {FLAG_PDF} \(01 tập thể\) 1 (.+?) II {MERIT_PDF}", texts["Danh sách"])
    assert flag and flag.group(1).startswith(UNITS[0]), texts["Danh sách"]
    after = texts["Danh sách"].split(f"II {MERIT_PDF} (05 tập thể)")[1]
    for position, name in enumerate(UNITS[1:], start=1):
        assert f"{position} {name}" in after, name
    assert "(100%)" in after
    # The meeting's minutes: the conference, the ranking, the conclusion.
    minutes = texts["Biên bản họp"]
    assert f"Ngày 16/12/2022, tại {PLACE}" in minutes
    ranked = " ".join(f"{n + 1} {UNITS[u]} {total}" for n, (u, total) in enumerate(RANKING))
    assert f"Hạng Đơn vị Tổng điểm {ranked}" in minutes
    assert "Kết luận: Hội nghị thống nhất đề nghị khen thưởng:" in minutes
    assert f"- {FLAG_PDF}: {UNITS[0]}." in minutes
    assert f"- {MERIT_PDF}: {'; '.join(UNITS[1:])}." in minutes
    # The count: 6 ballots, each unit proposed with 6 of 6.
    count = texts["Biên bản kiểm phiếu"]
    assert "Số phiếu phát ra: 6; số phiếu thu về: 6; số phiếu hợp lệ: 6" in count
    assert f"1 {UNITS[0]} Số phiếu (tỷ lệ) Kết quả 6 (100%) Được đề nghị" in count
    for position, name in enumerate(UNITS[1:], start=1):
        assert f"{position} {name} 6 (100%) Được đề nghị" in count, name

    # The year-end report, compiled by the stack's Celery worker while the bar moves.
    sec.goto(f"{BASE}{year}/report/")
    expect(sec.locator("#versions")).to_contain_text("Chưa lập bản nào.")
    sec.get_by_role("button", name="Lập báo cáo").click()
    job = sec.locator(".job")
    expect(job).to_be_visible()
    journey.shot(sec, "report-compiling")
    seen = set()  # the bar's values, read while htmx replaces it every 2 s
    deadline = time.monotonic() + 90
    while "job-done" not in (job.get_attribute("class") or ""):
        assert "job-failed" not in (job.get_attribute("class") or ""), job.inner_text()
        assert time.monotonic() < deadline, "the report was not compiled in 90 s"
        seen.add(int(job.locator("progress").get_attribute("value")))
        time.sleep(0.2)
    expect(job.locator("progress")).to_have_attribute("value", "100")
    expect(job).to_contain_text("Xong lúc")
    # The list of versions refreshes by itself when the job ends.
    row = sec.locator("#versions tbody tr")
    expect(row).to_have_count(1)
    journey.shot(sec, "report-compiled")
    cells = row.first.locator("td")
    expect(cells.nth(0)).to_have_text("1")
    expect(cells.nth(2)).to_have_text("Nguyễn Thị Thu")
    data = _download(sec, row.first.get_by_role("link", name="PDF"))
    assert data.startswith(b"%PDF")
    pages, fonts, embedded = _pdf_facts(data, keep, "year-bao-cao-tong-ket")
    assert pages == int(cells.nth(3).inner_text()), pages
    assert embedded and fonts <= BUNDLED, fonts
    text = _pdf_text(data)
    assert f"Mã kiểm tra: {cells.nth(5).inner_text()}" in text
    assert "Tổng kết công tác thi đua, khen thưởng năm 2022 của Khối thi đua VIII" in text
    assert "Khối thi đua VIII có 6 đơn vị thành viên; Bộ Tư lệnh Thành phố là Khối trưởng" in text
    assert f"Hạng Đơn vị Tổng điểm {ranked}" in text
    assert seen and min(seen) < 100, seen  # the bar was watched from before its end

    elapsed = time.monotonic() - started
    print(f"the journey took {elapsed:.0f} s")
    assert journey.errors == []
