"""Plans, regulations, movements and pledges of the seed blocs (SCENARIOS.md D, E and A).

From the articles:
- D (seed 003, Cần Thơ, Khối thi đua các cơ quan của Đảng, 2021): the six signatories, the
  signing on 14/4/2021 at the conference the chair presided, the chair Nguyễn Ngọc Tâm (Trưởng Ban
  Tuyên giáo Thành ủy) and the vice-chair's Đinh Công Út (Phó Trưởng ban Thường trực Ban Nội
  chính Thành ủy, here signing "KT. Trưởng Ban"). The pledge's contents are DERIVED from the
  chair's six closing recommendations (the article gives no text of the pledge itself), and so
  are its targets, among them "90% trở lên cán bộ, công chức … đạt danh hiệu lao động tiên tiến";
  the pledge says so in its "Nguồn nội dung".
- E (seed 004, Hà Nội, Cụm thi đua số 7, 2023): Kế hoạch số 972/KH-CTĐ7 and Quyết định số
  580/QĐ-CTĐ 7, both of 04/4/2023, with their titles; the city's theme for 2023 "Kỷ cương, trách
  nhiệm, hành động, sáng tạo, phát triển"; the six signatories and the signing at the 31/3/2023
  conference; the movements the article lists.

Invented (the articles are silent), and marked as such here:
- the names of the signers other than the two above, and every signer's exact title in E;
- the pledge contents of E (derived from the tasks the article lists) and its targets;
- the whole pledge of scenario A (Khối thi đua VIII, Thành phố Hồ Chí Minh, 2022: the article has
  no pledge), its signing date, targets and every achieved value, so that the year-end report of
  2022 has results to show;
- the scans: the demo has no real signed paper, so each "scan" is a one-page PDF that says it is
  a demo placeholder.

Idempotent: a bloc-year that already has a pledge (or a plan, a movement) is left alone.
"""

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from blocs.models import Bloc
from core.uploads import check_upload
from pledges import selectors, services
from pledges.models import Movement, Pledge, Signature, YearDocument

D_RECOMMENDATIONS = [
    "Tổ chức phát động các phong trào thi đua sâu, rộng trong mỗi cơ quan, đơn vị Khối thi đua các "
    "cơ quan của Đảng, phấn đấu thực hiện hoàn thành xuất sắc nhiệm vụ chính trị và các nội dung "
    "phong trào thi đua theo kế hoạch của Khối Thi đua các cơ quan của Đảng về thi đua thực hiện "
    "công tác của mỗi cơ quan, đơn vị năm 2021.",
    "Quan tâm chăm lo đời sống vật chất, tinh thần, xây dựng và thực hiện tốt Quy chế chi tiêu nội "
    "bộ và quản lý, sử dụng tài sản công theo Quyết định số 108-QĐ/VPTU ngày 06/4/2021 của Văn "
    "phòng Thành ủy; Luật Ngân sách; xây dựng quỹ trợ cấp phúc lợi, quỹ tăng thu nhập cho cán bộ, "
    "công chức các cơ quan, đơn vị thuộc Khối thi đua các cơ quan của Đảng trên tinh thần tiết "
    "kiệm, chống tham ô, lãng phí.",
    "Phát huy dân chủ cơ sở trong hoạt động của cơ quan, đơn vị; quan tâm bồi dưỡng đội ngũ cán "
    "bộ, công chức và người lao động nhằm nâng cao năng lực, trình độ chuyên môn nghiệp vụ, lý "
    "luận chính trị. Tiếp tục thực hiện tốt cuộc vận động xây dựng người cán bộ, công chức “trung "
    "thành, sáng tạo, tận tụy, gương mẫu” giỏi về chuyên môn và hoàn thành xuất sắc nhiệm vụ được "
    "giao.",
    "Mỗi cơ quan, đơn vị trong Khối thi đua các cơ quan của Đảng chủ động xây dựng kế hoạch phát "
    "động phong trào thi đua lập thành tích chào mừng các ngày lễ, kỷ niệm lịch sử của dân tộc, kỷ "
    "niệm ngày thành lập ngành, thi đua hoàn thành xuất sắc nhiệm vụ, góp phần thực hiện thắng lợi "
    "Nghị quyết số 01-NQ/TU ngày 30/11/2020 của Thành ủy về Nghị quyết nhiệm vụ năm 2021 với chủ "
    "đề: “Tăng cường xây dựng hệ thống chính trị trong sạch, vững mạnh; đẩy mạnh huy động nguồn lực "
    "đầu tư xây dựng kết cấu hạ tầng kinh tế - xã hội đồng bộ”.",
    "Đẩy mạnh cải cách hành chính trong hoạt động của các cơ quan, đơn vị trong Khối thi đua; xây "
    "dựng cơ quan, đơn vị đạt chuẩn văn hóa, tổ chức tốt các phong trào thi đua, phấn đấu 90% trở "
    "lên cán bộ, công chức của các cơ quan, đơn vị trong Khối đạt danh hiệu lao động tiên tiến, có "
    "tập thể và cá nhân được công nhận danh hiệu thi đua “Tập thể lao động tiên tiến”.",
    "Từng cơ quan, đơn vị phân công cán bộ phụ trách công tác thi đua, khen thưởng, đồng thời cử "
    "cán bộ tham gia công tác thi đua, khen thưởng của Khối.",
]

D_PREAMBLE = (
    "Thực hiện Kế hoạch thực hiện công tác thi đua, khen thưởng năm 2021 của Khối thi đua các cơ "
    "quan của Đảng, gắn thi đua với việc tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của "
    "Bộ Chính trị về “Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”, các "
    "cơ quan, đơn vị trong Khối thống nhất ký kết giao ước thi đua năm 2021 với các nội dung sau:"
)
D_CLOSING = (
    "Các cơ quan, đơn vị trong Khối quyết tâm phấn đấu hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ "
    "đề ra trong năm 2021; đề nghị Hội đồng Thi đua, Khen thưởng thành phố ghi nhận và theo dõi "
    "kết quả thực hiện của Khối."
)
D_SOURCE = (
    "Nội dung rút ra từ sáu đề nghị của Khối trưởng khi kết luận Hội nghị ký kết ngày 14/4/2021 "
    "(bài báo không đăng văn bản giao ước)."
)
# (signer name, title, prefix, on behalf of); the article names the first two.
D_SIGNERS = [
    ("Nguyễn Ngọc Tâm", "Trưởng Ban", "", ""),
    ("Đinh Công Út", "Phó Trưởng ban Thường trực", "KT.", "Trưởng Ban"),
    ("Lâm Văn Hòa", "Trưởng Ban", "", ""),  # invented
    ("Trương Thị Mai", "Chủ nhiệm", "", ""),  # invented
    ("Phan Minh Đức", "Trưởng Ban", "", ""),  # invented
    ("Nguyễn Thị Thanh", "Chánh Văn phòng", "", ""),  # invented
]

E_PLAN_TITLE = (
    "Kế hoạch về công tác thi đua, khen thưởng Cụm thi đua số 7 thành phố Hà Nội năm 2023"
)
E_REGULATION_TITLE = (
    "Quyết định về việc ban hành Quy chế về tổ chức hoạt động và nguyên tắc bình xét thi đua "
    "Cụm thi đua số 7 thành phố Hà Nội năm 2023"
)
E_THEME = "Kỷ cương, trách nhiệm, hành động, sáng tạo, phát triển"
E_COMMITMENTS = [
    "Thi đua thực hiện thắng lợi nhiệm vụ, chương trình, kế hoạch chung của Thành phố và nhiệm vụ, "
    "kế hoạch, chương trình công tác riêng của từng đơn vị trong Cụm năm 2023, gắn với chủ đề "
    "công tác năm 2023 của Thành phố “Kỷ cương, trách nhiệm, hành động, sáng tạo, phát triển”.",
    "Tiếp tục thực hiện việc “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” theo "
    "tinh thần Chỉ thị 05-CT/TW của Bộ Chính trị; thực hiện nghiêm Nghị quyết Trung ương 4 (khóa "
    "XII) về tăng cường xây dựng, chỉnh đốn Đảng.",
    "Đẩy mạnh cải cách hành chính, đặc biệt là cải cách thủ tục hành chính; đẩy mạnh ứng dụng công "
    "nghệ thông tin trong quản lý điều hành và thực thi nhiệm vụ.",
    "Đẩy mạnh phong trào thi đua lao động giỏi, lao động sáng tạo; thực hiện nghiêm túc quy chế "
    "dân chủ trong cơ quan, đơn vị; tăng cường kỷ luật, kỷ cương hành chính, kỷ luật công vụ.",
    "Sử dụng hiệu quả nguồn ngân sách nhà nước được cấp, thực hành tiết kiệm, chống lãng phí.",
    "Duy trì tốt chế độ thông tin, báo cáo theo quy định của Cụm và Ban Thi đua - Khen thưởng Thành "
    "phố; hưởng ứng và tham gia đầy đủ, tích cực các phong trào thi đua do Thành phố phát động và "
    "Cụm đề xuất.",
]
E_SOURCE = (
    "Nội dung soạn theo các nhiệm vụ bài báo (bài 004) nêu; văn bản giao ước thật không được đăng."
)
E_SIGNERS = [  # invented names; the title is each department's head
    ("Trần Quang Minh", "Giám đốc"),
    ("Lê Thị Hương", "Giám đốc"),
    ("Đỗ Văn Long", "Giám đốc"),
    ("Nguyễn Thị Phương", "Giám đốc"),
    ("Hoàng Anh Tuấn", "Giám đốc"),
    ("Vũ Đức Thắng", "Giám đốc"),
]
E_MOVEMENTS = [
    (
        "Kỷ niệm 75 năm Ngày Chủ tịch Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc (11/6/1948 – "
        "11/6/2023)",
        Movement.Kind.THEMATIC,
        Movement.Launcher.AUTHORITY,
        None,
        None,
        dt.date(2023, 6, 11),
    ),
    (
        "Cuộc thi viết về gương điển hình tiên tiến, “người tốt, việc tốt” trong các phong trào "
        "thi đua yêu nước năm 2023",
        Movement.Kind.THEMATIC,
        Movement.Launcher.AUTHORITY,
        None,
        None,
        None,
    ),
    (
        "Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng "
        "phí trên địa bàn Thành phố giai đoạn 2022 – 2025",
        Movement.Kind.THEMATIC,
        Movement.Launcher.AUTHORITY,
        None,
        dt.date(2022, 1, 1),
        dt.date(2025, 12, 31),
    ),
    (
        "Thực hiện chuyển đổi đơn vị sự nghiệp công lập sang tự chủ tài chính trên địa bàn Thành "
        "phố giai đoạn 2022 – 2025",
        Movement.Kind.THEMATIC,
        Movement.Launcher.AUTHORITY,
        None,
        dt.date(2022, 1, 1),
        dt.date(2025, 12, 31),
    ),
    (
        "Toàn dân đoàn kết xây dựng đời sống văn hóa",
        Movement.Kind.REGULAR,
        Movement.Launcher.CENTRAL,
        None,
        None,
        None,
    ),
    (
        "Đổi mới, sáng tạo trong dạy và học",
        Movement.Kind.THEMATIC,
        Movement.Launcher.UNIT,
        0,
        None,
        None,
    ),
    (
        "Đổi mới phong cách, thái độ phục vụ của cán bộ y tế, hướng tới sự hài lòng của người bệnh",
        Movement.Kind.THEMATIC,
        Movement.Launcher.UNIT,
        1,
        None,
        None,
    ),
    (
        "“Đền ơn đáp nghĩa” hướng tới Kỷ niệm ngày Thương binh – Liệt sĩ (27/7/1947 - 27/7/2023)",
        Movement.Kind.THEMATIC,
        Movement.Launcher.UNIT,
        3,
        None,
        dt.date(2023, 7, 27),
    ),
]

# Scenario A: all invented (see the module docstring).
A_COMMITMENTS = [
    "Thi đua hoàn thành xuất sắc nhiệm vụ chính trị năm 2022 của từng đơn vị; bảo đảm an ninh "
    "chính trị, trật tự an toàn xã hội trên địa bàn Thành phố.",
    "Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; xây dựng tổ chức "
    "đảng, đơn vị trong sạch, vững mạnh.",
    "Phối hợp chặt chẽ giữa các đơn vị trong Khối trong công tác chuyên môn; trao đổi, học tập kinh "
    "nghiệm, nhân rộng điển hình tiên tiến.",
    "Tham gia đầy đủ các hoạt động, phong trào thi đua do Thành phố và Khối phát động.",
]
A_SOURCE = "Dữ liệu mẫu tự soạn: bài báo (bài 000) không nêu bản giao ước năm 2022."
A_SIGNERS = [
    ("Nguyễn Văn Nam", "Tư lệnh"),
    ("Trần Minh Quân", "Chỉ huy trưởng"),
    ("Lê Thị Bích", "Cục trưởng"),
    ("Phạm Đức Trí", "Viện trưởng"),
    ("Võ Thành Công", "Giám đốc"),
    ("Đặng Thị Hồng", "Chánh án"),
]


def _demo_scan(label: str) -> SimpleUploadedFile:
    """A one-page PDF that says it is a placeholder, standing in for a signed scan."""
    text = f"Ban chup minh hoa - du lieu mau, khong phai ban ky that: {label}"
    text = text.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 60 780 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    upload = SimpleUploadedFile("ban-chup-minh-hoa.pdf", out.getvalue(), "application/pdf")
    upload.checked_kind = check_upload(upload, allowed=("pdf",))
    return upload


def _bloc(authority_code: str, code: str) -> Bloc | None:
    return Bloc.objects.filter(authority__code=authority_code, code=code).first()


def _target(text, *, unit=None, kind="quantitative", comparison="", value=None, measure=""):
    return services.TargetInput(
        pk=None,
        text=text,
        unit=unit,
        kind=kind,
        comparison=comparison,
        value=value,
        measure=measure,
    )


def _draft(
    actor,
    bloc,
    year,
    *,
    title,
    preamble="",
    closing="",
    commitments,
    source,
    signing_on,
    presiding,
    targets,
):
    pledge = services.pledge_create(actor=actor, bloc=bloc, year=year)
    return services.pledge_update(
        actor=actor,
        pledge=pledge,
        version=pledge.version,
        title=title,
        preamble=preamble,
        closing=closing,
        contents_source=source,
        conference=pledge.conference,
        signing_on=signing_on,
        signing_place=pledge.signing_place,
        presiding_unit=presiding,
        commitments=commitments,
        targets=targets,
    )


def _sign_all(pledge, members, signers, *, method, recorders, signed_on):
    for member, signer, recorder in zip(members, signers, recorders, strict=True):
        name, title, prefix, on_behalf_of = (*signer, "", "")[:4]
        services.signature_record(
            actor=recorder,
            pledge=pledge,
            unit=member.unit,
            method=method,
            signer_name=name,
            signer_title=title,
            signer_prefix=prefix,
            signer_on_behalf_of=on_behalf_of,
            signed_on=signed_on,
            scan=_demo_scan(member.name) if method == Signature.Method.PAPER else None,
            today=max(signed_on, dt.date.today()),
        )


def _load_d(secretariat) -> None:
    bloc = _bloc("can-tho", "CQĐ")
    if bloc is None or Pledge.objects.filter(bloc=bloc, year=2021).exists():
        return
    members = selectors.members_of_year(bloc=bloc, year=2021)
    pledge = _draft(
        secretariat,
        bloc,
        2021,
        title="Bản giao ước thi đua năm 2021",
        preamble=D_PREAMBLE,
        closing=D_CLOSING,
        commitments=D_RECOMMENDATIONS,
        source=D_SOURCE,
        signing_on=dt.date(2021, 4, 14),
        presiding=members[0].unit,
        targets=[
            _target(
                "Cán bộ, công chức của các cơ quan, đơn vị trong Khối đạt danh hiệu lao động tiên tiến",
                comparison="ge",
                value=Decimal("90"),
                measure="%",
            ),
            _target("Cơ quan, đơn vị đạt chuẩn văn hóa", kind="qualitative"),
            _target(
                "Có tập thể được công nhận danh hiệu thi đua “Tập thể lao động tiên tiến”",
                kind="qualitative",
            ),
        ],
    )
    services.pledge_open(actor=secretariat, pledge=pledge)
    _sign_all(
        pledge,
        members,
        D_SIGNERS,
        method=Signature.Method.PAPER,
        recorders=[secretariat] * len(members),
        signed_on=dt.date(2021, 4, 14),
    )


def _issue(secretariat, bloc, year, kind, *, title, theme, reference, issued_on, issuer, signer):
    if YearDocument.objects.filter(bloc=bloc, year=year, kind=kind).exists():
        return
    document = services.year_document_create(
        actor=secretariat, bloc=bloc, year=year, kind=kind, title=title, theme=theme
    )
    services.year_document_issue(
        actor=secretariat,
        document=document,
        version=document.version,
        issuer_unit=issuer,
        reference=reference,
        issued_on=issued_on,
        signer_prefix="TM.",
        signer_on_behalf_of="Cụm thi đua số 7",
        signer_title="Cụm trưởng",
        signer_name=signer,
        scan=_demo_scan(reference),
    )


def _load_e(secretariat) -> None:
    bloc = _bloc("ha-noi", "7")
    if bloc is None:
        return
    members = selectors.members_of_year(bloc=bloc, year=2023)
    chair = members[0].unit
    issued_on = dt.date(2023, 4, 4)
    signer = "Trần Quang Minh"  # invented, as in E_SIGNERS
    _issue(
        secretariat,
        bloc,
        2023,
        YearDocument.Kind.PLAN,
        title=E_PLAN_TITLE,
        theme=E_THEME,
        reference="972/KH-CTĐ7",
        issued_on=issued_on,
        issuer=chair,
        signer=signer,
    )
    _issue(
        secretariat,
        bloc,
        2023,
        YearDocument.Kind.REGULATION,
        title=E_REGULATION_TITLE,
        theme="",
        reference="580/QĐ-CTĐ 7",
        issued_on=issued_on,
        issuer=chair,
        signer=signer,
    )
    if not Movement.objects.filter(bloc=bloc, year=2023).exists():
        for name, kind, launcher, unit_index, starts_on, ends_on in E_MOVEMENTS:
            services.movement_add(
                actor=secretariat,
                bloc=bloc,
                year=2023,
                name=name,
                kind=kind,
                launched_by=launcher,
                launched_by_unit=members[unit_index].unit if unit_index is not None else None,
                starts_on=starts_on,
                ends_on=ends_on,
            )
    if Pledge.objects.filter(bloc=bloc, year=2023).exists():
        return
    pledge = _draft(
        secretariat,
        bloc,
        2023,
        title="Bản giao ước thi đua năm 2023",
        preamble=(
            "Thực hiện công tác thi đua, khen thưởng năm 2023 của Thành phố, gắn với chủ đề năm "
            f"“{E_THEME}”, các đơn vị trong Cụm thi đua số 7 thống nhất ký kết giao ước thi đua "
            "năm 2023 với các nội dung sau:"
        ),
        closing=(
            "Các đơn vị trong Cụm quyết tâm phấn đấu hoàn thành các chỉ tiêu, nhiệm vụ được giao "
            "năm 2023."
        ),
        commitments=E_COMMITMENTS,
        source=E_SOURCE,
        signing_on=dt.date(2023, 3, 31),
        presiding=chair,
        targets=[
            _target(
                "Hoàn thành các chỉ tiêu, nhiệm vụ Thành phố giao năm 2023", kind="qualitative"
            ),
            _target(
                "Tham gia đầy đủ các phong trào thi đua do Thành phố phát động và Cụm đề xuất",
                kind="qualitative",
            ),
            _target(
                "Tổ chức kỳ thi tốt nghiệp THPT năm 2023 an toàn, đúng quy định",
                unit=chair,
                kind="qualitative",
            ),
        ],
    )
    services.pledge_open(actor=secretariat, pledge=pledge)
    User = get_user_model()
    officers = [User.objects.get(username=f"canbo-e{n}") for n in range(1, 7)]
    _sign_all(
        pledge,
        members,
        E_SIGNERS,
        method=Signature.Method.RECORDED,
        recorders=officers,
        signed_on=dt.date(2023, 3, 31),
    )


def _a_targets(units):
    return [
        _target(
            "Cán bộ, công chức, chiến sĩ hoàn thành tốt nhiệm vụ trở lên",
            comparison="ge",
            value=Decimal("95"),
            measure="%",
        ),
        _target(
            "Vụ việc vi phạm kỷ luật từ mức cảnh cáo trở lên",
            comparison="le",
            value=Decimal("0"),
            measure="vụ",
        ),
        _target("Tổ chức đảng đạt trong sạch, vững mạnh", kind="qualitative"),
        _target(
            "Tỷ lệ thi hành xong về việc trong số có điều kiện thi hành",
            unit=units[2],
            comparison="ge",
            value=Decimal("82"),
            measure="%",
        ),
        _target(
            "Tỷ lệ giải quyết các loại án",
            unit=units[5],
            comparison="ge",
            value=Decimal("90"),
            measure="%",
        ),
    ]


def _load_a(secretariat) -> None:
    bloc = _bloc("hcm", "VIII")
    if bloc is None or Pledge.objects.filter(bloc=bloc, year=2022).exists():
        return
    members = selectors.members_of_year(bloc=bloc, year=2022)
    pledge = _draft(
        secretariat,
        bloc,
        2022,
        title="Bản giao ước thi đua năm 2022",
        preamble=(
            "Các đơn vị trong Khối thi đua VIII thống nhất ký kết giao ước thi đua năm 2022 với "
            "các nội dung sau:"
        ),
        closing="Bản giao ước có hiệu lực từ ngày các đơn vị ký kết.",
        commitments=A_COMMITMENTS,
        source=A_SOURCE,
        signing_on=dt.date(2022, 3, 15),
        presiding=members[0].unit,
        targets=_a_targets([m.unit for m in members]),
    )
    units = [m.unit for m in members]
    targets = list(pledge.targets.order_by("position"))
    services.pledge_open(actor=secretariat, pledge=pledge)
    User = get_user_model()
    officers = [User.objects.get(username=f"canbo-a{n}") for n in range(1, 7)]
    _sign_all(
        pledge,
        members,
        A_SIGNERS,
        method=Signature.Method.RECORDED,
        recorders=officers,
        signed_on=dt.date(2022, 3, 15),
    )
    pledge.refresh_from_db()
    # Year-end results (invented): Công an Thành phố misses the discipline target.
    done = [Decimal(v) for v in ("98.5", "97", "96.2", "99", "95.4", "97.8")]
    discipline = [0, 0, 0, 0, 1, 0]
    specific = {2: Decimal("84.6"), 5: Decimal("93.1")}
    for index, (unit, officer) in enumerate(zip(units, officers, strict=True)):
        rows = [
            services.AchievementInput(
                targets[0], done[index], None, "Báo cáo tổng kết năm 2022", None
            ),
            services.AchievementInput(targets[1], Decimal(discipline[index]), None, "", None),
            services.AchievementInput(targets[2], None, True, "", None),
        ]
        if index in specific:
            target = targets[3] if index == 2 else targets[4]
            rows.append(services.AchievementInput(target, specific[index], None, "", None))
        services.achievements_save(actor=officer, pledge=pledge, unit=unit, rows=rows)


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    User = get_user_model()
    secretariat = User.objects.filter(username="thuky").first()
    if secretariat is None:
        return []
    _load_d(secretariat)
    _load_e(secretariat)
    _load_a(secretariat)
    return []
