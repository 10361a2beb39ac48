"""The scoring pages: autosave, conflicts, bad input, evidence, the report's workflow, the
officer's Excel round trip, the criteria table in Excel, the grid and the ranking, query counts."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from blocs.models import Membership
from scoring import services
from scoring.models import Criterion, Evidence, SelfScore, UnitReport, VerifiedScore
from tests.conftest import THIS_YEAR, make_unit
from tests.scoring.factories import (
    FULL,
    build_table,
    evidence_file,
    fill,
    open_period,
    submitted_report,
    wide_spec,
)

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def year(world):
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x)
    period = open_period(secretariat, world.bloc_x, table)
    report = services.report_start(actor=world.users["officer_a"], period=period, unit=world.unit_a)
    return table, leaves, period, report


def cell_url(report, criterion):
    return reverse("scoring:cell_save", args=[report.pk, criterion.pk])


def body(response) -> str:
    return response.content.decode()


# Autosave and conflicts ---------------------------------------------------------------------------


def test_an_officer_autosaves_a_cell_and_gets_its_new_version_back(world, login, year):
    _table, leaves, _period, report = year
    client = login(world.users["officer_a"])
    response = client.post(
        cell_url(report, leaves["I.2"]), {"points": "17,5", "comment": "Đã số hóa 90% hồ sơ"}, **HX
    )
    assert response.status_code == 200
    assert response["X-Cell-State"] == "saved"
    score = SelfScore.objects.get(report=report, criterion=leaves["I.2"])
    assert score.points == D("17.5") and score.comment == "Đã số hóa 90% hồ sơ"
    # The page takes the cell's new version and the total out of band.
    assert f'id="version-{leaves["I.2"].pk}" value="{score.version}" hx-swap-oob="true"' in body(
        response
    )
    assert 'id="self-total" hx-swap-oob="true">17,5<' in body(response)


def test_a_second_tab_saving_over_a_newer_value_gets_a_conflict_with_both_values(
    world, login, year
):
    _table, leaves, _period, report = year
    leaf = leaves["I.2"]
    client = login(world.users["officer_a"])
    client.post(cell_url(report, leaf), {"points": "15", "comment": ""}, **HX)
    first = SelfScore.objects.get(report=report, criterion=leaf)
    client.post(
        cell_url(report, leaf), {"points": "18", "comment": "", "version": first.version}, **HX
    )
    # The other tab still shows the first version and types 12.
    stale = client.post(
        cell_url(report, leaf), {"points": "12", "comment": "", "version": first.version}, **HX
    )
    assert stale["X-Cell-State"] == "conflict"
    text = body(stale)
    assert "18" in text and "12" in text and "chưa được lưu" in text
    assert SelfScore.objects.get(pk=first.pk).points == D("18")
    # Keeping mine sends the version now saved: it goes through.
    newest = SelfScore.objects.get(pk=first.pk).version
    kept = client.post(
        cell_url(report, leaf), {"points": "12", "comment": "", "version": newest}, **HX
    )
    assert kept["X-Cell-State"] == "saved"
    assert SelfScore.objects.get(pk=first.pk).points == D("12")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("45", "vượt mức tối đa 40"),
        ("-1", "không được âm"),
        ("mười", "phải là một số"),
        ("7,255", "tối đa hai chữ số"),
    ],
)
def test_a_bad_score_gets_a_vietnamese_message_and_changes_nothing(
    world, login, year, typed, message
):
    _table, leaves, _period, report = year
    client = login(world.users["officer_a"])
    client.post(cell_url(report, leaves["I.1"]), {"points": "30", "comment": "cũ"}, **HX)
    response = client.post(
        cell_url(report, leaves["I.1"]), {"points": typed, "comment": "mới"}, **HX
    )
    assert response["X-Cell-State"] == "error"
    assert message in body(response)
    score = SelfScore.objects.get(report=report, criterion=leaves["I.1"])
    assert (score.points, score.comment) == (D("30"), "cũ")


def test_without_javascript_a_bad_score_shows_the_page_with_what_was_typed(world, login, year):
    _table, leaves, _period, report = year
    client = login(world.users["officer_a"])
    client.post(cell_url(report, leaves["I.2"]), {"points": "10", "comment": ""})
    response = client.post(cell_url(report, leaves["I.1"]), {"points": "45", "comment": "lý do"})
    assert response.status_code == 422
    text = body(response)
    assert 'value="45"' in text and ">lý do</textarea>" in text
    assert "vượt mức tối đa 40" in text
    assert 'value="10"' in text  # the other cell keeps its saved value


def test_the_written_report_autosaves_and_a_stale_version_is_refused(world, login, year):
    _table, _leaves, _period, report = year
    client = login(world.users["officer_a"])
    url = reverse("scoring:report_text", args=[report.pk])
    saved = client.post(url, {"text": "Nội dung thứ nhất", "version": report.version}, **HX)
    assert "Đã lưu" in body(saved)
    stale = client.post(url, {"text": "Nội dung cũ", "version": report.version}, **HX)
    assert "Người khác vừa sửa" in body(stale)
    assert UnitReport.objects.get(pk=report.pk).text == "Nội dung thứ nhất"


# Evidence -----------------------------------------------------------------------------------------


def test_an_executable_renamed_pdf_is_refused_next_to_its_criterion(world, login, year):
    _table, leaves, _period, report = year
    client = login(world.users["officer_a"])
    fake = SimpleUploadedFile("minh-chung.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = client.post(
        reverse("scoring:evidence_add", args=[report.pk]),
        {"criterion": leaves["I.1"].pk, "file": fake},
    )
    assert response.status_code == 422
    assert "chương trình chạy được" in body(response)
    assert not Evidence.objects.filter(report=report).exists()


def test_evidence_is_served_only_to_those_who_may_see_the_report(world, login, year):
    _table, leaves, _period, report = year
    client = login(world.users["officer_a"])
    client.post(
        reverse("scoring:evidence_add", args=[report.pk]),
        {"criterion": leaves["I.1"].pk, "file": evidence_file()},
    )
    evidence = Evidence.objects.get(report=report)
    url = reverse("scoring:evidence_download", args=[evidence.pk])
    own = client.get(url)
    assert own.status_code == 200 and own["X-Content-Type-Options"] == "nosniff"
    assert login(world.users["officer_b"]).get(url).status_code == 404
    assert login(world.users["chair_last_year"]).get(url).status_code == 404


def test_an_officer_of_another_unit_cannot_read_the_report_or_its_draft_scores(world, login, year):
    _table, _leaves, period, report = year
    other = make_unit(world.authority, "Sở Tư pháp")
    Membership.objects.create(bloc=world.bloc_x, unit=other, year=THIS_YEAR, position=9)
    from blocs.models import Role
    from tests.conftest import make_user

    officer = make_user("officer-other")
    Role.objects.create(user=officer, kind=Role.Kind.OFFICER, unit=other)
    client = login(officer)
    assert client.get(reverse("scoring:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("scoring:report_sheet", args=[report.pk])).status_code == 404
    # The period page lists the unit but links to no report but its own.
    page = body(client.get(reverse("scoring:period_detail", args=[period.pk])))
    assert reverse("scoring:report_detail", args=[report.pk]) not in page


# The report's workflow ----------------------------------------------------------------------------


def test_submitting_an_incomplete_report_says_exactly_what_is_missing(world, login, year):
    _table, leaves, _period, report = year
    client = login(world.users["officer_a"])
    client.post(cell_url(report, leaves["I.2"]), {"points": "10"}, **HX)
    response = client.post(reverse("scoring:report_submit", args=[report.pk]))
    assert response.status_code == 422
    text = body(response)
    assert "Chưa có nội dung báo cáo" in text
    assert "I.1 (Hoàn thành các chỉ tiêu, nhiệm vụ được giao)" in text
    assert "Chưa có minh chứng bắt buộc cho tiêu chí III.1" in text
    assert UnitReport.objects.get(pk=report.pk).state == UnitReport.State.DRAFT


def test_the_secretariat_returns_with_a_reason_then_accepts_the_resent_report(world, login, year):
    _table, leaves, _period, report = year
    officer = world.users["officer_a"]
    fill(officer, report, leaves, FULL)
    services.report_submit(actor=officer, report=report)
    client = login(world.users["secretariat_x"])
    url = reverse("scoring:report_return", args=[report.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "field-error" in body(empty)
    client.post(url, {"reason": "Bổ sung minh chứng tiêu chí I.1"})
    report.refresh_from_db()
    assert report.state == UnitReport.State.RETURNED
    page = body(login(officer).get(reverse("scoring:report_detail", args=[report.pk])))
    assert "Bổ sung minh chứng tiêu chí I.1" in page
    login(officer).post(reverse("scoring:report_submit", args=[report.pk]))
    client = login(world.users["secretariat_x"])
    client.post(reverse("scoring:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == UnitReport.State.ACCEPTED
    assert VerifiedScore.objects.filter(report=report).count() == len(FULL)


def test_a_verified_score_different_from_the_self_score_needs_a_reason(world, login, year):
    _table, leaves, period, report = year
    report = submitted_report(world, world.unit_a, world.users["officer_a"], period, leaves)
    client = login(world.users["secretariat_x"])
    url = reverse("scoring:verified_save", args=[report.pk, leaves["I.1"].pk])
    refused = client.post(url, {"points": "35", "reason": ""}, **HX)
    assert refused["X-Cell-State"] == "error"
    assert "hãy ghi lý do" in body(refused)
    saved = client.post(url, {"points": "35", "reason": "Thiếu chỉ tiêu 3"}, **HX)
    assert saved["X-Cell-State"] == "saved"
    # The header's verified total follows (out of band): only this cell is verified so far.
    assert '<strong id="verified-total" hx-swap-oob="true">35</strong>' in body(saved)
    score = VerifiedScore.objects.get(report=report, criterion=leaves["I.1"])
    assert (score.points, score.justification) == (D("35"), "Thiếu chỉ tiêu 3")
    # The unit sees it, who set it and why.
    page = body(
        login(world.users["officer_a"]).get(reverse("scoring:report_detail", args=[report.pk]))
    )
    assert "Thiếu chỉ tiêu 3" in page and "Thư ký khối X" in page


# The officer's Excel round trip -------------------------------------------------------------------


def _sheet(client, report):
    response = client.get(reverse("scoring:report_sheet", args=[report.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _upload(book, name="phieu.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _line_of(book, path):
    ws = book.worksheets[0]
    return next(row[0].row for row in ws.iter_rows(min_row=4) if row[0].value == path)


def test_an_officer_fills_the_sheet_offline_sees_the_diff_then_applies_it(world, login, year):
    _table, _leaves, _period, report = year
    client = login(world.users["officer_a"])
    book = _sheet(client, report)
    ws = book.worksheets[0]
    assert ws.protection.sheet and ws.data_validations.dataValidation
    ws[f"E{_line_of(book, 'I.1')}"] = 36
    ws[f"E{_line_of(book, 'I.2')}"] = 17.5
    ws[f"F{_line_of(book, 'I.2')}"] = "Đã số hóa"
    url = reverse("scoring:report_sheet_upload", args=[report.pk])
    preview = client.post(url, {"file": _upload(book)})
    assert preview.status_code == 200
    assert "2 ô sẽ thay đổi" in body(preview)
    assert not SelfScore.objects.filter(report=report, points__isnull=False).exists()
    applied = client.post(url, {"apply": "1"})
    assert applied.status_code == 302
    scores = dict(SelfScore.objects.filter(report=report).values_list("criterion__code", "points"))
    assert scores == {"1": D("36"), "2": D("17.5")}


def test_a_sheet_with_a_score_above_the_maximum_is_refused_by_cell(world, login, year):
    _table, _leaves, _period, report = year
    client = login(world.users["officer_a"])
    book = _sheet(client, report)
    line = _line_of(book, "I.1")
    book.worksheets[0][f"E{line}"] = 55
    response = client.post(
        reverse("scoring:report_sheet_upload", args=[report.pk]), {"file": _upload(book)}
    )
    assert f"Ô E{line} (tiêu chí I.1)" in body(response) and "vượt mức tối đa 40" in body(response)
    assert 'name="apply"' not in body(response)
    assert not SelfScore.objects.filter(report=report).exists()


def test_a_sheet_of_another_unit_or_another_version_is_refused_with_the_reason(world, login, year):
    table, leaves, period, report = year
    other = services.report_start(
        actor=world.users["secretariat_x"], period=period, unit=world.unit_c
    )
    client = login(world.users["secretariat_x"])
    book_c = _sheet(client, other)
    response = client.post(
        reverse("scoring:report_sheet_upload", args=[report.pk]), {"file": _upload(book_c)}
    )
    assert "của đơn vị hoặc kỳ báo cáo khác" in body(response)
    # A new version of the table, used by the period: the old sheet no longer fits.
    client_a = login(world.users["officer_a"])
    old = _sheet(client_a, report)
    services.self_score_save(
        actor=world.users["officer_a"],
        report=report,
        criterion=leaves["I.2"],
        points="10",
        comment="",
        version=None,
    )
    table.refresh_from_db()
    new = services.criteria_table_new_version(
        actor=world.users["secretariat_x"], table=table, reason="Sửa tiêu chí I.2"
    )
    services.period_use_table(actor=world.users["secretariat_x"], period=period, table=new)
    response = client_a.post(
        reverse("scoring:report_sheet_upload", args=[report.pk]), {"file": _upload(old)}
    )
    assert "phiên bản 1" in body(response) and "phiên bản 2" in body(response)


def test_a_file_that_is_not_a_spreadsheet_is_refused(world, login, year):
    _table, _leaves, _period, report = year
    client = login(world.users["officer_a"])
    response = client.post(
        reverse("scoring:report_sheet_upload", args=[report.pk]),
        {"file": SimpleUploadedFile("phieu.xlsx", b"not a zip at all" * 10)},
    )
    assert response.status_code == 200
    assert 'class="field-error" id="id_file_error">Không nhận ra loại tệp' in body(response)


# Criteria tables in Excel -------------------------------------------------------------------------


def test_a_criteria_table_exported_to_excel_imports_into_another_draft_unchanged(world, login):
    secretariat = world.users["secretariat_x"]
    source, _leaves = build_table(secretariat, world.bloc_x, year=THIS_YEAR - 1)
    client = login(secretariat)
    exported = client.get(reverse("scoring:table_detail", args=[source.pk]) + "?format=xlsx")
    target = services.criteria_table_create(
        actor=secretariat, bloc=world.bloc_x, year=THIS_YEAR, title="Bảng mới"
    )
    url = reverse("scoring:table_import", args=[target.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("bang.xlsx", exported.content)})
    assert "Sẽ nhập 10 tiêu chí" in body(preview)
    assert not Criterion.objects.filter(table=target).exists()
    client.post(url, {"apply": "1"})

    def shape(table):
        return sorted(
            Criterion.objects.filter(table=table).values_list(
                "code", "parent__code", "title", "max_points", "kind", "evidence_required"
            ),
            key=str,
        )

    assert shape(target) == shape(source)


def test_a_table_file_with_a_bad_row_says_which_line_and_imports_nothing(world, login):
    secretariat = world.users["secretariat_x"]
    target = services.criteria_table_create(
        actor=secretariat, bloc=world.bloc_x, year=THIS_YEAR, title="Bảng mới"
    )
    book = Workbook()
    ws = book.active
    ws.append(["Bảng tiêu chí"])
    ws.append([])
    ws.append(
        ["Mã tiêu chí", "Thuộc", "Số thứ tự", "Nội dung tiêu chí", "Điểm tối đa", "Loại điểm"]
    )
    ws.append(["I", "", "I", "Nhóm I", None, ""])
    ws.append(["I.1", "I", "1", "Tiêu chí 1", "mười", "điểm chuẩn"])
    ws.append(["II.1", "II", "1", "Tiêu chí mồ côi", 5, "điểm chuẩn"])
    response = login(secretariat).post(
        reverse("scoring:table_import", args=[target.pk]), {"file": _upload(book, "bang.xlsx")}
    )
    text = body(response)
    assert "Dòng 5: điểm tối đa “mười” không phải số." in text
    assert "Dòng 6: “Thuộc” II chưa có ở các dòng trên." in text
    assert not Criterion.objects.filter(table=target).exists()


# Grid and ranking ---------------------------------------------------------------------------------


def test_the_ranking_page_computes_and_shows_the_leader_with_a_stable_hash(world, login, year):
    _table, leaves, period, _report = year
    secretariat = world.users["secretariat_x"]
    for unit, officer, points in (
        (world.unit_a, world.users["officer_a"], FULL),
        (world.unit_c, secretariat, {**FULL, "I.1": "30"}),
    ):
        r = submitted_report(world, unit, officer, period, leaves, points)
        services.report_accept(actor=secretariat, report=r)
    client = login(secretariat)
    client.post(reverse("scoring:ranking_compute", args=[world.bloc_x.pk, THIS_YEAR]))
    client.post(reverse("scoring:ranking_compute", args=[world.bloc_x.pk, THIS_YEAR]))
    page = body(client.get(reverse("scoring:ranking", args=[world.bloc_x.pk, THIS_YEAR])))
    first = page.index("Viện kiểm sát nhân dân tỉnh")
    assert first < page.index("Công an tỉnh")
    assert "<svg" in page
    from scoring.models import RankingRun

    hashes = set(RankingRun.objects.values_list("sha256", flat=True))
    assert len(hashes) == 1


def _grid_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("scoring:score_grid", args=[period.pk]))
    assert response.status_code == 200
    return len(queries)


def test_the_score_grid_runs_the_same_few_queries_for_any_number_of_units_and_criteria(
    world, login
):
    secretariat = world.users["secretariat_x"]
    table, leaves = build_table(secretariat, world.bloc_x, spec=wide_spec(6, 10))
    period = open_period(secretariat, world.bloc_x, table)
    client = login(secretariat)
    points = {path: "4" for path in leaves}
    submitted_report(world, world.unit_a, world.users["officer_a"], period, leaves, points)
    small = _grid_queries(client, period)
    for n in range(9):
        unit = make_unit(world.authority, f"Đơn vị thêm {n}")
        Membership.objects.create(bloc=world.bloc_x, unit=unit, year=THIS_YEAR, position=10 + n)
        r = services.report_start(actor=secretariat, period=period, unit=unit)
        fill(secretariat, r, leaves, points)
    large = _grid_queries(client, period)
    assert small == large <= 10
    page = body(client.get(reverse("scoring:score_grid", args=[period.pk]) + "?sort=name"))
    assert page.count("Đơn vị thêm") == 9
    assert "240/–" in page or "4/–" in page


@pytest.mark.parametrize("name", ["report_detail", "period_detail", "bloc_year"])
def test_the_busy_pages_do_not_grow_their_queries_with_the_table(world, login, name):
    secretariat = world.users["secretariat_x"]
    counts = []
    for groups, year_offset in ((2, 1), (6, 2)):
        year_ = THIS_YEAR + year_offset
        for position, unit in enumerate((world.unit_a, world.unit_c, world.unit_d), start=1):
            Membership.objects.create(bloc=world.bloc_x, unit=unit, year=year_, position=position)
        table, leaves = build_table(
            secretariat, world.bloc_x, year=year_, spec=wide_spec(groups, 10)
        )
        period = open_period(secretariat, world.bloc_x, table, year=year_)
        report = services.report_start(
            actor=world.users["officer_a"], period=period, unit=world.unit_a
        )
        fill(world.users["officer_a"], report, leaves, {p: "3" for p in leaves})
        url = {
            "report_detail": reverse("scoring:report_detail", args=[report.pk]),
            "period_detail": reverse("scoring:period_detail", args=[period.pk]),
            "bloc_year": reverse("scoring:bloc_year", args=[world.bloc_x.pk, year_]),
        }[name]
        client = login(world.users["officer_a"] if name == "report_detail" else secretariat)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 14, counts


# Cross-scoring, copies and versions ---------------------------------------------------------------


def test_with_cross_scoring_another_member_scores_a_report_but_never_its_own(world, login, year):
    _table, leaves, period, report = year
    services.scoring_settings_set(
        actor=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
        cross_scoring=True,
        vetoed_units="rank_with_flag",
        tie_break=[],
        version=None,
    )
    from blocs.models import Role
    from tests.conftest import make_user

    officer_c = make_user("officer-c", full_name="Cán bộ C")
    Role.objects.create(user=officer_c, kind=Role.Kind.OFFICER, unit=world.unit_c)
    report = submitted_report(world, world.unit_a, world.users["officer_a"], period, leaves)
    client = login(officer_c)
    page = body(client.get(reverse("scoring:report_detail", args=[report.pk])))
    assert f'name="scorer_unit" value="{world.unit_c.pk}"' in page
    url = reverse("scoring:verified_save", args=[report.pk, leaves["I.2"].pk])
    saved = client.post(url, {"points": "19,5", "scorer_unit": world.unit_c.pk}, **HX)
    assert saved["X-Cell-State"] == "saved"
    score = VerifiedScore.objects.get(report=report, criterion=leaves["I.2"])
    assert (score.scorer_unit_id, score.points) == (world.unit_c.pk, D("19.5"))
    # Acting for another unit than theirs, or on their own unit's report: refused.
    assert client.post(url, {"points": "1", "scorer_unit": world.unit_a.pk}).status_code == 403
    own = submitted_report(world, world.unit_c, officer_c, period, leaves)
    own_url = reverse("scoring:verified_save", args=[own.pk, leaves["I.2"].pk])
    assert client.post(own_url, {"points": "1", "scorer_unit": world.unit_c.pk}).status_code == 403


def test_a_new_table_is_copied_from_another_blocs_table(world, login):
    secretariat = world.users["secretariat_authority"]
    source, _leaves = build_table(secretariat, world.bloc_y, year=THIS_YEAR - 1)
    client = login(secretariat)
    page = body(client.get(reverse("scoring:bloc_year", args=[world.bloc_x.pk, THIS_YEAR])))
    assert f'<option value="{source.pk}">' in page
    response = client.post(
        reverse("scoring:table_copy", args=[world.bloc_x.pk, THIS_YEAR]), {"source": source.pk}
    )
    from scoring.models import CriteriaTable

    copy = CriteriaTable.objects.get(bloc=world.bloc_x, year=THIS_YEAR)
    assert response["Location"] == reverse("scoring:table_detail", args=[copy.pk])
    assert copy.copied_from == source and copy.criteria.count() == source.criteria.count()


def test_a_period_moves_to_a_newer_table_version_and_old_scores_keep_theirs(world, login, year):
    table, leaves, period, report = year
    services.self_score_save(
        actor=world.users["officer_a"],
        report=report,
        criterion=leaves["I.2"],
        points="10",
        comment="",
        version=None,
    )
    table.refresh_from_db()
    new = services.criteria_table_new_version(
        actor=world.users["secretariat_x"], table=table, reason="Thêm tiêu chí chuyển đổi số"
    )
    client = login(world.users["secretariat_x"])
    page = body(client.get(reverse("scoring:period_detail", args=[period.pk])))
    assert "đã có phiên bản 2" in page and "Thêm tiêu chí chuyển đổi số" in page
    client.post(reverse("scoring:period_use_table", args=[period.pk]), {"table": new.pk})
    period.refresh_from_db()
    assert period.criteria_table_id == new.pk
    old = SelfScore.objects.get(report=report)
    assert old.criterion.table_id == table.pk
