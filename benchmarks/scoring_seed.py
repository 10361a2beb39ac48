"""Seed the scoring data set (issue 4) on top of seed.py's province.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring \
        .venv/bin/python benchmarks/scoring_seed.py [--reset]

DATABASE_URL defaults to that URL (a database of its own, so the page benchmark's bloc list keeps
its 40 blocs); any database whose name lacks "bench" is refused.

First runs seed.py on the same database (the province: 2 authorities, 40 blocs of 10 units,
membership 2021 to 2025), then loads, deterministically (one fixed random seed), for 2025:

- two more blocs in Tỉnh Nghệ An for the score grid: ``LUOI12`` (12 units) and ``LUOI06`` (6
  units), with their units, names and 2025 membership: 42 blocs, 418 units in all;
- per bloc, a frozen criteria table (version 1, 100 base points, not capped) of 60 leaves:
  groups I–III of regular points (I: 4 criteria × 5 sub-criteria of 2 points; II: 4 × 5 of 1.5;
  III: 3 × 6 of 1.5, 1.5 and 2), group IV with one bonus leaf (điểm thưởng, up to 10) and group V
  with one deduction leaf (điểm trừ, up to 10): 76 nodes, 60 leaves, 100 points;
- per bloc, its settings (tie-break ``group:I``, ``fewer_deductions``, ``women_70``; one bloc in
  four removes vetoed units from the ranks) and a closed year-end period (tổng kết) on the table;
- per unit, an officer account with its officer Role (the self scores are theirs), its 2025 facts
  (headcount and women: about one unit in five has at least 70 % women) and, for one unit in 25,
  a veto condition in force;
- per unit, an accepted UnitReport; per unit × leaf a SelfScore and a secretariat VerifiedScore:
  418 × 60 = 25,080 of each (24,000 for the 40 province blocs). About one verified score in 25
  differs from the self score and says why. Totals fall between about 85 and 110 (bonus points
  take some above 100), with ties inside some blocs for the tie-break chain to settle.

No evidence files (no page measured here opens them, and no required evidence is declared), no
history rows, no RankingRun: benchmarks/ranking.py makes those and deletes them again.

Idempotent like seed.py: a database holding this version of both data sets is left alone; one
holding seed.py's data set only gets the scoring data added; anything else (another version, or a
partial load) is dropped and reseeded from scratch (``--reset`` forces it).
"""

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring"
# Bump when the scoring data set below changes.
SCORING_VERSION = "1"
YEAR = 2025
LEAVES_PER_TABLE = 60
OFFICER_PREFIX = "bench-officer-"
GRID_BLOC_CODES = ("LUOI12", "LUOI06")

# (group code, title, [(criterion title, [sub-criterion topics], points per sub-criterion)])
TABLE = [
    (
        "I",
        "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
        [
            ("Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm", 5, "2"),
            ("Cải cách hành chính", 5, "2"),
            ("Chuyển đổi số, ứng dụng công nghệ thông tin", 5, "2"),
            (
                "Phòng, chống tham nhũng, tiêu cực; thực hành tiết kiệm, chống lãng phí",
                5,
                "2",
            ),
        ],
    ),
    (
        "II",
        "Công tác xây dựng Đảng, chính quyền và các đoàn thể",
        [
            ("Xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh", 5, "1.5"),
            ("Hoạt động của tổ chức Công đoàn", 5, "1.5"),
            ("Hoạt động của Đoàn Thanh niên, Hội Phụ nữ", 5, "1.5"),
            ("Chăm lo đời sống vật chất, tinh thần cho người lao động", 5, "1.5"),
        ],
    ),
    (
        "III",
        "Thực hiện các phong trào thi đua của Khối, Cụm",
        [
            ("Tổ chức phát động, ký kết giao ước thi đua", 6, "1.5"),
            ("Tham gia các hoạt động chung của Khối, Cụm", 6, "1.5"),
            ("Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 6, "2"),
        ],
    ),
]
# What each sub-criterion (a, b, c, …) of a criterion looks at.
ASPECTS = [
    "Ban hành kế hoạch, văn bản hướng dẫn triển khai kịp thời, đúng quy định",
    "Tổ chức thực hiện đầy đủ, đúng tiến độ các nội dung đã đề ra",
    "Kết quả đạt và vượt so với chỉ tiêu được giao",
    "Kiểm tra, giám sát, đánh giá việc thực hiện trong đơn vị",
    "Sơ kết, tổng kết, báo cáo đầy đủ, đúng thời hạn",
    "Có mô hình mới, cách làm hay được cấp có thẩm quyền ghi nhận",
]
BONUS = (
    "IV",
    "Điểm thưởng",
    "Được tặng Cờ thi đua, Bằng khen cấp Bộ, tỉnh trở lên hoặc có sáng kiến được công nhận",
    "10",
    "Cờ thi đua: 5 điểm; Bằng khen: 3 điểm; sáng kiến cấp tỉnh: 2 điểm; không quá 10 điểm.",
)
DEDUCTION = (
    "V",
    "Điểm trừ",
    "Có tập thể, cá nhân vi phạm bị xử lý kỷ luật; gửi báo cáo chậm so với thời hạn",
    "10",
    "Trừ 2 điểm cho mỗi trường hợp bị kỷ luật; 1 điểm cho mỗi báo cáo gửi chậm.",
)
LETTERS = "abcdefghij"

# The two blocs made for the score grid: (code, name, [(full name stem, short name)]).
GRID_BLOCS = [
    (
        "LUOI12",
        "Khối thi đua các đơn vị sự nghiệp và cơ quan Trung ương trên địa bàn",
        [
            ("Trung tâm Phục vụ hành chính công", "TT PVHCC"),
            ("Đài Phát thanh và Truyền hình", "Đài PT-TH"),
            ("Trường Chính trị", "Trường CT"),
            ("Bệnh viện Đa khoa", "BVĐK"),
            ("Bảo hiểm xã hội", "BHXH"),
            ("Kho bạc Nhà nước", "KBNN"),
            ("Ngân hàng Nhà nước Chi nhánh", "NHNN CN"),
            ("Cục Thống kê", "Cục TK"),
            ("Cục Hải quan", "Cục HQ"),
            ("Báo", "Báo"),
            ("Liên minh Hợp tác xã", "LMHTX"),
            ("Trường Cao đẳng Kỹ thuật Công nghiệp", "CĐ KTCN"),
        ],
    ),
    (
        "LUOI06",
        "Khối thi đua các doanh nghiệp nhà nước",
        [
            ("Công ty TNHH MTV Thủy lợi", "Cty Thủy lợi"),
            ("Công ty Cổ phần Cấp nước", "Cty Cấp nước"),
            ("Công ty Điện lực", "PC"),
            ("Công ty TNHH MTV Xổ số kiến thiết", "Cty XSKT"),
            ("Công ty TNHH MTV Lâm nghiệp", "Cty Lâm nghiệp"),
            ("Công ty Cổ phần Môi trường và Công trình đô thị", "Cty MT-CTĐT"),
        ],
    ),
]

VETO_TEXT = (
    "investigation",
    "Đang được thanh tra việc quản lý, sử dụng ngân sách năm 2025",
    "Quyết định số 45/QĐ-TTr ngày 02/6/2025 của Thanh tra tỉnh",
)


def _run_seed(url: str, *, reset: bool) -> None:
    """seed.py on the same database: the province (idempotent; drops and reloads on reset)."""
    cmd = [sys.executable, str(benchconf.BENCH_DIR / "seed.py")] + (["--reset"] if reset else [])
    done = subprocess.run(cmd, env=dict(os.environ, DATABASE_URL=url), check=False)
    if done.returncode:
        sys.exit(f"seed.py failed ({done.returncode}).")


def marker() -> str:
    return f"{SCORING_VERSION}:{benchconf.seed_marker()}"


def stored_marker():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_scoring_seed')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT version FROM bench_scoring_seed LIMIT 1")
        row = cursor.fetchone()
        return row[0] if row else None


def scoring_is_empty() -> bool:
    from blocs.models import Bloc, UnitYearFacts, VetoCondition
    from scoring.models import CriteriaTable, RankingRun, ReportingPeriod

    return not any(
        qs.exists()
        for qs in (
            CriteriaTable.objects.all(),
            ReportingPeriod.objects.all(),
            RankingRun.objects.all(),
            UnitYearFacts.objects.all(),
            VetoCondition.objects.all(),
            Bloc.objects.filter(code__in=GRID_BLOC_CODES),
        )
    )


def table_spec():
    """The 60 leaves in reading order: (group, criterion, sub-criterion or None, title, max
    points, kind, guidance). Checked: 60 leaves, 100 regular points."""
    leaves = []
    for group, _title, criteria in TABLE:
        for c_index, (c_title, subs, points) in enumerate(criteria, start=1):
            for s_index in range(subs):
                leaves.append(
                    (
                        group,
                        str(c_index),
                        LETTERS[s_index],
                        f"{ASPECTS[s_index]} ({c_title[0].lower()}{c_title[1:]})",
                        Decimal(points),
                        "regular",
                        "Chấm theo mức độ hoàn thành; chưa thực hiện: 0 điểm."
                        if s_index == 2
                        else "",
                    )
                )
    for group, _title, text, points, guidance, kind in (
        (*BONUS, "bonus"),
        (*DEDUCTION, "deduction"),
    ):
        leaves.append((group, "1", None, text, Decimal(points), kind, guidance))
    regular = sum(leaf[4] for leaf in leaves if leaf[5] == "regular")
    assert len(leaves) == LEAVES_PER_TABLE, len(leaves)
    assert regular == 100, regular
    return leaves


def _half(value: float) -> Decimal:
    """To the nearest 0.5 point, as secretariats score."""
    return Decimal(round(value * 2)) / 2


def load():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from blocs.models import (
        Authority,
        Bloc,
        Membership,
        Role,
        Unit,
        UnitName,
        UnitYearFacts,
        VetoCondition,
    )
    from core.text import clean_name, fold
    from scoring.models import (
        BlocYearScoring,
        CriteriaTable,
        Criterion,
        ReportingPeriod,
        SelfScore,
        UnitReport,
        VerifiedScore,
    )

    rng = random.Random(20251231)
    User = get_user_model()
    spec = table_spec()
    now = timezone.now()
    with transaction.atomic():
        secretariat = User.objects.get(username=benchconf.SECRETARIAT_USERNAME)
        authority = Authority.objects.order_by("pk").first()

        # The two grid blocs, their units and names (as seed.py writes them), 2025 membership.
        province = authority.name[0].lower() + authority.name[1:]
        grid_blocs, grid_units = [], []
        for code, name, members in GRID_BLOCS:
            bloc = Bloc(
                authority=authority,
                kind="khoi",
                code=code,
                name=clean_name(name),
                search_key=fold(f"{clean_name(name)} {code}"),
            )
            grid_blocs.append(bloc)
            units = []
            for stem, short in members:
                full = clean_name(f"{stem} {province}")
                short_name = clean_name(f"{short} {authority.name.removeprefix('Tỉnh ')}")
                units.append(
                    Unit(
                        authority=authority,
                        full_name=full,
                        short_name=short_name,
                        parent_body=authority.people_committee_name,
                        head_title="Thủ trưởng đơn vị",
                        search_key=fold(f"{full} {short_name} ")[:1000],
                    )
                )
            grid_units.append(units)
        Bloc.objects.bulk_create(grid_blocs)
        Unit.objects.bulk_create([u for units in grid_units for u in units])
        UnitName.objects.bulk_create(
            UnitName(unit=u, full_name=u.full_name, short_name=u.short_name)
            for units in grid_units
            for u in units
        )
        Membership.objects.bulk_create(
            Membership(bloc=bloc, unit=unit, year=YEAR, position=position)
            for bloc, units in zip(grid_blocs, grid_units, strict=True)
            for position, unit in enumerate(units, start=1)
        )

        blocs = list(Bloc.objects.order_by("pk"))
        members = {bloc.pk: [] for bloc in blocs}
        for m in (
            Membership.objects.filter(year=YEAR)
            .select_related("unit")
            .order_by("bloc_id", "position", "unit__full_name")
        ):
            members[m.bloc_id].append(m.unit)
        units = [u for bloc in blocs for u in members[bloc.pk]]

        # One officer per unit; one password hash for all (hashing 418 times takes minutes).
        password = make_password(benchconf.BENCH_PASSWORD)
        officers = [
            User(
                username=f"{OFFICER_PREFIX}{n:03d}",
                full_name=f"Cán bộ thi đua {unit.short_name or unit.full_name}",
                job_title="Chuyên viên phụ trách thi đua, khen thưởng",
                password=password,
            )
            for n, unit in enumerate(units, start=1)
        ]
        User.objects.bulk_create(officers)
        officer_of = {unit.pk: officer for unit, officer in zip(units, officers, strict=True)}
        Role.objects.bulk_create(
            Role(user=officer_of[u.pk], kind="officer", unit=u, title="Cán bộ TĐKT") for u in units
        )

        # Facts and vetoes.
        facts, vetoes = [], []
        for n, unit in enumerate(units):
            headcount = rng.randint(25, 1500)
            share = rng.uniform(0.72, 0.85) if n % 5 == 2 else rng.uniform(0.15, 0.65)
            facts.append(
                UnitYearFacts(
                    unit=unit,
                    year=YEAR,
                    headcount=headcount,
                    women=int(headcount * share),
                    completed_tasks=headcount - rng.randint(0, max(1, headcount // 50)),
                    source="Báo cáo tổng kết năm 2025 của đơn vị (số liệu đo kiểm)",
                )
            )
            if n % 25 == 7:
                kind, description, source = VETO_TEXT
                vetoes.append(
                    VetoCondition(
                        unit=unit,
                        year=YEAR,
                        kind=kind,
                        description=description,
                        source=source,
                        recorded_on=dt.date(YEAR, 6, 2),
                    )
                )
        UnitYearFacts.objects.bulk_create(facts)
        VetoCondition.objects.bulk_create(vetoes)

        # Tables: groups, criteria, sub-criteria, one level at a time (parents need their pk).
        tables = [
            CriteriaTable(
                bloc=bloc,
                year=YEAR,
                version=1,
                state=CriteriaTable.State.FROZEN,
                title=clean_name(f"Bảng tiêu chí chấm điểm thi đua {bloc.name} năm {YEAR}"),
                frozen_at=now,
                created_by=secretariat,
            )
            for bloc in blocs
        ]
        CriteriaTable.objects.bulk_create(tables)
        group_titles = {g: t for g, t, _c in TABLE} | {
            BONUS[0]: BONUS[1],
            DEDUCTION[0]: DEDUCTION[1],
        }
        criterion_titles = {(g, str(i)): c[0] for g, _t, cs in TABLE for i, c in enumerate(cs, 1)}
        groups, criteria, subs = {}, {}, []
        for table in tables:
            for position, (code, title) in enumerate(group_titles.items(), start=1):
                groups[(table.pk, code)] = Criterion(
                    table=table, code=code, title=title, position=position
                )
        Criterion.objects.bulk_create(groups.values())
        for table in tables:
            for group, criterion, sub, title, points, kind, guidance in spec:
                key = (table.pk, group, criterion)
                if key in criteria:
                    continue
                leaf = sub is None
                criteria[key] = Criterion(
                    table=table,
                    parent=groups[(table.pk, group)],
                    code=criterion,
                    title=title if leaf else criterion_titles[(group, criterion)],
                    position=int(criterion),
                    max_points=points if leaf else None,
                    kind=kind,
                    guidance=guidance if leaf else "",
                )
        Criterion.objects.bulk_create(criteria.values())
        leaves_of = {}
        for table in tables:
            leaves = []
            for group, criterion, sub, title, points, kind, guidance in spec:
                parent = criteria[(table.pk, group, criterion)]
                if sub is None:
                    leaves.append(parent)
                    continue
                node = Criterion(
                    table=table,
                    parent=parent,
                    code=sub,
                    title=title,
                    position=LETTERS.index(sub) + 1,
                    max_points=points,
                    kind=kind,
                    guidance=guidance,
                )
                subs.append(node)
                leaves.append(node)
            leaves_of[table.bloc_id] = leaves
        Criterion.objects.bulk_create(subs, batch_size=1000)

        BlocYearScoring.objects.bulk_create(
            BlocYearScoring(
                bloc=bloc,
                year=YEAR,
                vetoed_units="remove" if index % 4 == 3 else "rank_with_flag",
                tie_break=["group:I", "fewer_deductions", "women_70"],
            )
            for index, bloc in enumerate(blocs)
        )
        periods = [
            ReportingPeriod(
                bloc=bloc,
                year=YEAR,
                kind=ReportingPeriod.Kind.YEAR_END,
                opens_on=dt.date(YEAR, 11, 15),
                deadline=dt.date(YEAR, 12, 5),
                state=ReportingPeriod.State.CLOSED,
                criteria_table=table,
            )
            for bloc, table in zip(blocs, tables, strict=True)
        ]
        ReportingPeriod.objects.bulk_create(periods)

        reports = []
        for bloc, period in zip(blocs, periods, strict=True):
            for unit in members[bloc.pk]:
                reports.append(
                    UnitReport(
                        period=period,
                        unit=unit,
                        state=UnitReport.State.ACCEPTED,
                        text=f"Báo cáo tổng kết công tác thi đua, khen thưởng năm {YEAR} của "
                        f"{unit.full_name}: hoàn thành các chỉ tiêu, nhiệm vụ được giao; tham gia "
                        f"đầy đủ các hoạt động của {bloc.name}.",
                        submitted_at=dt.datetime(YEAR, 12, 4, 9, 30, tzinfo=dt.UTC),
                    )
                )
        UnitReport.objects.bulk_create(reports, batch_size=1000)

        self_scores, verified = [], []
        for report in reports:
            bloc_id = report.period.bloc_id
            officer = officer_of[report.unit_id]
            level = rng.uniform(0.84, 0.99)  # how well this unit did, on regular points
            for leaf in leaves_of[bloc_id]:
                if leaf.kind == "regular":
                    points = _half(float(leaf.max_points) * min(1.0, level + rng.gauss(0, 0.06)))
                    points = max(Decimal(0), min(leaf.max_points, points))
                elif leaf.kind == "bonus":
                    points = Decimal(rng.choice([0, 0, 2, 3, 3, 5, 5, 8, 10]))
                else:
                    points = Decimal(rng.choice([0, 0, 0, 0, 0, 1, 2]))
                comment = ""
                if leaf.kind == "bonus" and points:
                    comment = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh năm 2025."
                elif leaf.kind == "deduction" and points:
                    comment = "Một báo cáo gửi chậm so với thời hạn."
                self_scores.append(
                    SelfScore(
                        report=report,
                        criterion=leaf,
                        points=points,
                        comment=comment,
                        updated_by=officer,
                    )
                )
                checked, justification = points, ""
                if leaf.kind == "regular" and points and rng.random() < 0.04:
                    checked = points - Decimal("0.5")
                    justification = "Minh chứng chưa thể hiện đầy đủ kết quả: trừ 0,5 điểm."
                elif leaf.kind == "bonus" and points >= 5 and rng.random() < 0.2:
                    checked = Decimal(3)
                    justification = "Hình thức khen thưởng tương ứng 3 điểm theo quy chế."
                verified.append(
                    VerifiedScore(
                        report=report,
                        criterion=leaf,
                        points=checked,
                        justification=justification,
                        scored_by=secretariat,
                    )
                )
        SelfScore.objects.bulk_create(self_scores, batch_size=2000)
        VerifiedScore.objects.bulk_create(verified, batch_size=2000)

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_scoring_seed"
                " (version text NOT NULL, seeded_at timestamptz NOT NULL)"
            )
            cursor.execute("DELETE FROM bench_scoring_seed")
            cursor.execute("INSERT INTO bench_scoring_seed VALUES (%s, now())", [marker()])
        counts = {
            "grid blocs": len(grid_blocs),
            "blocs scored": len(blocs),
            "units scored": len(units),
            "officers": len(officers),
            "criteria tables": len(tables),
            "criteria": len(groups) + len(criteria) + len(subs),
            "periods": len(periods),
            "unit reports": len(reports),
            "self scores": len(self_scores),
            "verified scores": len(verified),
            "verified ≠ self": sum(
                s.points != v.points for s, v in zip(self_scores, verified, strict=True)
            ),
            "unit-year facts": len(facts),
            "vetoes": len(vetoes),
        }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def check_counts() -> list[str]:
    """What an already seeded database must hold; the problems found (empty when complete)."""
    from blocs.models import Bloc, Membership
    from scoring.models import CriteriaTable, Criterion, SelfScore, UnitReport, VerifiedScore

    problems = []
    units = Membership.objects.filter(year=YEAR).count()
    blocs = Bloc.objects.count()
    expected = {
        "blocs": (blocs, 42),
        "2025 members": (units, 418),
        "tables": (CriteriaTable.objects.filter(year=YEAR).count(), blocs),
        "leaves": (
            Criterion.objects.filter(table__year=YEAR, max_points__isnull=False).count(),
            blocs * LEAVES_PER_TABLE,
        ),
        "reports": (UnitReport.objects.filter(period__year=YEAR).count(), units),
        "self scores": (SelfScore.objects.count(), units * LEAVES_PER_TABLE),
        "verified scores": (VerifiedScore.objects.count(), units * LEAVES_PER_TABLE),
    }
    for name, (found, wanted) in expected.items():
        if found != wanted:
            problems.append(f"{name}: {found}, expected {wanted}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reset", action="store_true", help="drop and reseed everything")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    url = benchconf.database_url()
    started = time.perf_counter()
    _run_seed(url, reset=args.reset)
    benchconf.setup_django()
    from django.db import connection

    stored = stored_marker()
    if stored == marker():
        problems = check_counts()
        if not problems:
            print(f"Scoring data already seeded ({stored}); nothing to do. Use --reset to reseed.")
            return
        print("Scoring data incomplete (" + "; ".join(problems) + "); reseeding everything.")
    elif stored is not None or not scoring_is_empty():
        print(f"Scoring data seeded as {stored!r}, now {marker()!r}; reseeding everything.")
    if stored is not None or not scoring_is_empty():
        connection.close()
        _run_seed(url, reset=True)
    counts = load()
    if problems := check_counts():
        sys.exit("Seeded, but: " + "; ".join(problems))
    elapsed = time.perf_counter() - started
    print("Seeded: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" in {elapsed:.1f} s.")
    print(
        f"Officer accounts {OFFICER_PREFIX}001 … (password {benchconf.BENCH_PASSWORD!r}), one per "
        "unit; the secretariat's and the admin's as in seed.py."
    )


if __name__ == "__main__":
    main()
