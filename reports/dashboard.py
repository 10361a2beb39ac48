"""The secretariat's view of a bloc-year: every step of the year, where it stands, who is late.

Each step reads its app through that app's selectors (reports reads every app, none reads
reports). A step says what is done, what is waiting and until when; ``late`` lists the units
holding it up. A fixed number of queries whatever the number of members.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import Bloc


@dataclass
class Step:
    key: str
    title: str
    state: str  # "done", "doing", "todo", "late"
    detail: str = ""
    url: str = ""
    due: dt.date | None = None
    late: list[str] = field(default_factory=list)

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def days_left(self) -> int | None:
        return None if self.due is None else (self.due - timezone.localdate()).days


STATE_LABELS = {
    "done": gettext_lazy("Xong"),
    "doing": gettext_lazy("Đang làm"),
    "todo": gettext_lazy("Chưa bắt đầu"),
    "late": gettext_lazy("Chậm"),
}


def _organisation(bloc: Bloc, year: int, members, today) -> list[Step]:
    from blocs.models import ChairTerm

    terms = {
        t.year: t for t in ChairTerm.objects.filter(bloc=bloc, year__in=[year, year + 1]).order_by()
    }
    this, next_ = terms.get(year), terms.get(year + 1)
    url = reverse("blocs:bloc_detail", args=[bloc.pk, year])
    return [
        Step(
            "members",
            _("Thành viên, Khối trưởng, Khối phó"),
            "done" if members and this and this.vice_chair_id else "doing" if members else "todo",
            _("{n} đơn vị; {c}").format(
                n=len(members),
                c=_("đã bầu {word}").format(word=bloc.chair_word)
                if this
                else _("chưa bầu {word}").format(word=bloc.chair_word),
            ),
            url,
        ),
        Step(
            "next_chair",
            _("Bầu {word} năm {y}").format(word=bloc.chair_word, y=year + 1),
            "done" if next_ else "todo",
            str(next_.chair) if next_ else "",
            url,
        ),
    ]


def _pledge(bloc: Bloc, year: int, members, today) -> list[Step]:
    from pledges import selectors as pledges
    from pledges.models import Pledge, Signature

    documents = pledges.year_documents_in_force(bloc=bloc, year=year)
    steps = [
        Step(
            "plan",
            _("Kế hoạch, Quy chế của năm"),
            "done" if len(documents) >= 2 else "doing" if documents else "todo",
            ", ".join(f"{d.get_kind_display()} {d.reference}" for d in documents.values()),
            reverse("pledges:plan_page", args=[bloc.pk, year]),
        )
    ]
    pledge = pledges.current_pledge(pledges.pledges_of_year(bloc=bloc, year=year))
    url = reverse("pledges:pledge_year", args=[bloc.pk, year])
    if pledge is None:
        steps.append(Step("pledge", _("Ký kết giao ước thi đua"), "todo", "", url))
        return steps
    signed = set(
        Signature.objects.filter(pledge=pledge, voided_at__isnull=True)
        .order_by()
        .values_list("unit_id", flat=True)
    )
    missing = [name for pk, name in members if pk not in signed]
    if pledge.state == Pledge.State.IN_FORCE:
        state = "done"
    elif pledge.signing_on and today > pledge.signing_on and missing:
        state = "late"
    else:
        state = "doing"
    steps.append(
        Step(
            "pledge",
            _("Ký kết giao ước thi đua"),
            state,
            _("{s}/{n} đơn vị đã ký").format(s=len(members) - len(missing), n=len(members)),
            url,
            due=pledge.signing_on if state != "done" else None,
            late=missing if state != "done" else [],
        )
    )
    return steps


def _awards(bloc: Bloc, year: int, members, today) -> list[Step]:
    from awards.models import Ballot, VoterRollEntry

    ballots = list(Ballot.objects.filter(bloc=bloc, year=year).order_by("-held_on", "-pk"))
    url = reverse("awards:bloc_year", args=[bloc.pk, year])
    if not ballots:
        return [Step("ballot", _("Bình xét, bỏ phiếu kín"), "todo", "", url)]
    ballot = ballots[0]
    voted = set(
        VoterRollEntry.objects.filter(ballot=ballot).order_by().values_list("unit_id", flat=True)
    )
    missing = [name for pk, name in members if pk not in voted]
    if ballot.state == Ballot.State.CLOSED:
        state, late = "done", []
    else:
        due = timezone.localtime(ballot.closes_at).date() if ballot.closes_at else None
        state = "late" if due and today > due and missing else "doing"
        late = missing if ballot.state == Ballot.State.OPEN else []
    return [
        Step(
            "ballot",
            _("Bình xét, bỏ phiếu kín"),
            state if ballot.state != Ballot.State.DRAFT else "doing",
            f"{ballot.title}: {ballot.get_state_display()}",
            reverse("awards:ballot_detail", args=[ballot.pk]),
            due=timezone.localtime(ballot.closes_at).date()
            if ballot.closes_at and state != "done"
            else None,
            late=late,
        )
    ]


def _scoring(bloc: Bloc, year: int, members, today) -> list[Step]:
    from scoring.models import RankingRun, ReportingPeriod, UnitReport

    period = (
        ReportingPeriod.objects.filter(bloc=bloc, year=year, kind=ReportingPeriod.Kind.YEAR_END)
        .order_by("-pk")
        .first()
    )
    url = reverse("scoring:bloc_year", args=[bloc.pk, year])
    ranking_url = reverse("scoring:ranking", args=[bloc.pk, year])
    if period is None:
        return [
            Step("reports", _("Báo cáo, tự chấm điểm của các đơn vị"), "todo", "", url),
            Step("verification", _("Thẩm định điểm"), "todo", "", url),
            Step("ranking", _("Xếp hạng"), "todo", "", ranking_url),
        ]
    url = reverse("scoring:period_detail", args=[period.pk])
    states = dict(
        UnitReport.objects.filter(period=period).order_by().values_list("unit_id", "state")
    )
    sent = {
        pk
        for pk, state in states.items()
        if state in (UnitReport.State.SUBMITTED, UnitReport.State.ACCEPTED)
    }
    accepted = {pk for pk, state in states.items() if state == UnitReport.State.ACCEPTED}
    missing = [name for pk, name in members if pk not in sent]
    late = bool(missing) and today > period.deadline
    ran = RankingRun.objects.filter(bloc=bloc, year=year).exists()
    n = len(members)
    return [
        Step(
            "reports",
            _("Báo cáo, tự chấm điểm của các đơn vị"),
            "done" if not missing else "late" if late else "doing",
            _("{s}/{n} đơn vị đã gửi").format(s=n - len(missing), n=n),
            url,
            due=period.deadline if missing else None,
            late=missing,
        ),
        Step(
            "verification",
            _("Thẩm định điểm"),
            "done" if n and len(accepted) == n else "doing" if accepted else "todo",
            _("{a}/{n} báo cáo đã chấp nhận").format(a=len(accepted), n=n),
            reverse("scoring:score_grid", args=[period.pk]),
        ),
        Step("ranking", _("Xếp hạng"), "done" if ran else "todo", "", ranking_url),
    ]


def _proposal(bloc: Bloc, year: int, members, today) -> list[Step]:
    from awards.models import Proposal

    proposal = Proposal.objects.filter(bloc=bloc, year=year).order_by("pk").first()
    url = reverse("awards:proposal_page", args=[bloc.pk, year])
    if proposal is None:
        return [
            Step("proposal", _("Đề nghị khen thưởng"), "todo", "", url),
            Step("decision", _("Quyết định khen thưởng"), "todo", "", url),
        ]
    issued = proposal.state in (Proposal.State.ISSUED, Proposal.State.SENT, Proposal.State.DECIDED)
    return [
        Step(
            "proposal",
            _("Đề nghị khen thưởng"),
            "done" if issued else "doing",
            proposal.get_state_display(),
            url,
        ),
        Step(
            "decision",
            _("Quyết định khen thưởng"),
            "done" if proposal.state == Proposal.State.DECIDED else "todo",
            proposal.decision_number,
            url,
        ),
    ]


def _report(bloc: Bloc, year: int, members, today) -> list[Step]:
    from reports.models import YearEndReport

    latest = YearEndReport.objects.filter(bloc=bloc, year=year).order_by("-version").first()
    return [
        Step(
            "report",
            _("Báo cáo tổng kết"),
            "done" if latest else "todo",
            _("Lần {v}, {t}").format(
                v=latest.version, t=timezone.localtime(latest.created_at).strftime("%H:%M %d/%m/%Y")
            )
            if latest
            else "",
            reverse("reports:report_list", args=[bloc.pk, year]),
        )
    ]


# The steps of the year, in the order of the annual cycle (DOMAIN.md §2).
PROVIDERS = [_organisation, _pledge, _scoring, _awards, _proposal, _report]


def bloc_year_steps(*, bloc: Bloc, year: int, today: dt.date | None = None) -> list[Step]:
    from awards.selectors import bloc_members

    today = today or timezone.localdate()
    members = [(unit.pk, name) for unit, name in bloc_members(bloc=bloc, year=year)]
    steps = []
    for provider in PROVIDERS:
        steps.extend(provider(bloc, year, members, today))
    order = [
        "members",
        "plan",
        "pledge",
        "reports",
        "verification",
        "ranking",
        "ballot",
        "proposal",
        "decision",
        "report",
        "next_chair",
    ]
    return sorted(steps, key=lambda s: order.index(s.key) if s.key in order else len(order))
