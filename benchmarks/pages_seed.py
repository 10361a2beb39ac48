"""What the five-page benchmark needs on top of scoring_seed.py: a stored ranking and an award
proposal for the grid blocs (LUOI12, LUOI06) in 2025.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring \
        .venv/bin/python benchmarks/pages_seed.py

Run scoring_seed.py first (make bench does). Through the app's own services, as the secretariat:

- ``scoring.services.ranking_compute`` for each grid bloc (the year-end period's verified scores;
  ``today`` fixed, so the run's SHA-256 is the same on every database seeded alike);
- ``awards.services.proposal_build`` for each grid bloc, from that ranking (no ballot): the
  leader proposed for the provincial flag, the others for the Chủ tịch's Bằng khen, so LUOI06's
  proposal has about 6 lines and LUOI12's about 12.

Idempotent: a bloc that already has its ranking run (or its proposal) gets no second one.
ranking.py deletes only the runs it makes, so these stay. Prints what it found or made.
"""

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf
import scoring_seed

YEAR = scoring_seed.YEAR
TODAY = dt.date(2026, 1, 15)  # after the year-end period closed


def seed():
    from django.db import transaction

    from awards import services as award_services
    from awards.models import Proposal
    from blocs.models import Bloc
    from core.models import User
    from scoring import services as scoring_services
    from scoring.models import RankingRun

    actor = User.objects.get(username=benchconf.SECRETARIAT_USERNAME)
    made = []
    for code in scoring_seed.GRID_BLOC_CODES:
        bloc = Bloc.objects.get(code=code)
        run = RankingRun.objects.filter(bloc=bloc, year=YEAR).order_by("pk").first()
        if run is None:
            with transaction.atomic():
                run = scoring_services.ranking_compute(
                    actor=actor, bloc=bloc, year=YEAR, today=TODAY
                )
            made.append(f"{code}: ranking run {run.pk} ({run.sha256[:12]})")
        proposal = Proposal.objects.filter(bloc=bloc, year=YEAR).first()
        if proposal is None:
            proposal, left_out = award_services.proposal_build(actor=actor, bloc=bloc, year=YEAR)
            made.append(
                f"{code}: proposal {proposal.pk}, {proposal.lines.count()} lines"
                + (f" ({len(left_out)} left out: {left_out[:2]})" if left_out else "")
            )
        else:
            made.append(f"{code}: proposal {proposal.pk} already there")
    return made


def main():
    os.environ.setdefault("DATABASE_URL", scoring_seed.DEFAULT_DATABASE_URL)
    benchconf.setup_django()
    if scoring_seed.stored_marker() != scoring_seed.marker() or scoring_seed.check_counts():
        sys.exit("The scoring data set is not seeded for this code: run scoring_seed.py first.")
    for line in seed():
        print(line)


if __name__ == "__main__":
    main()
