"""The award types, the national legal bases and the national eligibility rules, so every
installation starts with the law (DESIGN §7.1, §7.2; DOMAIN §5; domain-research §2).

The data is written out here, not imported from the app, so this migration stays what it was when
it ran. Later changes of the law are new rows (or new migrations), never edits of this file.

Periods: texts of the 2003 law (amended 2005, 2013), Nghị định 91/2017/NĐ-CP and Thông tư
12/2019/TT-BNV apply up to 31/12/2023; the Luật Thi đua, khen thưởng 06/2022/QH15 from 01/01/2024,
with Nghị định 98/2023/NĐ-CP up to 30/06/2025 and Nghị định 152/2025/NĐ-CP from 01/07/2025;
Thông tư 15/2025/TT-BNV from 05/08/2025, the day after it was issued (04/08/2025).
Where an article could not be checked against the original text the rule says so in its note.
"""

import datetime as dt

from django.db import migrations

OLD_END = dt.date(2023, 12, 31)
LAW_2022 = dt.date(2024, 1, 1)
ND98_END = dt.date(2025, 6, 30)
ND152 = dt.date(2025, 7, 1)

LEGAL_BASES = [
    # code, short name, citation (after "Căn cứ "), order, from, to
    (
        "luat-tdkt-2003",
        "Luật Thi đua, khen thưởng 2003",
        "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
        10,
        None,
        OLD_END,
    ),
    (
        "luat-tdkt-sua-doi-2005",
        "Luật sửa đổi Luật Thi đua, khen thưởng 2005",
        "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 năm 2005",
        11,
        None,
        OLD_END,
    ),
    (
        "luat-tdkt-sua-doi-2013",
        "Luật sửa đổi Luật Thi đua, khen thưởng 2013",
        "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013",
        12,
        dt.date(2014, 6, 1),
        OLD_END,
    ),
    (
        "luat-tdkt-2022",
        "Luật Thi đua, khen thưởng 06/2022/QH15",
        "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        13,
        LAW_2022,
        None,
    ),
    (
        "nd-91-2017",
        "Nghị định 91/2017/NĐ-CP",
        "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi "
        "hành một số điều của Luật Thi đua, khen thưởng",
        20,
        None,
        OLD_END,
    ),
    (
        "nd-98-2023",
        "Nghị định 98/2023/NĐ-CP",
        "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi "
        "hành một số điều của Luật Thi đua, khen thưởng",
        21,
        LAW_2022,
        ND98_END,
    ),
    (
        "nd-152-2025",
        "Nghị định 152/2025/NĐ-CP",
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, "
        "phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành "
        "một số điều của Luật Thi đua, khen thưởng",
        22,
        ND152,
        None,
    ),
    (
        "tt-12-2019-bnv",
        "Thông tư 12/2019/TT-BNV",
        "Thông tư số 12/2019/TT-BNV ngày 04 tháng 11 năm 2019 của Bộ trưởng Bộ Nội vụ quy định chi "
        "tiết thi hành một số điều của Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của "
        "Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
        30,
        dt.date(2020, 1, 1),
        OLD_END,
    ),
    (
        "tt-15-2025-bnv",
        "Thông tư 15/2025/TT-BNV",
        "Thông tư số 15/2025/TT-BNV ngày 04 tháng 8 năm 2025 của Bộ trưởng Bộ Nội vụ quy định biện "
        "pháp để tổ chức, hướng dẫn thi hành Luật Thi đua, khen thưởng và Nghị định số "
        "152/2025/NĐ-CP",
        31,
        dt.date(2025, 8, 5),
        None,
    ),
]

LAW = "Luật Thi đua, khen thưởng"
ND152_CASH = "Điều 50 Nghị định 152/2025/NĐ-CP"
ND152_CASH_FORMS = "Điều 54 Nghị định 152/2025/NĐ-CP"

AWARD_TYPES = [
    # code, name, short, wording, kind, level, audience, issuing, legal citation, cash, cash cite
    (
        "co_thi_dua_chinh_phu",
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua Chính phủ",
        "",
        "title",
        "state",
        "all",
        "Thủ tướng Chính phủ",
        f"Điều 20 {LAW}",
        "12",
        ND152_CASH,
    ),
    (
        "co_thi_dua_tinh",
        "Cờ thi đua của Ủy ban nhân dân tỉnh, thành phố",
        "Cờ thi đua UBND tỉnh",
        "Cờ thi đua của {ubnd}",
        "title",
        "province",
        "all",
        "Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương",
        f"Điều 20 {LAW}",
        "8",
        ND152_CASH,
    ),
    (
        "bang_khen_thu_tuong",
        "Bằng khen của Thủ tướng Chính phủ",
        "Bằng khen Thủ tướng",
        "",
        "form",
        "state",
        "all",
        "Thủ tướng Chính phủ",
        f"Điều 72 {LAW}",
        "7",
        ND152_CASH_FORMS,
    ),
    (
        "bang_khen_chu_tich_tinh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh, thành phố",
        "Bằng khen Chủ tịch UBND tỉnh",
        "Bằng khen của Chủ tịch {ubnd}",
        "form",
        "province",
        "all",
        "Chủ tịch Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương",
        f"Điều 72 {LAW}",
        "3",
        ND152_CASH_FORMS,
    ),
    (
        "tap_the_lao_dong_xuat_sac",
        "Tập thể lao động xuất sắc",
        "Tập thể lao động xuất sắc",
        "",
        "title",
        "province",
        "civil",
        "Chủ tịch Ủy ban nhân dân tỉnh; người đứng đầu bộ, ban, ngành",
        f"Điều 20 {LAW}",
        "1.5",
        ND152_CASH,
    ),
    (
        "don_vi_quyet_thang",
        "Đơn vị quyết thắng",
        "Đơn vị quyết thắng",
        "",
        "title",
        "province",
        "armed_forces",
        "Cấp có thẩm quyền trong Quân đội nhân dân, Công an nhân dân",
        f"Điều 20 {LAW}",
        "1.5",
        ND152_CASH,
    ),
    (
        "tap_the_lao_dong_tien_tien",
        "Tập thể lao động tiên tiến",
        "Tập thể lao động tiên tiến",
        "",
        "title",
        "base",
        "civil",
        "Người đứng đầu cơ quan, tổ chức, đơn vị",
        f"Điều 20 {LAW}",
        "0.8",
        ND152_CASH,
    ),
    (
        "don_vi_tien_tien",
        "Đơn vị tiên tiến",
        "Đơn vị tiên tiến",
        "",
        "title",
        "base",
        "armed_forces",
        "Cấp có thẩm quyền trong Quân đội nhân dân, Công an nhân dân",
        f"Điều 20 {LAW}",
        "0.8",
        ND152_CASH,
    ),
    (
        "giay_khen",
        "Giấy khen",
        "Giấy khen",
        "",
        "form",
        "base",
        "all",
        "Người đứng đầu cơ quan, tổ chức, đơn vị (khoản 1 Điều 75 Luật Thi đua, khen thưởng)",
        f"Điều 75 {LAW}",
        "0.6",
        ND152_CASH_FORMS,
    ),
]

UNCHECKED = "Chưa đối chiếu được điều, khoản với bản gốc của văn bản; kiểm tra lại trước khi in."

# Veto conditions bar every award, under the text of each period.
VETO_RULES = [
    (
        "Thông tư 12/2019/TT-BNV",
        None,
        OLD_END,
        "Không khen thưởng hoặc đề nghị khen thưởng tập thể đang bị xem xét kỷ luật, điều tra, "
        "thanh tra, kiểm tra khi có dấu hiệu vi phạm, hoặc có đơn thư khiếu nại, tố cáo đang được "
        "xác minh. Trước 01/01/2020: Thông tư 08/2017/TT-BNV cùng nội dung.",
    ),
    ("Nghị định 98/2023/NĐ-CP", LAW_2022, ND98_END, UNCHECKED),
    ("Điều 4 Nghị định 152/2025/NĐ-CP", ND152, None, ""),
]

WOMEN_PRIORITY = (
    "women_share",
    {"percent": "70", "strict": False},
    "priority",
    "",
    "khoản 6 Điều 4 Nghị định 152/2025/NĐ-CP",
    "Khi nhiều tập thể cùng đủ tiêu chuẩn, ưu tiên tập thể có tỷ lệ nữ từ 70% trở lên.",
    ND152,
    None,
)

# award code → rules: (kind, params, effect, group, citation, note, from, to)
RULES = {
    "co_thi_dua_chinh_phu": [
        (
            "leads_bloc",
            {},
            "required",
            "",
            f"Điều 25 {LAW}",
            "Chọn trong số các tập thể dẫn đầu khối, cụm thi đua đạt tiêu chuẩn Cờ thi đua của tỉnh; "
            "biên bản phải ghi rõ khối, cụm mà đơn vị dẫn đầu (Công văn 5007/BNV-TĐKT ngày "
            "05/9/2023 của Bộ Nội vụ).",
            None,
            None,
        ),
        (
            "quota_share",
            {"percent": "20", "base": "bloc_leaders", "rounding": "floor"},
            "required",
            "",
            "Điều 11 Nghị định 91/2017/NĐ-CP",
            "Không quá 20% tổng số tập thể được bình xét dẫn đầu các khối, cụm thi đua; kiểm tra "
            "trên danh sách đề nghị toàn tỉnh.",
            None,
            OLD_END,
        ),
        (
            "quota_share",
            {"percent": "20", "base": "bloc_leaders", "rounding": "floor"},
            "required",
            "",
            "Công văn 5007/BNV-TĐKT ngày 05/9/2023 của Bộ Nội vụ",
            "Tỷ lệ theo thực tiễn trước đây; Nghị định 98/2023/NĐ-CP và 152/2025/NĐ-CP chưa xác "
            "nhận được tỷ lệ này. Sửa khi có văn bản hướng dẫn.",
            LAW_2022,
            None,
        ),
        WOMEN_PRIORITY,
    ],
    "co_thi_dua_tinh": [
        (
            "leads_bloc",
            {},
            "required",
            "",
            f"Điều 26 {LAW}",
            "Luật năm 2003: tập thể tiêu biểu xuất sắc của tỉnh; tặng cho đơn vị dẫn đầu khối, cụm "
            "theo Hướng dẫn 1479/HD-BTĐKT ngày 25/7/2016.",
            None,
            OLD_END,
        ),
        (
            "leads_bloc",
            {},
            "required",
            "",
            f"khoản 1 Điều 26 {LAW}",
            "Tặng hằng năm cho tập thể dẫn đầu phong trào thi đua của khối, cụm thi đua do tỉnh tổ "
            "chức.",
            LAW_2022,
            None,
        ),
        WOMEN_PRIORITY,
    ],
    "bang_khen_chu_tich_tinh": [
        (
            "held_award",
            {
                "award_codes": ["tap_the_lao_dong_xuat_sac", "don_vi_quyet_thang"],
                "years": 2,
                "include_current_year": False,
            },
            "required",
            "thanh_tich",
            f"Điều 72 {LAW}",
            "Một trong các tiêu chuẩn thành tích. Tiêu chuẩn “có thành tích xuất sắc được bình xét "
            "trong phong trào thi đua” do quy chế của tỉnh, khối quy định: thêm tiêu chuẩn “Xếp hạng "
            "trong khối không thấp hơn hạng N” cho tỉnh, cùng nhóm thay thế “thanh_tich”.",
            None,
            OLD_END,
        ),
        (
            "held_award",
            {
                "award_codes": ["tap_the_lao_dong_xuat_sac", "don_vi_quyet_thang"],
                "years": 2,
                "include_current_year": False,
            },
            "required",
            "thanh_tich",
            f"Điều 74 {LAW}",
            "Có 02 năm liên tục được công nhận hoàn thành xuất sắc nhiệm vụ hoặc đạt danh hiệu Tập "
            "thể lao động xuất sắc. Tiêu chuẩn “có thành tích xuất sắc được bình xét trong phong "
            "trào thi đua” do quy chế của tỉnh, khối quy định số hạng: thêm tiêu chuẩn “Xếp hạng "
            "trong khối không thấp hơn hạng N” cho tỉnh, cùng nhóm thay thế “thanh_tich”. " + UNCHECKED,
            LAW_2022,
            None,
        ),
        WOMEN_PRIORITY,
    ],
    "bang_khen_thu_tuong": [
        WOMEN_PRIORITY,
    ],
    "tap_the_lao_dong_xuat_sac": [
        ("all_completed", {}, "required", "", f"Điều 27 {LAW}", "", None, OLD_END),
        (
            "advanced_share",
            {"percent": "70", "strict": False},
            "required",
            "",
            f"Điều 27 {LAW}",
            "",
            None,
            OLD_END,
        ),
        ("emulation_fighters", {"at_least": 1}, "required", "", f"Điều 27 {LAW}", "", None, OLD_END),
        ("no_discipline", {}, "required", "", f"Điều 27 {LAW}", "", None, OLD_END),
        ("all_completed", {}, "required", "", f"khoản 1 Điều 27 {LAW}", "", LAW_2022, None),
        (
            "advanced_share",
            {"percent": "70", "strict": False},
            "required",
            "",
            f"khoản 1 Điều 27 {LAW}",
            "",
            LAW_2022,
            None,
        ),
        (
            "emulation_fighters",
            {"at_least": 1},
            "required",
            "",
            f"khoản 1 Điều 27 {LAW}",
            "",
            LAW_2022,
            None,
        ),
    ],
    "don_vi_quyet_thang": [
        (
            "all_completed",
            {},
            "required",
            "",
            f"Điều 27 {LAW}",
            "Với đơn vị lực lượng vũ trang, số “Lao động tiên tiến” là số Chiến sĩ tiên tiến.",
            None,
            None,
        ),
        (
            "advanced_share",
            {"percent": "70", "strict": False},
            "required",
            "",
            f"Điều 27 {LAW}",
            "Tỷ lệ cá nhân đạt danh hiệu Chiến sĩ tiên tiến.",
            None,
            None,
        ),
        ("emulation_fighters", {"at_least": 1}, "required", "", f"Điều 27 {LAW}", "", None, None),
    ],
    "tap_the_lao_dong_tien_tien": [
        (
            "advanced_share",
            {"percent": "50", "strict": True},
            "required",
            "",
            f"điểm c khoản 1 Điều 28 {LAW}",
            "Luật năm 2003: trên 50% cá nhân đạt Lao động tiên tiến.",
            None,
            OLD_END,
        ),
        ("no_discipline", {}, "required", "", f"điểm c khoản 1 Điều 28 {LAW}", "", None, OLD_END),
        (
            "advanced_share",
            {"percent": "70", "strict": False},
            "required",
            "",
            f"khoản 1 Điều 28 {LAW}",
            "Luật năm 2022: ít nhất 70% cá nhân đạt Lao động tiên tiến.",
            LAW_2022,
            None,
        ),
        ("no_discipline", {}, "required", "", f"khoản 1 Điều 28 {LAW}", "", LAW_2022, None),
    ],
    "don_vi_tien_tien": [
        (
            "advanced_share",
            {"percent": "50", "strict": True},
            "required",
            "",
            f"khoản 2 Điều 28 {LAW}",
            "Luật năm 2003: trên 50% cá nhân đạt Chiến sĩ tiên tiến.",
            None,
            OLD_END,
        ),
        (
            "advanced_share",
            {"percent": "70", "strict": False},
            "required",
            "",
            f"Điều 28 {LAW}",
            "Tỷ lệ cá nhân đạt Chiến sĩ tiên tiến. " + UNCHECKED,
            LAW_2022,
            None,
        ),
    ],
    "giay_khen": [],
}


def forwards(apps, schema_editor):
    LegalBasis = apps.get_model("awards", "LegalBasis")
    AwardType = apps.get_model("awards", "AwardType")
    EligibilityRule = apps.get_model("awards", "EligibilityRule")
    for code, short, citation, order, start, end in LEGAL_BASES:
        LegalBasis.objects.update_or_create(
            authority=None,
            code=code,
            defaults={
                "short_name": short,
                "citation": citation,
                "order": order,
                "effective_from": start,
                "effective_to": end,
            },
        )
    for position, row in enumerate(AWARD_TYPES, start=1):
        code, name, short, wording, kind, level, audience, issuing, legal, cash, cash_cite = row
        award, _created = AwardType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "authority_wording": wording,
                "kind": kind,
                "level": level,
                "audience": audience,
                "issuing_authority": issuing,
                "legal_citation": legal,
                "cash_multiple": cash,
                "cash_citation": cash_cite,
                "order": position * 10,
            },
        )
        if EligibilityRule.objects.filter(award_type=award, authority=None).exists():
            continue
        rules = [
            ("no_veto", {}, "required", "", citation, note, start, end)
            for citation, start, end, note in VETO_RULES
        ] + RULES[code]
        for order, (rkind, params, effect, group, citation, note, start, end) in enumerate(
            rules, start=1
        ):
            EligibilityRule.objects.create(
                award_type=award,
                kind=rkind,
                params=params,
                effect=effect,
                alternative_group=group,
                citation=citation,
                note=note,
                effective_from=start,
                effective_to=end,
                order=order * 10,
            )


def backwards(apps, schema_editor):
    apps.get_model("awards", "EligibilityRule").objects.filter(authority=None).delete()
    codes = [row[0] for row in AWARD_TYPES]
    apps.get_model("awards", "AwardType").objects.filter(code__in=codes, records=None).delete()
    apps.get_model("awards", "LegalBasis").objects.filter(
        authority=None, code__in=[row[0] for row in LEGAL_BASES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
