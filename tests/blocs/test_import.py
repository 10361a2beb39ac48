import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from blocs import services
from blocs.models import ImportBatch, Membership, Unit
from tests.conftest import THIS_YEAR

HEADER = [
    "Mã khối",
    "Năm",
    "Tên đơn vị",
    "Tên viết tắt",
    "Cơ quan chủ quản",
    "Chức danh thủ trưởng",
    "Địa chỉ",
]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def counts():
    return Unit.objects.count(), Membership.objects.count()


def test_preview_lists_what_will_change_and_writes_nothing(world):
    actor = world.users["secretariat_authority"]
    before = counts()
    batch = services.import_preview(
        actor=actor,
        authority=world.authority,
        filename="danh-sach.xlsx",
        content=xlsx(
            [
                [
                    "X",
                    THIS_YEAR + 1,
                    "Viện kiểm sát nhân dân tỉnh",
                    "VKSND tỉnh",
                    "",
                    "Viện trưởng",
                    "",
                ],
                ["X", THIS_YEAR + 1, "Thanh tra tỉnh", "", "", "Chánh Thanh tra", ""],
                ["Y", THIS_YEAR, "Sở Tài chính", "", "", "", ""],
            ]
        ),
    )
    assert counts() == before
    summary = batch.plan["summary"]
    assert summary == {
        "units_created": 1,
        "units_changed": 1,
        "memberships_added": 2,
        "unchanged": 1,
        "errors": 0,
    }


def test_bad_rows_are_listed_by_line_with_a_reason_and_block_the_import(world):
    actor = world.users["secretariat_authority"]
    batch = services.import_preview(
        actor=actor,
        authority=world.authority,
        filename="danh-sach.csv",
        content=csv_bytes(
            [
                ["X", THIS_YEAR + 1, "Thanh tra tỉnh", "", "", "", ""],
                ["Z", THIS_YEAR, "Sở Xây dựng", "", "", "", ""],
                ["X", "năm nay", "Sở Công thương", "", "", "", ""],
                ["X", THIS_YEAR, "", "", "", "", ""],
                ["Y", THIS_YEAR, "Công an tỉnh", "", "", "", ""],
                [
                    "X",
                    THIS_YEAR + 1,
                    "thanh tra tinh".replace("tinh", "tỉnh").title(),
                    "",
                    "",
                    "",
                    "",
                ],
            ]
        ),
    )
    errors = {e["line"]: e["message"] for e in batch.plan["errors"]}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert errors[3] == "Không có khối mã “Z” ở Tỉnh Phú Thịnh."
    assert errors[4].startswith("Năm “năm nay” không hợp lệ")
    assert "thiếu tên đơn vị" in errors[5].lower()
    assert "đã thuộc một khối khác" in errors[6]
    assert errors[7] == "Trùng với dòng 2."
    before = counts()
    with pytest.raises(ValidationError):
        services.import_apply(actor=actor, batch=batch)
    assert counts() == before


def test_confirming_applies_everything_at_once(world):
    actor = world.users["secretariat_authority"]
    batch = services.import_preview(
        actor=actor,
        authority=world.authority,
        filename="danh-sach.xlsx",
        content=xlsx(
            [
                ["X", THIS_YEAR + 1, "Thanh tra tỉnh", "", "", "Chánh Thanh tra", ""],
                ["X", THIS_YEAR + 1, "Viện kiểm sát nhân dân tỉnh", "", "", "", ""],
            ]
        ),
    )
    summary = services.import_apply(actor=actor, batch=batch)
    assert summary["units_created"] == 1 and summary["memberships_added"] == 2
    assert Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR + 1).count() == 2
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    with pytest.raises(ValidationError):
        services.import_apply(actor=actor, batch=batch)  # not twice


def test_import_is_revalidated_when_confirmed(world):
    actor = world.users["secretariat_authority"]
    batch = services.import_preview(
        actor=actor,
        authority=world.authority,
        filename="danh-sach.xlsx",
        content=xlsx([["Y", THIS_YEAR + 1, "Viện kiểm sát nhân dân tỉnh", "", "", "", ""]]),
    )
    # Meanwhile someone puts the unit in bloc X for that year.
    services.membership_add(actor=actor, bloc=world.bloc_x, year=THIS_YEAR + 1, unit=world.unit_a)
    with pytest.raises(ValidationError) as error:
        services.import_apply(actor=actor, batch=batch)
    assert "đã thay đổi" in error.value.messages[0]
    assert not Membership.objects.filter(
        bloc=world.bloc_y, unit=world.unit_a, year=THIS_YEAR + 1
    ).exists()


def test_a_bloc_secretariat_cannot_import_into_another_bloc(world):
    batch = services.import_preview(
        actor=world.users["secretariat_x"],
        authority=world.authority,
        filename="danh-sach.xlsx",
        content=xlsx([["Y", THIS_YEAR + 1, "Sở Tài chính", "", "", "", ""]]),
    )
    assert "không có quyền" in batch.plan["errors"][0]["message"]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("a.pdf", b"%PDF-1.7", "Chỉ nhận tệp Excel"),
        ("a.xlsx", b"PK\x03\x04 not really", "Không đọc được tệp Excel"),
        ("a.csv", "Mã khối;Năm\n".encode("utf-16"), "UTF-8"),
        ("a.xlsx", xlsx([], header=["Tên đơn vị"]), "Thiếu cột: mã khối, năm"),
        ("a.xlsx", xlsx([]), "không có dữ liệu"),
    ],
)
def test_unreadable_files_get_a_vietnamese_message(world, filename, content, message):
    with pytest.raises(ValidationError) as error:
        services.import_preview(
            actor=world.users["secretariat_authority"],
            authority=world.authority,
            filename=filename,
            content=content,
        )
    assert message.lower() in " ".join(error.value.messages).lower()


def test_upload_page_shows_the_preview_then_confirms(world, login):
    client = login(world.users["secretariat_authority"])
    upload = io.BytesIO(xlsx([["X", THIS_YEAR + 1, "Thanh tra tỉnh", "", "", "", ""]]))
    upload.name = "danh-sach.xlsx"
    response = client.post(
        reverse("blocs:import_upload"), {"authority": world.authority.pk, "file": upload}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Thanh tra tỉnh" in preview.content.decode()
    assert "1 đơn vị mới" in preview.content.decode()
    assert not Unit.objects.filter(full_name="Thanh tra tỉnh").exists()
    done = client.post(response["Location"], {"confirm": "1"})
    assert done.status_code == 302
    assert Unit.objects.filter(full_name="Thanh tra tỉnh").exists()


def test_discarding_writes_nothing(world, login):
    client = login(world.users["secretariat_authority"])
    batch = services.import_preview(
        actor=world.users["secretariat_authority"],
        authority=world.authority,
        filename="danh-sach.xlsx",
        content=xlsx([["X", THIS_YEAR + 1, "Thanh tra tỉnh", "", "", "", ""]]),
    )
    client.post(reverse("blocs:import_preview", args=[batch.pk]), {"discard": "1"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.DISCARDED
    assert not Unit.objects.filter(full_name="Thanh tra tỉnh").exists()


def test_members_export_round_trips_through_excel(world, login):
    from openpyxl import load_workbook

    client = login(world.users["officer_a"])
    response = client.get(reverse("blocs:members_export", args=[world.bloc_x.pk, THIS_YEAR]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows] == [
        "Viện kiểm sát nhân dân tỉnh",
        "Công an tỉnh",
        "Tòa án nhân dân tỉnh",
    ]
    assert rows[1][6] == "Khối trưởng"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_confirming_a_plan_that_changed_meanwhile_is_refused(world):
    actor = world.users["secretariat_authority"]
    batch = services.import_preview(
        actor=actor,
        authority=world.authority,
        filename="danh-sach.xlsx",
        content=xlsx([["X", THIS_YEAR + 1, "Thanh tra tỉnh", "", "", "", ""]]),
    )
    services.unit_create(actor=actor, authority=world.authority, full_name="Thanh tra tỉnh")
    with pytest.raises(ValidationError) as error:
        services.import_apply(actor=actor, batch=batch)
    assert "Dữ liệu đã thay đổi từ lúc xem trước" in error.value.messages[0]
    assert not Membership.objects.filter(bloc=world.bloc_x, year=THIS_YEAR + 1).exists()


def test_a_csv_with_a_single_column_is_read_not_crashed(world):
    with pytest.raises(ValidationError) as error:
        services.import_preview(
            actor=world.users["secretariat_authority"],
            authority=world.authority,
            filename="mot-cot.csv",
            content="Tên đơn vị\nSở Y tế\n".encode(),
        )
    assert "Thiếu cột" in error.value.messages[0]


def test_an_upload_over_the_limit_is_refused_before_reading(world, login, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client = login(world.users["secretariat_authority"])
    upload = io.BytesIO(b"PK\x03\x04" + b"0" * 4096)
    upload.name = "lon.xlsx"
    body = client.post(
        reverse("blocs:import_upload"), {"authority": world.authority.pk, "file": upload}
    )
    assert "Tệp lớn hơn" in body.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_name_that_looks_like_a_formula_is_exported_as_text(world, login):
    from openpyxl import load_workbook

    Unit.objects.filter(pk=world.unit_a.pk).update(full_name='=HYPERLINK("http://x")')
    from blocs.models import UnitName

    UnitName.objects.filter(unit=world.unit_a).update(full_name='=HYPERLINK("http://x")')
    client = login(world.users["officer_a"])
    response = client.get(reverse("blocs:members_export", args=[world.bloc_x.pk, THIS_YEAR]))
    cell = load_workbook(io.BytesIO(response.content)).active["B4"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
