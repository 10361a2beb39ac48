"""The parts of the year-end report that other apps hold, read through their selectors.

Each function takes the YearEndData being built and adds to it: lines of section I, parts of
sections II and III (each a dict naming the template that prints it), and the annex tables of the
XLSX. An app with nothing recorded for the year adds nothing, and the report says so.
"""

from collections import OrderedDict

from blocs.models import Bloc


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
    return text.replace(".", ",")


def pledge_sections(data, *, bloc: Bloc, year: int) -> None:
    """The plan, regulation and pledge (section I); targets against results, movements (II)."""
    from pledges import selectors as pledges

    documents = pledges.year_documents_in_force(bloc=bloc, year=year)
    for kind in ("plan", "regulation"):
        document = documents.get(kind)
        if document:
            data.documents.append(
                {
                    "kind": document.get_kind_display(),
                    "reference": document.reference,
                    "issued_on": document.issued_on,
                    "title": document.title,
                    "theme": document.theme,
                }
            )
    results = pledges.pledge_results(bloc=bloc, year=year)
    if results:
        targets = OrderedDict()
        for row in results:
            targets.setdefault(row.target_id, {"text": row.text, "level": row.level, "rows": []})
            targets[row.target_id]["rows"].append(
                {
                    "unit": row.unit_name,
                    "achieved": (f"{_number(row.achieved)} {row.measure}".strip())
                    if row.achieved is not None
                    else (
                        "Đạt" if row.judged_met else "Không đạt" if row.judged_met is False else ""
                    ),
                    "met": row.met,
                }
            )
        for target in targets.values():
            rows = target["rows"]
            target["met_count"] = sum(1 for r in rows if r["met"] is True)
            target["unknown_count"] = sum(1 for r in rows if r["met"] is None)
            target["total"] = len(rows)
        data.results.append(
            {"template": "pdf/report_parts/pledge_targets.html", "targets": list(targets.values())}
        )
        data.tables.append(
            {
                "sheet": "Chỉ tiêu giao ước",
                "title": f"Kết quả thực hiện chỉ tiêu giao ước năm {year}",
                "headers": ["Chỉ tiêu", "Mức giao ước", "Đơn vị", "Kết quả", "Đạt"],
                "rows": [
                    [
                        row.text,
                        row.level,
                        row.unit_name,
                        _number(row.achieved) if row.achieved is not None else "",
                        {True: "Đạt", False: "Không đạt", None: "Chưa có số liệu"}[row.met],
                    ]
                    for row in results
                ],
                "widths": [50, 14, 40, 12, 14],
            }
        )
    movements = pledges.year_movements(bloc=bloc, year=year)
    if movements:
        data.results.append(
            {
                "template": "pdf/report_parts/movements.html",
                "movements": [
                    {
                        "name": m.name,
                        "kind": m.get_kind_display(),
                        "launched_by": m.unit_name or m.get_launched_by_display(),
                        "starts_on": m.starts_on,
                        "ends_on": m.ends_on,
                        "description": m.description,
                    }
                    for m in movements
                ],
            }
        )


# Applied in this order when the year-end data is gathered.
SECTIONS = [pledge_sections]


def awards_sections(data, *, bloc: Bloc, year: int) -> None:
    """Commendations the members received during the year (II); the ballot results (III)."""
    import datetime as dt

    from awards import selectors as awards
    from awards.models import AwardRecord, Ballot
    from blocs.models import Membership

    members = Membership.objects.filter(bloc=bloc, year=year).values("unit_id")
    received = list(
        AwardRecord.objects.filter(
            unit_id__in=members,
            decision_date__gte=dt.date(year, 1, 1),
            decision_date__lte=dt.date(year, 12, 31),
        )
        .select_related("unit", "award_type")
        .order_by("award_type__order", "decision_date", "pk")
    )
    if received:
        awards.attach_names(received)
        data.results.append(
            {
                "template": "pdf/report_parts/commendations.html",
                "records": [
                    {
                        "unit": r.unit_name,
                        "award": r.award_type.name_for(bloc.authority),
                        "decision": f"{r.decision_words} ngày {r.decision_date:%d/%m/%Y}",
                        "issuing_body": r.issuing_body,
                        "year": r.year,
                    }
                    for r in received
                ],
            }
        )
    for ballot in Ballot.objects.filter(bloc=bloc, year=year, state=Ballot.State.CLOSED).order_by(
        "held_on", "pk"
    ):
        detail = awards.ballot_detail(ballot=ballot)
        tally = ballot.tally or {}
        items = []
        for item in detail.items:
            items.append(
                {
                    "award": item.item.award_type.name_for(bloc.authority),
                    "max_choices": item.item.max_choices,
                    "needs_runoff": (item.result or {}).get("needs_runoff", False),
                    "candidates": [
                        {
                            "name": c.name,
                            "total": (c.result or {}).get("total", 0),
                            "percent": (c.result or {}).get("percent", "0"),
                            "selected": (c.result or {}).get("selected", False),
                        }
                        for c in item.candidates
                    ],
                }
            )
        data.review.append(
            {
                "template": "pdf/report_parts/ballot.html",
                "title": ballot.title,
                "held_on": ballot.held_on,
                "mode": ballot.get_mode_display(),
                "threshold": detail.threshold_words,
                "members": tally.get("members"),
                "present": tally.get("present"),
                "valid": tally.get("valid"),
                "invalid": tally.get("invalid"),
                "items": items,
            }
        )
        data.tables.append(
            {
                "sheet": f"Bỏ phiếu {ballot.pk}"[:31],
                "title": f"Kết quả bỏ phiếu: {ballot.title}",
                "headers": [
                    "Danh hiệu, hình thức",
                    "Đơn vị",
                    "Số phiếu đồng ý",
                    "Tỷ lệ (%)",
                    "Kết quả",
                ],
                "rows": [
                    [
                        i["award"],
                        c["name"],
                        c["total"],
                        c["percent"],
                        "Được đề nghị" if c["selected"] else "",
                    ]
                    for i in items
                    for c in i["candidates"]
                ],
                "widths": [44, 44, 14, 10, 16],
            }
        )


def proposal_sections(data, *, bloc: Bloc, year: int) -> None:
    """The award proposal and, when known, the council's decision (III); its list (annex)."""
    from awards.models import Proposal

    proposal = Proposal.objects.filter(bloc=bloc, year=year).first()
    if proposal is None:
        return
    authority = bloc.authority
    groups = OrderedDict()
    for line in proposal.lines.select_related("unit", "award_type").order_by(
        "award_type__order", "order", "pk"
    ):
        group = groups.setdefault(
            line.award_type_id, {"award": line.award_type.name_for(authority), "lines": []}
        )
        group["lines"].append(
            {
                "unit": line.unit.full_name,
                "outcome": line.get_outcome_display() if line.outcome else "",
            }
        )
    reference = (
        f"Tờ trình số {proposal.number}/{proposal.symbol} ngày {proposal.issued_on:%d/%m/%Y}"
        if proposal.number and proposal.issued_on
        else ""
    )
    decision = (
        f"Quyết định số {proposal.decision_number} ngày {proposal.decision_date:%d/%m/%Y} của "
        f"{proposal.decision_body}"
        if proposal.decision_number and proposal.decision_date
        else ""
    )
    data.review.append(
        {
            "template": "pdf/report_parts/proposal.html",
            "state": proposal.get_state_display(),
            "reference": reference,
            "decision": decision,
            "groups": list(groups.values()),
        }
    )
    data.tables.append(
        {
            "sheet": "Đề nghị khen thưởng",
            "title": f"Danh sách đề nghị khen thưởng năm {year}",
            "headers": ["Danh hiệu, hình thức", "Đơn vị", "Kết quả"],
            "rows": [
                [g["award"], line["unit"], line["outcome"]]
                for g in groups.values()
                for line in g["lines"]
            ],
            "widths": [50, 50, 24],
        }
    )


SECTIONS.append(awards_sections)
SECTIONS.append(proposal_sections)


def scoring_sections(data, *, bloc: Bloc, year: int) -> None:
    """The ranking with its chart (III), and the year-end score grid (an annex sheet)."""
    from scoring.chart import Bar, ranking_bars
    from scoring.models import ReportingPeriod
    from scoring.selectors import ranking_latest, score_grid

    run = ranking_latest(bloc=bloc, year=year)
    if run is not None:
        rows = [
            {
                "rank": e.rank,
                "unit": e.unit_name,
                "total": _number(e.total),
                "note": "đồng hạng" if e.shared else ("chưa xét khen thưởng" if e.vetoed else ""),
            }
            for e in run.entries
        ]
        chart = ranking_bars(
            [
                Bar(
                    e.unit_name,
                    e.total,
                    note="đồng hạng" if e.shared else "",
                    highlight=e.rank == 1,
                )
                for e in run.entries
            ],
            width=560,
            label_width=230,
            font_family="thiduea Serif",
        )
        data.review.insert(
            0,
            {
                "template": "pdf/report_parts/ranking.html",
                "rows": rows,
                "chart": chart,
                "left_out": [f"{x.unit_name}: {x.why}" for x in (*run.removed, *run.not_ranked)],
                "version": run.criteria_table_version,
                "sha256": run.run.sha256,
            },
        )
    period = (
        ReportingPeriod.objects.filter(bloc=bloc, year=year, kind=ReportingPeriod.Kind.YEAR_END)
        .order_by("-pk")
        .first()
    )
    if period is not None:
        grid = score_grid(bloc=bloc, year=year, period=period)
        data.tables.append(
            {
                "sheet": "Bảng điểm",
                "title": f"Bảng điểm tổng kết năm {year} (tự chấm / thẩm định)",
                "headers": ["Đơn vị"]
                + [
                    f"{leaf.path} (tối đa {_number(leaf.criterion.max_points)})"
                    for leaf in grid.leaves
                ]
                + ["Tổng tự chấm", "Tổng thẩm định"],
                "rows": [
                    [row.unit.name]
                    + [
                        f"{_number(c.self_points) if c.self_points is not None else ''} / "
                        f"{_number(c.verified) if c.verified is not None else ''}"
                        for c in row.cells
                    ]
                    + [_number(row.self_total), _number(row.verified_total)]
                    for row in grid.rows
                ],
                "widths": [40] + [12] * len(grid.leaves) + [14, 14],
            }
        )


SECTIONS.insert(1, scoring_sections)
