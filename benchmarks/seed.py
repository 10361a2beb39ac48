"""Seed the benchmark database with a province-scale data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench \
        .venv/bin/python benchmarks/seed.py [--reset]

DATABASE_URL defaults to that URL; any database whose name lacks "bench" is refused.

Creates the database when missing, migrates it, then loads (deterministically, no randomness
without a fixed seed):

- 2 authorities (Tỉnh Nghệ An, Tỉnh Thanh Hóa), 20 blocs each = 40 blocs: 2 khối of provincial
  departments (sở, ban, ngành) and 18 cụm of district-level offices;
- 10 member units per bloc = 400 units, with their UnitName rows; 40 of them were renamed on
  01/03/2023 (Phòng Văn hóa - Thông tin → Phòng Văn hóa và Thông tin), so the name-per-year
  logic and the former-name search key are exercised;
- membership for 5 years (2021 to 2025) = 2,000 rows;
- one ChairTerm per bloc-year (200; chair and vice-chair distinct, vice-chair succeeds, the flag
  handed over from last year's chair), one or two Conferences per bloc-year (~390);
- three accounts: ``bench-admin`` (superuser, staff: the admin changelist),
  ``bench-secretariat`` (a secretariat Role on each authority: sees and may edit everything) and
  ``bench-reviewer`` (a reviewer Role on each authority: reads everything, edits nothing).

Rows go in with bulk_create, so save() does not run: names are cleaned with core.text.clean_name
and search_key is computed with core.text.fold exactly as each model's save() does. History rows
(simple_history) are not written; no benchmarked page reads them.

Idempotent: when the database already holds this version of the data set it only migrates and
says so; when it holds anything else (or with --reset) it drops the database and starts again.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf

# --- The data set, as plain data -----------------------------------------------------------------

AUTHORITIES = [
    {
        "code": "bench-nghe-an",
        "name": "Tỉnh Nghệ An",
        "short": "Nghệ An",
        "people_committee_name": "Ủy ban nhân dân tỉnh Nghệ An",
        "council_name": "Hội đồng Thi đua - Khen thưởng tỉnh Nghệ An",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Nghệ An",
        # 20 district-level units (đơn vị hành chính cấp huyện) before the 2025 reform.
        "districts": [
            "thành phố Vinh",
            "thị xã Cửa Lò",
            "thị xã Thái Hoà",
            "thị xã Hoàng Mai",
            "huyện Anh Sơn",
            "huyện Con Cuông",
            "huyện Diễn Châu",
            "huyện Đô Lương",
            "huyện Hưng Nguyên",
            "huyện Kỳ Sơn",
            "huyện Nam Đàn",
            "huyện Nghi Lộc",
            "huyện Nghĩa Đàn",
            "huyện Quế Phong",
            "huyện Quỳ Châu",
            "huyện Quỳ Hợp",
            "huyện Quỳnh Lưu",
            "huyện Tân Kỳ",
            "huyện Thanh Chương",
            "huyện Yên Thành",
        ],
    },
    {
        "code": "bench-thanh-hoa",
        "name": "Tỉnh Thanh Hóa",
        "short": "Thanh Hóa",
        "people_committee_name": "Ủy ban nhân dân tỉnh Thanh Hóa",
        "council_name": "Hội đồng Thi đua - Khen thưởng tỉnh Thanh Hóa",
        "tdkt_office_name": "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Thanh Hóa",
        "districts": [
            "thành phố Thanh Hóa",
            "thành phố Sầm Sơn",
            "thị xã Bỉm Sơn",
            "thị xã Nghi Sơn",
            "huyện Bá Thước",
            "huyện Cẩm Thủy",
            "huyện Đông Sơn",
            "huyện Hà Trung",
            "huyện Hậu Lộc",
            "huyện Hoằng Hóa",
            "huyện Lang Chánh",
            "huyện Mường Lát",
            "huyện Nga Sơn",
            "huyện Ngọc Lặc",
            "huyện Như Xuân",
            "huyện Nông Cống",
            "huyện Quảng Xương",
            "huyện Thiệu Hóa",
            "huyện Thọ Xuân",
            "huyện Triệu Sơn",
        ],
    },
]

# Provincial departments: two khối of ten. (full name stem, short name, head title)
PROVINCIAL_BLOCS = [
    (
        "VHXH",
        "Khối thi đua các cơ quan Văn hóa - Xã hội",
        [
            ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "Giám đốc"),
            ("Sở Y tế", "Sở YT", "Giám đốc"),
            ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", "Giám đốc"),
            ("Sở Lao động - Thương binh và Xã hội", "Sở LĐTBXH", "Giám đốc"),
            ("Sở Thông tin và Truyền thông", "Sở TTTT", "Giám đốc"),
            ("Sở Khoa học và Công nghệ", "Sở KHCN", "Giám đốc"),
            ("Sở Nội vụ", "Sở NV", "Giám đốc"),
            ("Sở Tư pháp", "Sở TP", "Giám đốc"),
            ("Ban Dân tộc", "Ban DT", "Trưởng ban"),
            ("Thanh tra", "TT", "Chánh Thanh tra"),
        ],
    ),
    (
        "KTTH",
        "Khối thi đua các cơ quan Kinh tế - Tổng hợp",
        [
            ("Sở Tài chính", "Sở TC", "Giám đốc"),
            ("Sở Kế hoạch và Đầu tư", "Sở KHĐT", "Giám đốc"),
            ("Sở Công Thương", "Sở CT", "Giám đốc"),
            ("Sở Xây dựng", "Sở XD", "Giám đốc"),
            ("Sở Giao thông vận tải", "Sở GTVT", "Giám đốc"),
            ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT", "Giám đốc"),
            ("Sở Tài nguyên và Môi trường", "Sở TNMT", "Giám đốc"),
            ("Văn phòng Ủy ban nhân dân", "VP UBND", "Chánh Văn phòng"),
            ("Ban Quản lý Khu kinh tế", "BQL KKT", "Trưởng ban"),
            ("Cục Thuế", "Cục Thuế", "Cục trưởng"),
        ],
    ),
]

# District-level offices: nine kinds × 20 districts = 18 cụm of ten.
# (full-name stem, short stem, head title, parent body pattern, cluster name stem)
DISTRICT_KINDS = [
    (
        "Ủy ban nhân dân",
        "UBND",
        "Chủ tịch",
        "Ủy ban nhân dân {province}",
        "Ủy ban nhân dân các huyện, thị xã, thành phố",
    ),
    (
        "Phòng Giáo dục và Đào tạo",
        "Phòng GD&ĐT",
        "Trưởng phòng",
        "Ủy ban nhân dân {district}",
        "các Phòng Giáo dục và Đào tạo",
    ),
    ("Phòng Nội vụ", "Phòng NV", "Trưởng phòng", "Ủy ban nhân dân {district}", "các Phòng Nội vụ"),
    (
        "Phòng Tài chính - Kế hoạch",
        "Phòng TC-KH",
        "Trưởng phòng",
        "Ủy ban nhân dân {district}",
        "các Phòng Tài chính - Kế hoạch",
    ),
    ("Trung tâm Y tế", "TTYT", "Giám đốc", "Sở Y tế {province}", "các Trung tâm Y tế"),
    (
        "Công an",
        "CA",
        "Trưởng Công an",
        "Công an {province}",
        "Công an các huyện, thị xã, thành phố",
    ),
    (
        "Ban Chỉ huy Quân sự",
        "BCHQS",
        "Chỉ huy trưởng",
        "Bộ Chỉ huy Quân sự {province}",
        "các Ban Chỉ huy Quân sự",
    ),
    (
        "Phòng Văn hóa và Thông tin",
        "Phòng VH&TT",
        "Trưởng phòng",
        "Ủy ban nhân dân {district}",
        "các Phòng Văn hóa và Thông tin",
    ),
    (
        "Phòng Lao động - Thương binh và Xã hội",
        "Phòng LĐ-TB&XH",
        "Trưởng phòng",
        "Ủy ban nhân dân {district}",
        "các Phòng Lao động - Thương binh và Xã hội",
    ),
]
# The kind renamed on RENAMED_ON: its name before that date.
RENAMED_KIND = "Phòng Văn hóa và Thông tin"
RENAMED_FROM = ("Phòng Văn hóa - Thông tin", "Phòng VH-TT")
RENAMED_ON = dt.date(2023, 3, 1)

STREETS = [
    "Lê Lợi",
    "Trần Phú",
    "Quang Trung",
    "Nguyễn Du",
    "Hai Bà Trưng",
    "Phan Bội Châu",
    "Lê Hồng Phong",
    "Nguyễn Thị Minh Khai",
    "Trường Chinh",
    "Hồ Tùng Mậu",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Ngọc", "Xuân", "Hồng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thủy",
    "Trung",
    "Tuấn",
    "Yến",
]


def _district_short(district: str) -> str:
    for prefix in ("thành phố ", "thị xã ", "huyện "):
        if district.startswith(prefix):
            return district[len(prefix) :]
    return district


def build_dataset():
    """The whole data set as plain dicts: the same every time (random only with a fixed seed)."""
    rng = random.Random(20250101)
    data = []
    for a_index, auth in enumerate(AUTHORITIES):
        blocs = []
        province = auth["name"][0].lower() + auth["name"][1:]  # "tỉnh Nghệ An"
        for code, name, members in PROVINCIAL_BLOCS:
            units = []
            for stem, short, head in members:
                units.append(
                    {
                        "full_name": f"{stem} {province}",
                        "short_name": f"{short} {auth['short']}",
                        "parent_body": auth["people_committee_name"],
                        "head_title": head,
                        "address": f"Số {rng.randint(1, 200)}, đường {rng.choice(STREETS)}, "
                        f"{auth['districts'][0]}",
                        "former": None,
                    }
                )
            blocs.append({"kind": "khoi", "code": code, "name": name, "units": units})
        for k_index, (stem, short, head, parent, plural) in enumerate(DISTRICT_KINDS):
            for group in range(2):
                units = []
                for district in auth["districts"][group * 10 : (group + 1) * 10]:
                    dshort = _district_short(district)
                    former = None
                    if stem == RENAMED_KIND:
                        former = (f"{RENAMED_FROM[0]} {district}", f"{RENAMED_FROM[1]} {dshort}")
                    units.append(
                        {
                            "full_name": f"{stem} {district}",
                            "short_name": f"{short} {dshort}",
                            "parent_body": parent.format(province=province, district=district),
                            "head_title": head,
                            "address": f"Số {rng.randint(1, 200)}, đường "
                            f"{rng.choice(STREETS)}, {district}",
                            "former": former,
                        }
                    )
                number = k_index * 2 + group + 1
                blocs.append(
                    {
                        "kind": "cum",
                        "code": f"C{number:02d}",
                        "name": f"Cụm thi đua {plural} số {group + 1}",
                        "units": units,
                    }
                )
        data.append({"authority": auth, "blocs": blocs, "index": a_index})
    people = [f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}" for _ in range(500)]
    return data, people


# --- Database ------------------------------------------------------------------------------------


def ensure_database(url: str, *, reset: bool) -> bool:
    """Create the database (drop it first with reset). Returns True when it was (re)created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            print(f"Dropping database {name} ...")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            print(f"Creating database {name} ...")
            conn.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                    sql.Identifier(name)
                )
            )
            return True
    return False


def stored_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_seed')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT version FROM bench_seed LIMIT 1")
        row = cursor.fetchone()
        return row[0] if row else None


def stale_search_keys() -> int:
    """How many rows' search_key differ from what their model's save() computes today.

    The keys were computed here, not by save(): if core.text.fold or a save() changed since the
    seeding, the data set no longer matches what the app would have stored. Checked by saving
    every row in a transaction that is rolled back.
    """
    from django.db import transaction

    from blocs.models import Authority, Bloc, Unit

    differ = 0
    with transaction.atomic():
        for model in (Authority, Bloc, Unit):
            for row in model.objects.all():
                before = row.search_key
                row.save()
                differ += row.search_key != before
        transaction.set_rollback(True)
    return differ


def database_is_empty() -> bool:
    from blocs.models import Authority, Bloc, Unit

    return not (Authority.objects.exists() or Bloc.objects.exists() or Unit.objects.exists())


def load(data, people):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from blocs.models import (
        Authority,
        Bloc,
        ChairTerm,
        Conference,
        Membership,
        Role,
        Unit,
        UnitName,
    )
    from core.text import clean_name, fold

    counts = {}
    with transaction.atomic():
        # Authorities: few, and save() is cheap, but keep one code path (bulk) for everything.
        authorities = []
        for entry in data:
            auth = entry["authority"]
            fields = {
                k: clean_name(auth[k])
                for k in ("name", "people_committee_name", "council_name", "tdkt_office_name")
            }
            authorities.append(
                Authority(code=auth["code"], search_key=fold(fields["name"]), **fields)
            )
        Authority.objects.bulk_create(authorities)

        blocs, units, unit_bloc = [], [], []
        for entry, authority in zip(data, authorities, strict=True):
            for b in entry["blocs"]:
                code, name = clean_name(b["code"]), clean_name(b["name"])
                blocs.append(
                    Bloc(
                        authority=authority,
                        kind=b["kind"],
                        code=code,
                        name=name,
                        search_key=fold(f"{name} {code}"),
                    )
                )
                for u in b["units"]:
                    full_name = clean_name(u["full_name"])
                    short_name = clean_name(u["short_name"])
                    former_names = ""
                    if u["former"]:
                        # What services.unit_rename leaves behind: the old full and short names.
                        former_names = " ".join(
                            filter(
                                None, ["", clean_name(u["former"][0]), clean_name(u["former"][1])]
                            )
                        )
                    units.append(
                        Unit(
                            authority=authority,
                            full_name=full_name,
                            short_name=short_name,
                            parent_body=clean_name(u["parent_body"]),
                            head_title=clean_name(u["head_title"]),
                            address=clean_name(u["address"]),
                            former_names=former_names,
                            search_key=fold(f"{full_name} {short_name} {former_names}")[:1000],
                        )
                    )
                    unit_bloc.append((len(blocs) - 1, u["former"]))
        Bloc.objects.bulk_create(blocs)
        Unit.objects.bulk_create(units)

        names = []
        members_of = [[] for _ in blocs]
        for unit, (bloc_index, former) in zip(units, unit_bloc, strict=True):
            members_of[bloc_index].append(unit)
            if former:
                names.append(
                    UnitName(
                        unit=unit,
                        full_name=clean_name(former[0]),
                        short_name=clean_name(former[1]),
                        valid_from=None,
                        valid_until=RENAMED_ON - dt.timedelta(days=1),
                    )
                )
                names.append(
                    UnitName(
                        unit=unit,
                        full_name=unit.full_name,
                        short_name=unit.short_name,
                        valid_from=RENAMED_ON,
                    )
                )
            else:
                names.append(
                    UnitName(unit=unit, full_name=unit.full_name, short_name=unit.short_name)
                )
        UnitName.objects.bulk_create(names)

        memberships, terms, conferences = [], [], []
        person = iter(people * 4)
        offices = {a.pk: a.tdkt_office_name for a in authorities}
        for b_index, (bloc, members) in enumerate(zip(blocs, members_of, strict=True)):
            for y_index, year in enumerate(benchconf.YEARS):
                for position, unit in enumerate(members, start=1):
                    memberships.append(
                        Membership(bloc=bloc, unit=unit, year=year, position=position)
                    )
                # Rotation "vice_chair": this year's vice-chair chairs next year.
                chair = members[(b_index + y_index) % len(members)]
                vice = members[(b_index + y_index + 1) % len(members)]
                previous_chair = (
                    members[(b_index + y_index - 1) % len(members)] if y_index else None
                )
                start = dt.date(year, 2, 5 + b_index % 20)
                terms.append(
                    ChairTerm(
                        bloc=bloc,
                        year=year,
                        chair=chair,
                        vice_chair=vice,
                        elected_on=start,
                        elected_at=f"Hội nghị ký kết giao ước thi đua năm {year}",
                        handover_on=start,
                        handover_from=previous_chair,
                        handover_to=chair,
                    )
                )
                head = next(person)
                chair_word = "Cụm trưởng" if bloc.kind == "cum" else "Khối trưởng"
                conferences.append(
                    Conference(
                        bloc=bloc,
                        year=year,
                        kind="start",
                        held_on=start,
                        place=clean_name(f"Hội trường {chair.full_name}"),
                        presiding_unit=chair,
                        presiding_person=clean_name(
                            f"{head}, {chair.head_title} {chair.full_name}"
                        ),
                        attendance=f"Lãnh đạo {len(members)} đơn vị thành viên; "
                        f"đại diện {offices[bloc.authority_id]}",
                        note=f"Ký kết giao ước thi đua năm {year}; trao cờ luân lưu.",
                    )
                )
                # One or two conferences per bloc-year: a quarter of the blocs have not yet held
                # their 2025 year-end conference.
                if not (year == benchconf.YEARS[-1] and b_index % 4 == 0):
                    conferences.append(
                        Conference(
                            bloc=bloc,
                            year=year,
                            kind="year_end",
                            held_on=dt.date(year, 12, 1 + b_index % 20),
                            place=clean_name(f"Trụ sở {chair.full_name}"),
                            presiding_unit=chair,
                            presiding_person=clean_name(
                                f"{head}, {chair.head_title} {chair.full_name}"
                            ),
                            attendance=f"Lãnh đạo {len(members)} đơn vị thành viên",
                            note=f"Tổng kết công tác thi đua, khen thưởng năm {year}; "
                            f"bầu {chair_word} năm {year + 1}.",
                        )
                    )
        Membership.objects.bulk_create(memberships, batch_size=1000)
        ChairTerm.objects.bulk_create(terms)
        Conference.objects.bulk_create(conferences)

        User = get_user_model()
        admin = User(
            username=benchconf.ADMIN_USERNAME,
            full_name="Quản trị hệ thống (benchmark)",
            is_staff=True,
            is_superuser=True,
        )
        admin.set_password(benchconf.BENCH_PASSWORD)
        admin.save()
        secretariat = User(
            username=benchconf.SECRETARIAT_USERNAME,
            full_name="Nguyễn Thị Thu Hà",
            job_title="Chuyên viên Ban Thi đua - Khen thưởng",
        )
        secretariat.set_password(benchconf.BENCH_PASSWORD)
        secretariat.save()
        reviewer = User(
            username=benchconf.REVIEWER_USERNAME,
            full_name="Trần Văn Định",
            job_title="Chuyên viên thẩm định",
        )
        reviewer.set_password(benchconf.BENCH_PASSWORD)
        reviewer.save()
        roles = [
            Role(user=secretariat, kind="secretariat", authority=a, title="Theo dõi khối, cụm")
            for a in authorities
        ] + [Role(user=reviewer, kind="reviewer", authority=a) for a in authorities]
        Role.objects.bulk_create(roles)

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_seed"
                " (version text NOT NULL, seeded_at timestamptz NOT NULL)"
            )
            cursor.execute("DELETE FROM bench_seed")
            cursor.execute("INSERT INTO bench_seed VALUES (%s, now())", [benchconf.seed_marker()])

        counts = {
            "authorities": len(authorities),
            "blocs": len(blocs),
            "units": len(units),
            "unit_names": len(names),
            "memberships": len(memberships),
            "chair_terms": len(terms),
            "conferences": len(conferences),
            "users": 3,
            "roles": len(roles),
        }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--reset", action="store_true", help="drop and recreate the database even if seeded"
    )
    args = parser.parse_args()

    url = benchconf.database_url()
    started = time.perf_counter()
    ensure_database(url, reset=args.reset)
    benchconf.setup_django()
    from django.core.management import call_command
    from django.db import connection

    marker = benchconf.seed_marker()
    version = stored_version()
    if version is not None and version != marker:
        # Another data set, or migrations rewritten since (a squashed 0001 would leave the
        # database behind without "migrate" noticing): start again from an empty database.
        print(f"Seeded as {version!r}, now {marker!r} (data set:migrations); reseeding.")
        connection.close()
        ensure_database(url, reset=True)
        version = None
    call_command("migrate", interactive=False, verbosity=0)
    stale = version == marker and stale_search_keys()
    if version == marker and not stale:
        print(f"Already seeded ({version}); nothing to do. Use --reset to reseed.")
        return
    if stale:
        print(f"{stale} stored search keys differ from what save() computes now; reseeding.")
    if version is not None or not database_is_empty():
        print("The database holds other data; reseeding from scratch.")
        connection.close()
        ensure_database(url, reset=True)
        call_command("migrate", interactive=False, verbosity=0)

    data, people = build_dataset()
    counts = load(data, people)
    elapsed = time.perf_counter() - started
    print("Seeded: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" in {elapsed:.1f} s.")
    print(
        f"Accounts (password {benchconf.BENCH_PASSWORD!r}): {benchconf.ADMIN_USERNAME} "
        f"(superuser), {benchconf.SECRETARIAT_USERNAME} (secretariat of both authorities), "
        f"{benchconf.REVIEWER_USERNAME} (reviewer, read-only)."
    )


if __name__ == "__main__":
    main()
