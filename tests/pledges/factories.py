"""Building pledges for the tests through the services, as the pages do."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import check_upload
from pledges import services
from pledges.models import Signature
from tests.conftest import THIS_YEAR

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def scan(name="trang-ky.pdf", content=PDF_BYTES):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    upload.checked_kind = check_upload(upload, allowed=("pdf", "png", "jpeg"))
    return upload


def target(text, *, unit=None, kind="quantitative", comparison="ge", value="90", measure="%"):
    quantitative = kind == "quantitative"
    return services.TargetInput(
        pk=None,
        text=text,
        unit=unit,
        kind=kind,
        comparison=comparison if quantitative else "",
        value=Decimal(value) if quantitative and value is not None else None,
        measure=measure if quantitative else "",
    )


def draft(world, *, bloc=None, year=THIS_YEAR, targets=None, commitments=None):
    bloc = bloc or world.bloc_x
    actor = world.users["secretariat_authority"]
    pledge = services.pledge_create(actor=actor, bloc=bloc, year=year)
    return services.pledge_update(
        actor=actor,
        pledge=pledge,
        version=pledge.version,
        title=pledge.title,
        preamble="Các đơn vị thống nhất ký kết giao ước thi đua với các nội dung sau:",
        closing="Các đơn vị quyết tâm hoàn thành các chỉ tiêu.",
        contents_source="",
        conference=None,
        signing_on=dt.date(year, 3, 15),
        signing_place="Hội trường Công an tỉnh",
        presiding_unit=None,
        commitments=commitments
        if commitments is not None
        else ["Hoàn thành xuất sắc nhiệm vụ chính trị.", "Thực hành tiết kiệm, chống lãng phí."],
        targets=targets
        if targets is not None
        else [
            target("Cán bộ, công chức đạt danh hiệu Lao động tiên tiến"),
            target("Tổ chức đảng trong sạch, vững mạnh", kind="qualitative"),
            target(
                "Vụ vi phạm kỷ luật", comparison="le", value="0", measure="vụ", unit=world.unit_a
            ),
        ],
    )


def opened(world, **kwargs):
    pledge = draft(world, **kwargs)
    return services.pledge_open(actor=world.users["secretariat_authority"], pledge=pledge)


def sign(world, pledge, unit, *, day=None, actor=None, name="Nguyễn Văn An", title="Giám đốc"):
    day = day or dt.date(pledge.year, 3, 15)
    return services.signature_record(
        actor=actor or world.users["secretariat_authority"],
        pledge=pledge,
        unit=unit,
        method=Signature.Method.PAPER,
        signer_name=name,
        signer_title=title,
        signer_prefix="",
        signer_on_behalf_of="",
        signed_on=day,
        scan=scan(),
        today=dt.date(pledge.year, 12, 31),
    )


def in_force(world, **kwargs):
    pledge = opened(world, **kwargs)
    for index, unit in enumerate((world.unit_a, world.unit_c, world.unit_d)):
        sign(world, pledge, unit, day=dt.date(pledge.year, 3, 15 + index))
    pledge.refresh_from_db()
    return pledge
