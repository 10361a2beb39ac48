"""Pledges pages: who may sign for which unit, paper signatures with a checked scan, form errors,
htmx fragments, issuing the plan, and a fixed number of queries on every page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs.models import Bloc, ChairTerm, Membership, Role
from pledges import services
from pledges.models import Movement, Pledge, Reminder, Signature, YearDocument
from tests.blocs.test_views import _queries
from tests.conftest import THIS_YEAR, make_unit, make_user
from tests.pledges.factories import PDF_BYTES, draft, in_force, opened, scan, sign, target

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _sign_url(pledge, unit):
    return reverse("pledges:pledge_sign", args=[pledge.pk, unit.pk])


def _paper_url(pledge, unit):
    return reverse("pledges:pledge_paper", args=[pledge.pk, unit.pk])


def _signature_post(**overrides):
    data = {
        "signer_name": "Nguyễn Văn An",
        "signer_title": "Viện trưởng",
        "signer_prefix": "",
        "signer_on_behalf_of": "",
        "signed_on": dt.date.today().isoformat(),
    }
    data.update(overrides)
    return data


# Signing ------------------------------------------------------------------------------------------


def test_an_officer_records_their_own_units_signature(world, login):
    pledge = opened(world)
    client = login(world.users["officer_a"])
    detail = client.get(reverse("pledges:pledge_detail", args=[pledge.pk])).content.decode()
    assert _sign_url(pledge, world.unit_a) in detail
    assert _sign_url(pledge, world.unit_c) not in detail  # no button for another unit
    form = client.get(_sign_url(pledge, world.unit_a))
    assert form.status_code == 200
    assert "Ghi nhận chữ ký của Viện kiểm sát nhân dân tỉnh" in form.content.decode()
    response = client.post(
        _sign_url(pledge, world.unit_a),
        _signature_post(signed_on=f"{THIS_YEAR}-03-15"),
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.unit, signature.method) == (world.unit_a, Signature.Method.RECORDED)
    assert signature.recorded_by == world.users["officer_a"]
    assert signature.signed_on == dt.date(THIS_YEAR, 3, 15)
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận chữ ký của Viện kiểm sát nhân dân tỉnh." in page
    assert "1/3" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_officer_gets_404_for_another_member_units_signature(world, login, method):
    pledge = opened(world)
    client = login(world.users["officer_a"])
    response = getattr(client, method)(_sign_url(pledge, world.unit_c), _signature_post())
    assert response.status_code == 404
    # Nor may they record a paper signature, for any unit.
    assert getattr(client, method)(_paper_url(pledge, world.unit_a)).status_code == 403
    assert getattr(client, method)(_paper_url(pledge, world.unit_c)).status_code == 404
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda p, w: reverse("pledges:pledge_detail", args=[p.pk]),
        lambda p, w: reverse("pledges:pledge_year", args=[w.bloc_x.pk, THIS_YEAR]),
        lambda p, w: _sign_url(p, w.unit_a),
        lambda p, w: _sign_url(p, w.unit_b),
        lambda p, w: reverse("pledges:pledge_pdf", args=[p.pk]),
        lambda p, w: reverse("pledges:pledge_docx", args=[p.pk]),
    ],
)
def test_an_officer_of_a_unit_outside_the_bloc_gets_404(world, login, url):
    pledge = opened(world)
    client = login(world.users["officer_b"])
    assert client.get(url(pledge, world)).status_code == 404
    assert client.post(url(pledge, world), _signature_post()).status_code in (404, 405)
    assert not Signature.objects.exists()


def test_a_unit_not_a_member_that_year_is_not_there_even_for_the_secretariat(world, login):
    pledge = opened(world)
    client = login(world.users["secretariat_x"])
    assert client.get(_paper_url(pledge, world.unit_b)).status_code == 404


def test_a_paper_signature_needs_a_scan(world, login):
    pledge = opened(world)
    client = login(world.users["secretariat_x"])
    response = client.post(
        _paper_url(pledge, world.unit_c), _signature_post(signer_name="Lê Văn Cường")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trường này là bắt buộc." in body
    assert 'value="Lê Văn Cường"' in body
    assert not Signature.objects.exists()


def test_an_executable_renamed_pdf_is_refused_with_a_vietnamese_error_next_to_the_field(
    world, login
):
    pledge = opened(world)
    client = login(world.users["secretariat_x"])
    data = _signature_post(signer_name="Lê Văn Cường", signer_title="Giám đốc")
    data["scan"] = SimpleUploadedFile("trang-ky.pdf", EXECUTABLE, "application/pdf")
    response = client.post(_paper_url(pledge, world.unit_c), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["scan"] == [
        "Tệp là chương trình chạy được, không phải tài liệu; tệp không được nhận."
    ]
    body = response.content.decode()
    assert "Tệp là chương trình chạy được" in body
    assert 'value="Lê Văn Cường"' in body and 'value="Giám đốc"' in body
    assert not Signature.objects.exists()


def test_the_secretariat_records_a_paper_signature_with_its_scan(world, login):
    pledge = opened(world)
    client = login(world.users["secretariat_x"])
    data = _signature_post(signer_name="Lê Văn Cường", signer_title="Giám đốc")
    data["signed_on"] = f"{THIS_YEAR}-03-16"
    data["scan"] = SimpleUploadedFile("trang-ky.pdf", PDF_BYTES, "application/pdf")
    response = client.post(_paper_url(pledge, world.unit_c), data)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.method == Signature.Method.PAPER and signature.scan_type == "application/pdf"
    scan_url = reverse("pledges:signature_scan", args=[signature.pk])
    downloaded = client.get(scan_url)
    assert downloaded.status_code == 200 and b"".join(downloaded.streaming_content) == PDF_BYTES
    assert login(world.users["officer_b"]).get(scan_url).status_code == 404


def test_form_errors_are_in_vietnamese_and_the_typed_values_stay(world, login):
    pledge = opened(world)
    client = login(world.users["officer_a"])
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = client.post(
        _sign_url(pledge, world.unit_a),
        _signature_post(
            signer_name="Nguyễn Văn An",
            signer_title="Phó Viện trưởng",
            signer_prefix="KT.",
            signer_on_behalf_of="",
            signed_on=tomorrow.isoformat(),
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "signer_on_behalf_of" in form.errors
    assert form.errors["signer_on_behalf_of"] == ["Ký “KT.” thì ghi rõ thay mặt / ký thay cho ai."]
    body = response.content.decode()
    assert 'value="Nguyễn Văn An"' in body and 'value="Phó Viện trưởng"' in body
    # Fixed that, the date in the future is refused by the service, beside its field.
    response = client.post(
        _sign_url(pledge, world.unit_a),
        _signature_post(
            signer_title="Phó Viện trưởng",
            signer_prefix="KT.",
            signer_on_behalf_of="Viện trưởng",
            signed_on=tomorrow.isoformat(),
        ),
    )
    assert response.context["form"].errors["signed_on"] == ["Ngày ký không thể sau hôm nay."]
    assert 'value="Viện trưởng"' in response.content.decode()
    assert not Signature.objects.exists()


def test_a_pledge_not_open_takes_no_signature(world, login):
    pledge = draft(world)
    client = login(world.users["officer_a"])
    page = client.get(_sign_url(pledge, world.unit_a)).content.decode()
    assert "không ở giai đoạn ký kết" in page and '<form method="post" class="stacked"' not in page
    response = client.post(_sign_url(pledge, world.unit_a), _signature_post())
    assert response.status_code == 302 and not Signature.objects.exists()


# htmx -----------------------------------------------------------------------------------------


def test_the_status_table_is_an_htmx_fragment_that_polls_while_open(world, login):
    pledge = opened(world)
    sign(world, pledge, world.unit_c)
    client = login(world.users["secretariat_x"])
    full = client.get(reverse("pledges:pledge_detail", args=[pledge.pk]))
    assert "<html" in full.content.decode() and full["Vary"].count("HX-Request")
    fragment = client.get(
        reverse("pledges:pledge_detail", args=[pledge.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment and 'id="status"' in fragment
    assert 'hx-trigger="every 15s"' in fragment
    assert "1/3" in fragment and "Công an tỉnh" in fragment and "Chưa ký" in fragment
    same = client.get(
        reverse("pledges:pledge_year", args=[world.bloc_x.pk, THIS_YEAR]),
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<html" not in same and 'id="status"' in same


def test_a_pledge_in_force_stops_polling(world, login):
    pledge = in_force(world)
    client = login(world.users["secretariat_x"])
    fragment = client.get(
        reverse("pledges:pledge_detail", args=[pledge.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "every 15s" not in fragment and "3/3" in fragment
    assert pledge.document.verification_code in fragment


def test_the_reminder_button_answers_with_the_status_fragment_once_a_day(world, login):
    pledge = opened(world)
    client = login(world.users["secretariat_x"])
    url = reverse("pledges:pledge_remind", args=[pledge.pk])
    first = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in first and 'id="status"' in first
    assert "Đã gửi yêu cầu nhắc ký tới cán bộ của các đơn vị chưa ký." in first
    second = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "mỗi ngày chỉ nhắc một lần" in second
    assert Reminder.objects.count() == 1
    # Without htmx the same button is a plain form: a redirect with the message.
    plain = client.post(url)
    assert plain.status_code == 302
    assert "mỗi ngày chỉ nhắc một lần" in client.get(plain["Location"]).content.decode()


def test_only_the_secretariat_sends_reminders(world, login):
    pledge = opened(world)
    url = reverse("pledges:pledge_remind", args=[pledge.pk])
    assert login(world.users["officer_a"]).post(url).status_code == 403
    assert login(world.users["officer_b"]).post(url).status_code == 404
    assert not Reminder.objects.exists()


# The plan -----------------------------------------------------------------------------------------


def _draft_plan(world):
    return services.year_document_create(
        actor=world.users["secretariat_x"],
        bloc=world.bloc_x,
        year=THIS_YEAR,
        kind=YearDocument.Kind.PLAN,
        title="Kế hoạch công tác thi đua, khen thưởng năm 2026",
        theme="Kỷ cương, trách nhiệm",
    )


def _issue_post(**overrides):
    data = {
        "reference": "972/KH-CTĐ7",
        "issued_on": f"{THIS_YEAR}-04-04",
        "signer_prefix": "TM.",
        "signer_on_behalf_of": "Khối thi đua Nội chính",
        "signer_title": "Khối trưởng",
        "signer_name": "Giám đốc Công an tỉnh",
        "scan": SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES, "application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretariat_x", 403),
        ("chair_last_year", 403),  # chaired the bloc in 2025, not in 2026
        ("officer_a", 403),
        ("officer_b", 404),
        ("reviewer", 403),
    ],
)
def test_the_plan_is_issued_only_by_this_years_chair_representative(world, login, persona, status):
    plan = _draft_plan(world)
    client = login(world.users[persona])
    url = reverse("pledges:year_document_issue", args=[plan.pk])
    assert client.get(url).status_code == status
    data = _issue_post()
    data["version"] = plan.version
    assert client.post(url, data).status_code == status
    plan.refresh_from_db()
    assert plan.state == YearDocument.State.DRAFT


def test_this_years_chair_representative_issues_the_plan(world, login):
    plan = _draft_plan(world)
    client = login(world.users["chair_this_year"])
    url = reverse("pledges:year_document_issue", args=[plan.pk])
    form = client.get(url).content.decode()
    assert 'value="Khối thi đua Nội chính"' in form
    data = _issue_post()
    data["version"] = plan.version
    response = client.post(url, data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == YearDocument.State.ISSUED and plan.reference == "972/KH-CTĐ7"
    assert plan.issuer_unit == world.unit_c and plan.issued_by == world.users["chair_this_year"]
    page = client.get(response["Location"]).content.decode()
    assert "972/KH-CTĐ7" in page


def test_a_bad_reference_is_refused_beside_its_field_and_the_other_values_stay(world, login):
    plan = _draft_plan(world)
    client = login(world.users["chair_this_year"])
    data = _issue_post(reference="KH-CTĐ7", signer_name="Trần Quang Minh")
    data["version"] = plan.version
    response = client.post(reverse("pledges:year_document_issue", args=[plan.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["reference"] == [
        "Số, ký hiệu bắt đầu bằng số văn bản, ví dụ 972/KH-CTĐ7."
    ]
    assert 'value="Trần Quang Minh"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == YearDocument.State.DRAFT


def test_the_secretariat_drafts_the_plan_and_a_missing_title_is_a_vietnamese_error(world, login):
    client = login(world.users["secretariat_x"])
    url = reverse("pledges:year_document_create", args=[world.bloc_x.pk, THIS_YEAR, "plan"])
    response = client.post(url, {"title": "", "theme": "Kỷ cương", "summary": "Tóm tắt"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trường này là bắt buộc." in body and 'value="Kỷ cương"' in body
    response = client.post(url, {"title": "Kế hoạch năm 2026", "theme": "Kỷ cương"})
    assert response.status_code == 302
    assert YearDocument.objects.get().theme == "Kỷ cương"
    assert login(world.users["officer_a"]).post(url, {"title": "X"}).status_code == 403


# Query counts --------------------------------------------------------------------------------------


def _bloc_of(world, size: int, code: str):
    """A bloc of ``size`` members in 2026 and 2027 with everything each pledges page shows.

    2026: an issued regulation and a draft plan, a movement per member, a pledge in force
    (every member signed on paper, every target achieved) and its correction open for signing
    with all but two members signed. 2027: a draft pledge.
    """
    secretariat = world.users["secretariat_authority"]
    bloc = Bloc.objects.create(authority=world.authority, code=code, name=f"Khối {code}")
    units = [make_unit(world.authority, f"Sở {code} số {n}") for n in range(size)]
    for year in (THIS_YEAR, THIS_YEAR + 1):
        for position, unit in enumerate(units, start=1):
            Membership.objects.create(bloc=bloc, unit=unit, year=year, position=position)
        ChairTerm.objects.create(bloc=bloc, year=year, chair=units[0], vice_chair=units[1])
    officer = make_user(f"officer-{code}", full_name=f"Cán bộ {code}")
    Role.objects.create(user=officer, kind=Role.Kind.OFFICER, unit=units[0])
    chair = make_user(f"chair-{code}", full_name=f"Lãnh đạo {code}")
    Role.objects.create(user=chair, kind=Role.Kind.CHAIR_REP, unit=units[0])

    plan = services.year_document_create(
        actor=secretariat, bloc=bloc, year=THIS_YEAR, kind="plan", title="Kế hoạch năm 2026"
    )
    regulation = services.year_document_create(
        actor=secretariat, bloc=bloc, year=THIS_YEAR, kind="regulation", title="Quy chế"
    )
    regulation = services.year_document_issue(
        actor=chair,
        document=regulation,
        version=regulation.version,
        issuer_unit=units[0],
        reference="5/QĐ-K",
        issued_on=dt.date(THIS_YEAR, 2, 1),
        signer_prefix="",
        signer_on_behalf_of="",
        signer_title="Khối trưởng",
        signer_name="Lãnh đạo",
        scan=scan(),
    )
    movements = [
        services.movement_add(
            actor=secretariat,
            bloc=bloc,
            year=THIS_YEAR,
            name=f"Phong trào của {unit.full_name}",
            kind=Movement.Kind.THEMATIC,
            launched_by=Movement.Launcher.UNIT,
            launched_by_unit=unit,
        )
        for unit in units
    ]
    targets = [target("Lao động tiên tiến"), target("Đảng bộ vững mạnh", kind="qualitative")]
    targets += [target(f"Chỉ tiêu riêng {n}", unit=unit) for n, unit in enumerate(units)]
    first = draft(world, bloc=bloc, targets=targets)
    services.pledge_open(actor=secretariat, pledge=first)
    for unit in units:
        sign(world, first, unit, actor=secretariat)
    first.refresh_from_db()
    assert first.is_in_force
    for unit in units:
        rows = [
            services.AchievementInput(t, Decimal("95"), True, "", None)
            for t in first.targets.all()
            if t.unit_id in (None, unit.pk)
        ]
        services.achievements_save(actor=secretariat, pledge=first, unit=unit, rows=rows)
    second = services.pledge_correct(actor=secretariat, pledge=first, reason="Sửa chỉ tiêu")
    second = services.pledge_open(actor=secretariat, pledge=second)
    for unit in units[2:]:
        sign(world, second, unit, actor=secretariat)
    services.reminder_request(
        actor=secretariat, pledge=second, today=dt.date(THIS_YEAR, 3, 20), page_url=""
    )
    next_year = draft(world, bloc=bloc, year=THIS_YEAR + 1, targets=targets)
    signature = Signature.objects.filter(pledge=second).first()
    urls = {
        "plan_page": reverse("pledges:plan_page", args=[bloc.pk, THIS_YEAR]),
        "year_document_create": reverse(
            "pledges:year_document_create", args=[bloc.pk, THIS_YEAR + 1, "plan"]
        ),
        "year_document_edit": reverse("pledges:year_document_edit", args=[plan.pk]),
        "year_document_issue": reverse("pledges:year_document_issue", args=[plan.pk]),
        "year_document_amend": reverse("pledges:year_document_amend", args=[regulation.pk]),
        "year_document_scan": reverse("pledges:year_document_scan", args=[regulation.pk]),
        "movement_add": reverse("pledges:movement_add", args=[bloc.pk, THIS_YEAR]),
        "movement_edit": reverse("pledges:movement_edit", args=[movements[1].pk]),
        "pledge_year": reverse("pledges:pledge_year", args=[bloc.pk, THIS_YEAR]),
        "pledge_year_htmx": reverse("pledges:pledge_year", args=[bloc.pk, THIS_YEAR]),
        "pledge_versions": reverse("pledges:pledge_versions", args=[bloc.pk, THIS_YEAR]),
        "pledge_in_force": reverse("pledges:pledge_detail", args=[first.pk]),
        "pledge_open": reverse("pledges:pledge_detail", args=[second.pk]),
        "pledge_remind": reverse("pledges:pledge_remind", args=[second.pk]),
        "pledge_open_htmx": reverse("pledges:pledge_detail", args=[second.pk]),
        "pledge_draft": reverse("pledges:pledge_detail", args=[next_year.pk]),
        "pledge_edit": reverse("pledges:pledge_edit", args=[next_year.pk]),
        "pledge_reopen": reverse("pledges:pledge_reopen", args=[second.pk]),
        "pledge_correct": reverse("pledges:pledge_correct", args=[first.pk]),
        "pledge_sign": reverse("pledges:pledge_sign", args=[second.pk, units[0].pk]),
        "pledge_paper": reverse("pledges:pledge_paper", args=[second.pk, units[1].pk]),
        "pledge_results_edit": reverse("pledges:pledge_results_edit", args=[first.pk, units[0].pk]),
        "pledge_pdf_frozen": reverse("pledges:pledge_pdf", args=[first.pk]),
        "pledge_pdf_draft": reverse("pledges:pledge_pdf", args=[second.pk]),
        "pledge_docx": reverse("pledges:pledge_docx", args=[first.pk]),
        "signature_scan": reverse("pledges:signature_scan", args=[signature.pk]),
    }
    return {"urls": urls, "officer": officer, "chair": chair}


PERSONA = {"pledge_sign": "officer", "year_document_issue": "chair"}
PAGES = [
    "plan_page",
    "year_document_create",
    "year_document_edit",
    "year_document_issue",
    "year_document_amend",
    "year_document_scan",
    "movement_add",
    "movement_edit",
    "pledge_year",
    "pledge_year_htmx",
    "pledge_versions",
    "pledge_in_force",
    "pledge_open",
    "pledge_open_htmx",
    "pledge_draft",
    "pledge_edit",
    "pledge_reopen",
    "pledge_correct",
    "pledge_sign",
    "pledge_paper",
    "pledge_results_edit",
    "pledge_pdf_frozen",
    "pledge_pdf_draft",
    "pledge_docx",
    "signature_scan",
]


@pytest.fixture
def two_sizes(world):
    return {3: _bloc_of(world, 3, "S"), 12: _bloc_of(world, 12, "L")}


def _count(world, login, bloc, page):
    who = PERSONA.get(page)
    user = bloc[who] if who else world.users["secretariat_authority"]
    client = login(user)
    url = bloc["urls"][page]
    if page.endswith("_htmx"):
        client.defaults["HTTP_HX_REQUEST"] = "true"
    try:
        return _queries(client, url)
    finally:
        client.defaults.pop("HTTP_HX_REQUEST", None)


def test_every_pledges_page_has_the_same_query_count_with_3_and_12_members(world, login, two_sizes):
    counts = {
        page: (_count(world, login, two_sizes[3], page), _count(world, login, two_sizes[12], page))
        for page in PAGES
    }
    grows = {page: c for page, c in counts.items() if c[0] != c[1]}
    assert grows == {}, counts
    too_many = {page: c for page, c in counts.items() if c[0] > 10}
    assert too_many == {}, counts


def test_the_query_count_test_sees_every_pledges_url():
    from pledges.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    seen = {page.removesuffix("_htmx") for page in PAGES}
    seen |= {"pledge_detail"} if {"pledge_in_force", "pledge_open"} <= seen else set()
    seen |= {"pledge_pdf"} if "pledge_pdf_frozen" in seen else set()
    # The POST-only actions that redirect are covered by the permission matrix; the reminder's
    # htmx answer by its own count below.
    posts = {"plan_copy", "pledge_create", "pledge_open", "pledge_remind"}
    assert names - posts - seen == set()


def test_the_pledge_pages_show_pledge_rows_not_only_count_them(world, login, two_sizes):
    client = login(world.users["secretariat_authority"])
    body = client.get(two_sizes[12]["urls"]["pledge_in_force"]).content.decode()
    assert "12/12" in body and "Sở L số 11" in body and "Đạt" in body
    body = client.get(two_sizes[12]["urls"]["pledge_open"]).content.decode()
    assert "10/12" in body


def test_a_pledge_is_read_with_its_bloc_frozen_pdf_and_presiding_unit_in_one_query(
    world, django_assert_num_queries
):
    from pledges import selectors

    pledge = in_force(world)
    Pledge.objects.filter(pk=pledge.pk).update(presiding_unit=world.unit_c)
    with django_assert_num_queries(1):
        loaded = selectors.pledge_or_404(pledge.pk)
        seen = (
            loaded.bloc.authority.name,
            loaded.document.verification_code,
            loaded.presiding_unit.full_name,
        )
    assert seen == ("Tỉnh Phú Thịnh", pledge.document.verification_code, "Công an tỉnh")


def test_the_word_download_of_a_pledge_in_force_carries_its_verification_code(world, login):
    import io

    import docx

    pledge = in_force(world)
    response = login(world.users["officer_a"]).get(reverse("pledges:pledge_docx", args=[pledge.pk]))
    assert response.status_code == 200
    footer = docx.Document(io.BytesIO(response.content)).sections[0].footer
    assert pledge.document.verification_code in footer.paragraphs[0].text


def test_the_paper_form_does_not_tell_the_secretariat_to_sign_only_for_their_own_unit(world, login):
    pledge = opened(world)
    paper = login(world.users["secretariat_x"]).get(_paper_url(pledge, world.unit_c))
    assert "tải lên bản chụp trang ký" in paper.content.decode()
    assert "chỉ ghi nhận chữ ký của chính đơn vị mình" not in paper.content.decode()
    own = login(world.users["officer_a"]).get(_sign_url(pledge, world.unit_a))
    assert "chỉ ghi nhận chữ ký của chính đơn vị mình" in own.content.decode()


def _post_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200, response
    # Savepoints are the test's transaction standing in for BEGIN / COMMIT: not counted.
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def test_the_reminder_button_answers_in_a_fixed_number_of_queries(world, login, two_sizes):
    """The htmx answer of "Nhắc các đơn vị chưa ký": the first press of the day writes the
    reminder and its job, a second press only answers; neither grows with the members."""
    client = login(world.users["secretariat_authority"])
    first = [_post_queries(client, two_sizes[n]["urls"]["pledge_remind"]) for n in (3, 12)]
    again = [_post_queries(client, two_sizes[n]["urls"]["pledge_remind"]) for n in (3, 12)]
    assert first[0] == first[1] and again[0] == again[1], (first, again)
    assert again[0] <= 10, again
    assert first[0] <= 14, first  # + the reminder and its job written
