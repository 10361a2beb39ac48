"""The five real blocs of SCENARIOS.md, as the seed articles give them, plus demo accounts.

Facts from the articles: bloc names, kinds, members, chairs and vice-chairs where named,
conference dates, places and presiding people. Invented (the articles are silent) and marked
as such in the data: the province names of seeds 001 and 002, the other Party boards of seed 002,
the officers' and reviewers' names, and the 2025 mergers' exact dates for Hà Nội.

Loading is idempotent: every row is looked up by its natural key first and never re-saved.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from blocs.models import Authority, Bloc, ChairTerm, Conference, Membership, Role, Unit, UnitName

DEMO_PASSWORD = "thiduea-demo"

AUTHORITIES = [
    {
        "code": "hcm",
        "name": "Thành phố Hồ Chí Minh",
        "people_committee_name": "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "council_name": "Hội đồng Thi đua - Khen thưởng Thành phố Hồ Chí Minh",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng Thành phố",
    },
    {
        "code": "tinh-noi-chinh",
        "name": "Tỉnh (bài 001 không nêu tên)",
        "people_committee_name": "Ủy ban nhân dân tỉnh",
        "council_name": "Hội đồng Thi đua - Khen thưởng tỉnh",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng tỉnh",
    },
    {
        "code": "tinh-ban-dang",
        "name": "Tỉnh (bài 002 không nêu tên)",
        "people_committee_name": "Ủy ban nhân dân tỉnh",
        "council_name": "Hội đồng Thi đua - Khen thưởng tỉnh",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng tỉnh",
    },
    {
        "code": "can-tho",
        "name": "Thành phố Cần Thơ",
        "people_committee_name": "Ủy ban nhân dân thành phố Cần Thơ",
        "council_name": "Hội đồng Thi đua - Khen thưởng thành phố Cần Thơ",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng - Sở Nội vụ thành phố",
    },
    {
        "code": "ha-noi",
        "name": "Thành phố Hà Nội",
        "people_committee_name": "Ủy ban nhân dân Thành phố Hà Nội",
        "council_name": "Hội đồng Thi đua - Khen thưởng Thành phố Hà Nội",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng Thành phố",
    },
]

# Each bloc: its authority, members in the article's order, chair terms and conferences.
BLOCS = [
    {
        "scenario": "A",
        "authority": "hcm",
        "kind": Bloc.Kind.BLOC,
        "code": "VIII",
        "name": "Khối thi đua VIII",
        "year": 2022,
        "members": [
            ("Bộ Tư lệnh Thành phố", "BTL TP", "Bộ Quốc phòng", "Tư lệnh"),
            (
                "Bộ Chỉ huy Bộ đội Biên phòng Thành phố",
                "BĐBP TP",
                "Bộ Tư lệnh Bộ đội Biên phòng",
                "Chỉ huy trưởng",
            ),
            (
                "Cục Thi hành án dân sự Thành phố",
                "Cục THADS",
                "Tổng cục Thi hành án dân sự",
                "Cục trưởng",
            ),
            (
                "Viện kiểm sát nhân dân Thành phố",
                "VKSND TP",
                "Viện kiểm sát nhân dân tối cao",
                "Viện trưởng",
            ),
            ("Công an Thành phố", "CATP", "Bộ Công an", "Giám đốc"),
            ("Tòa án nhân dân Thành phố", "TAND TP", "Tòa án nhân dân tối cao", "Chánh án"),
        ],
        "terms": [{"year": 2022, "chair": 0, "vice_chair": None}],
        "conferences": [
            {
                "kind": Conference.Kind.YEAR_END,
                "held_on": dt.date(2022, 12, 16),
                "place": "Đồn biên phòng Thạnh An, xã đảo Thạnh An, huyện Cần Giờ",
                "presiding": 0,
                "person": "Thiếu tướng Phan Văn Xựng, Chính ủy Bộ Tư lệnh Thành phố",
                "note": "Hoạt động về nguồn và Hội nghị tổng kết công tác thi đua - khen thưởng năm 2022. "
                "Các đơn vị nhất trí đề nghị Cờ thi đua của UBND Thành phố cho Bộ Tư lệnh Thành phố và "
                "Bằng khen của Chủ tịch UBND Thành phố cho năm đơn vị còn lại.",
            }
        ],
    },
    {
        "scenario": "B",
        "authority": "tinh-noi-chinh",
        "kind": Bloc.Kind.BLOC,
        "code": "NC",
        "name": "Khối thi đua Nội chính",
        "year": 2023,
        "members": [
            ("Viện Kiểm sát nhân dân tỉnh", "VKSND tỉnh", "", "Viện trưởng"),
            ("Thanh tra tỉnh", "", "", "Chánh Thanh tra"),
            ("Bộ Chỉ huy Quân sự tỉnh", "BCHQS tỉnh", "", "Chỉ huy trưởng"),
            ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BĐBP tỉnh", "", "Chỉ huy trưởng"),
            ("Công an tỉnh", "", "", "Giám đốc"),
            ("Tòa án nhân dân tỉnh", "TAND tỉnh", "", "Chánh án"),
            ("Cục Thi hành án dân sự tỉnh", "Cục THADS tỉnh", "", "Cục trưởng"),
            ("Sở Tư pháp tỉnh", "", "", "Giám đốc"),
        ],
        "terms": [{"year": 2023, "chair": 0, "vice_chair": None}],
        "conferences": [
            {
                "kind": Conference.Kind.YEAR_END,
                "held_on": dt.date(2023, 11, 27),
                "place": "",
                "presiding": 0,
                "person": "Nguyễn Văn Cường, Phó Viện trưởng Viện Kiểm sát nhân dân tỉnh",
                "note": "Trao cờ luân lưu cho đơn vị Trưởng khối Thi đua Nội chính năm 2024 "
                "(bài báo không nêu tên đơn vị).",
            }
        ],
    },
    {
        "scenario": "C",
        "authority": "tinh-ban-dang",
        "kind": Bloc.Kind.BLOC,
        "code": "BĐ",
        "name": "Khối thi đua các Ban, cơ quan của Đảng",
        "year": 2022,
        # The article names the chair and the chair-elect; the other boards are the usual ones.
        "members": [
            ("Ban Tuyên giáo Tỉnh ủy", "", "Tỉnh ủy", "Trưởng Ban"),
            ("Ban Tổ chức Tỉnh ủy", "", "Tỉnh ủy", "Trưởng Ban"),
            ("Ủy ban Kiểm tra Tỉnh ủy", "", "Tỉnh ủy", "Chủ nhiệm"),
            ("Ban Dân vận Tỉnh ủy", "", "Tỉnh ủy", "Trưởng Ban"),
            ("Ban Nội chính Tỉnh ủy", "", "Tỉnh ủy", "Trưởng Ban"),
            ("Văn phòng Tỉnh ủy", "", "Tỉnh ủy", "Chánh Văn phòng"),
            ("Đảng ủy Khối các Cơ quan và Doanh nghiệp tỉnh", "", "Tỉnh ủy", "Bí thư"),
        ],
        "next_year_members": True,
        "terms": [
            {"year": 2022, "chair": 0, "vice_chair": None},
            {
                "year": 2023,
                "chair": 6,
                "vice_chair": None,
                "elected_on": dt.date(2022, 12, 1),
                "elected_at": "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2022",
            },
        ],
        "conferences": [
            {
                "kind": Conference.Kind.YEAR_END,
                "held_on": dt.date(2022, 12, 1),
                "place": "",
                "presiding": 0,
                "person": "Ngô Văn Liên, Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Tỉnh ủy",
                "note": "Đề nghị 01 Cờ thi đua của Chính phủ, 02 Cờ thi đua của UBND tỉnh, "
                "03 Bằng khen của Chủ tịch UBND tỉnh.",
            }
        ],
    },
    {
        "scenario": "D",
        "authority": "can-tho",
        "kind": Bloc.Kind.BLOC,
        "code": "CQĐ",
        "name": "Khối thi đua các cơ quan của Đảng",
        "year": 2021,
        "members": [
            ("Ban Tuyên giáo Thành ủy", "", "Thành ủy Cần Thơ", "Trưởng Ban"),
            ("Ban Nội chính Thành ủy", "", "Thành ủy Cần Thơ", "Trưởng Ban"),
            ("Ban Tổ chức Thành ủy", "", "Thành ủy Cần Thơ", "Trưởng Ban"),
            ("Ủy ban Kiểm tra Thành ủy", "", "Thành ủy Cần Thơ", "Chủ nhiệm"),
            ("Ban Dân vận Thành ủy", "", "Thành ủy Cần Thơ", "Trưởng Ban"),
            ("Văn phòng Thành ủy", "", "Thành ủy Cần Thơ", "Chánh Văn phòng"),
        ],
        "terms": [{"year": 2021, "chair": 0, "vice_chair": 1}],
        "conferences": [
            {
                "kind": Conference.Kind.START_OF_YEAR,
                "held_on": dt.date(2021, 4, 14),
                "place": "",
                "presiding": 0,
                "person": "Nguyễn Ngọc Tâm, Ủy viên Ban Thường vụ, Trưởng Ban Tuyên giáo Thành ủy",
                "note": "Hội nghị ký kết giao ước thi đua các cơ quan của Đảng năm 2021; "
                "đồng chí Đinh Công Út (Khối phó) trình bày Kế hoạch năm 2021.",
            }
        ],
    },
    {
        "scenario": "E",
        "authority": "ha-noi",
        "kind": Bloc.Kind.CLUSTER,
        "code": "7",
        "name": "Cụm thi đua số 7",
        "year": 2023,
        "members": [
            ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "UBND Thành phố Hà Nội", "Giám đốc"),
            ("Sở Y tế", "", "UBND Thành phố Hà Nội", "Giám đốc"),
            ("Sở Văn hóa và Thể thao", "Sở VH&TT", "UBND Thành phố Hà Nội", "Giám đốc"),
            (
                "Sở Lao động - Thương binh và Xã hội",
                "Sở LĐ-TB&XH",
                "UBND Thành phố Hà Nội",
                "Giám đốc",
            ),
            ("Sở Khoa học và Công nghệ", "Sở KH&CN", "UBND Thành phố Hà Nội", "Giám đốc"),
            ("Sở Thông tin và Truyền thông", "Sở TT&TT", "UBND Thành phố Hà Nội", "Giám đốc"),
        ],
        "terms": [{"year": 2023, "chair": 0, "vice_chair": 1}],
        "conferences": [
            {
                "kind": Conference.Kind.START_OF_YEAR,
                "held_on": dt.date(2023, 3, 31),
                "place": "",
                "presiding": 0,
                "person": "",
                "note": "Hội nghị triển khai công tác thi đua, khen thưởng năm 2023; ký kết Bản Giao ước "
                "thi đua năm 2023 của 6 đơn vị. Chủ đề năm của Thành phố: “Kỷ cương, trách nhiệm, hành "
                "động, sáng tạo, phát triển”.",
            },
            {
                "kind": Conference.Kind.MID_YEAR,
                "held_on": dt.date(2023, 9, 8),
                "place": "",
                "presiding": 0,
                "person": "",
                "note": "Sở Giáo dục và Đào tạo (Cụm trưởng) và Sở Y tế (Cụm phó) chủ trì. Sơ kết 6 tháng "
                "đầu năm; thảo luận dự thảo báo cáo và dự thảo tiêu chí chấm điểm năm 2023.",
            },
        ],
        # The 2025 reorganisation: the 2023 year keeps the old names (dates here are indicative).
        "mergers": [
            {
                "unit": 3,
                "into": ("Sở Nội vụ", "UBND Thành phố Hà Nội", "Giám đốc"),
                "on": dt.date(2025, 3, 1),
            },
            {"unit": 5, "into_member": 4, "on": dt.date(2025, 3, 1)},
        ],
    },
]

# Demo accounts. Their names are invented, except the chair representative of bloc A, whom the
# article names.
SECRETARIAT = ("thuky", "Nguyễn Thị Thu", "Chuyên viên Ban Thi đua - Khen thưởng")
REVIEWER = (
    "thamdinh",
    "Trần Văn Định",
    "Chuyên viên thẩm định, Ban Thi đua - Khen thưởng Thành phố",
)
CHAIR_REP_A = ("chutri-a", "Phan Văn Xựng", "Thiếu tướng, Chính ủy Bộ Tư lệnh Thành phố")
ADMIN = ("quantri", "Quản trị hệ thống", "")
OFFICER_NAMES = [
    "Lê Minh Anh",
    "Phạm Quốc Bảo",
    "Võ Thị Cúc",
    "Đặng Hoàng Dũng",
    "Huỳnh Thị Giang",
    "Bùi Văn Hải",
    "Ngô Thị Hạnh",
    "Trịnh Văn Khoa",
    "Lý Thị Lan",
    "Mai Đức Minh",
    "Tô Thị Ngọc",
    "Vũ Văn Phúc",
]


def _unit(authority, full_name, short_name="", parent_body="", head_title=""):
    unit = Unit.objects.filter(authority=authority, full_name=full_name).first()
    if unit:
        return unit, False
    unit = Unit.objects.create(
        authority=authority,
        full_name=full_name,
        short_name=short_name,
        parent_body=parent_body,
        head_title=head_title,
    )
    UnitName.objects.create(unit=unit, full_name=unit.full_name, short_name=unit.short_name)
    return unit, True


def _user(username, full_name, job_title, *, superuser=False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user:
        return user
    user = User(
        username=username,
        full_name=full_name,
        job_title=job_title,
        is_staff=superuser,
        is_superuser=superuser,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _role(user, kind, **scope):
    Role.objects.get_or_create(user=user, kind=kind, **scope)


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    """Load the blocs and the accounts; return (username, name, role) for each demo account."""
    authorities = {}
    for data in AUTHORITIES:
        authority = Authority.objects.filter(code=data["code"]).first()
        if authority is None:
            authority = Authority.objects.create(**data)
        authorities[data["code"]] = authority

    units_by_scenario = {}
    blocs_by_scenario = {}
    for data in BLOCS:
        authority = authorities[data["authority"]]
        bloc = Bloc.objects.filter(authority=authority, code=data["code"]).first()
        if bloc is None:
            bloc = Bloc.objects.create(
                authority=authority, kind=data["kind"], code=data["code"], name=data["name"]
            )
        units = [_unit(authority, *member)[0] for member in data["members"]]
        years = (
            [data["year"], data["year"] + 1] if data.get("next_year_members") else [data["year"]]
        )
        for year in years:
            for position, unit in enumerate(units, start=1):
                Membership.objects.get_or_create(
                    bloc=bloc, unit=unit, year=year, defaults={"position": position}
                )
        for term in data["terms"]:
            if not ChairTerm.objects.filter(bloc=bloc, year=term["year"]).exists():
                ChairTerm.objects.create(
                    bloc=bloc,
                    year=term["year"],
                    chair=units[term["chair"]],
                    vice_chair=units[term["vice_chair"]]
                    if term["vice_chair"] is not None
                    else None,
                    elected_on=term.get("elected_on"),
                    elected_at=term.get("elected_at", ""),
                )
        for conf in data["conferences"]:
            if not Conference.objects.filter(
                bloc=bloc, year=data["year"], held_on=conf["held_on"]
            ).exists():
                Conference.objects.create(
                    bloc=bloc,
                    year=data["year"],
                    kind=conf["kind"],
                    held_on=conf["held_on"],
                    place=conf["place"],
                    presiding_unit=units[conf["presiding"]],
                    presiding_person=conf["person"],
                    note=conf["note"],
                )
        for merger in data.get("mergers", []):
            unit = units[merger["unit"]]
            if unit.merged_into_id:
                continue
            if "into_member" in merger:
                into = units[merger["into_member"]]
            else:
                into, _created = _unit(authority, merger["into"][0], "", *merger["into"][1:])
            unit.merged_into = into
            unit.merged_on = merger["on"]
            unit.save()
            unit.names.filter(valid_until__isnull=True).update(
                valid_until=merger["on"] - dt.timedelta(days=1)
            )
        units_by_scenario[data["scenario"]] = units
        blocs_by_scenario[data["scenario"]] = bloc

    accounts = []
    secretariat = _user(*SECRETARIAT)
    for authority in authorities.values():
        _role(secretariat, Role.Kind.SECRETARIAT, authority=authority)
    accounts.append(
        (
            secretariat.username,
            secretariat.full_name,
            "Thư ký / chuyên viên TĐKT (cả 5 tỉnh, thành phố)",
        )
    )

    for offset, scenario in ((0, "A"), (6, "E")):
        bloc = blocs_by_scenario[scenario]
        for index, unit in enumerate(units_by_scenario[scenario], start=1):
            name = OFFICER_NAMES[offset + index - 1]
            user = _user(f"canbo-{scenario.lower()}{index}", name, f"Cán bộ TĐKT, {unit.full_name}")
            _role(user, Role.Kind.OFFICER, unit=unit)
            accounts.append(
                (user.username, user.full_name, f"Cán bộ TĐKT của {unit.full_name} ({bloc.name})")
            )

    chair_rep = _user(*CHAIR_REP_A)
    _role(chair_rep, Role.Kind.CHAIR_REP, unit=units_by_scenario["A"][0], title="Chính ủy")
    accounts.append(
        (chair_rep.username, chair_rep.full_name, "Đại diện Khối trưởng Khối thi đua VIII năm 2022")
    )

    reviewer = _user(*REVIEWER)
    _role(reviewer, Role.Kind.REVIEWER, authority=authorities["hcm"])
    accounts.append(
        (
            reviewer.username,
            reviewer.full_name,
            "Chuyên viên thẩm định, Thành phố Hồ Chí Minh (chỉ xem)",
        )
    )

    admin = _user(*ADMIN, superuser=True)
    accounts.append((admin.username, admin.full_name, "Quản trị hệ thống"))
    return accounts
