"""Time the ranking of a bloc and of the province (issue 4 targets), and check its hash is stable.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thiduea_bench_scoring \
        .venv/bin/python benchmarks/ranking.py [--repeats 200] [--service-repeats 100] [--quiet-wait 30]

On the data of scoring_seed.py (run it first), year 2025:

1. **Pure ranking** (scoring.ranking, no database): ``rank_bloc`` (totals from the 60 leaf scores
   of each unit, the order with the tie-break chain, the canonical JSON record and its SHA-256)
   and ``rank_units`` alone (the order from ready totals), for a 10-unit bloc and the 12-unit
   bloc; then the whole province: the 40 province blocs (400 units) ranked one after the other,
   and, as a stress case, the 400 units ranked as one list. The inputs are exactly what the
   service gives the function: the ``inputs`` document of a stored run, turned back into
   ``UnitScores`` as ``ranking.rerank`` does (outside the timing).
2. **The service** ``scoring.services.ranking_compute`` (its database reads, the ranking, the
   RankingRun stored; one transaction each, committed as a page would): per bloc (10 and 12
   units) and for the province (the 40 blocs in turn); the queries per call, counted at 6, 10 and
   12 units.
3. **Hash stability**: every recomputation of a bloc gives the same SHA-256, and recomputing a
   stored run from its stored documents (``ranking.rerank``) gives it again.

Median and p95 (nearest rank) over the repetitions, after a warm-up and after waiting (up to
``--quiet-wait`` s) for an idle machine, as the page benchmarks do. Targets: ≤ 20 ms per bloc,
≤ 1 s for the province. The runs made are deleted at the end. Writes benchmarks/.out/ranking.json
and prints the table for RESULTS.md.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchconf
import scoring_seed
from run import TRANSACTION_CONTROL, machine_facts, percentile, wait_for_quiet

YEAR = scoring_seed.YEAR
TODAY = dt.date(YEAR, 12, 12)
BLOC_TARGET_MS = 20
PROVINCE_TARGET_MS = 1000


def timed(fn, repeats, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "repeats": repeats,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(percentile(times, 95), 3),
        "max_ms": round(max(times), 3),
    }


def unit_scores(inputs):
    """The UnitScores a stored run's inputs describe (as ranking.rerank rebuilds them)."""
    from scoring import ranking

    return [
        ranking.UnitScores(
            unit_id=unit["unit_id"],
            name=unit["name"],
            leaves=tuple(
                ranking.LeafScore(
                    leaf["code"], leaf["group"], leaf["kind"], Decimal(leaf["points"])
                )
                for leaf in unit["leaves"]
            ),
            women_share=None if unit["women_share"] is None else Decimal(unit["women_share"]),
            veto_reasons=tuple(unit["veto_reasons"]),
        )
        for unit in inputs["units"]
    ]


def pure_call(run):
    """rank_bloc on a stored run's inputs and rules: a call as the service makes it."""
    from scoring import ranking

    units = unit_scores(run.inputs)
    rules = run.rules
    base_points = rules.get("base_points")
    kwargs = {
        "tie_break": rules["tie_break"],
        "vetoed_mode": rules["vetoed_mode"],
        "capped": rules["capped"],
        "base_points": None if base_points is None else Decimal(base_points),
        "not_ranked": [(u["unit_id"], u["name"], u["why"]) for u in run.inputs["not_ranked"]],
        "about": run.inputs["about"],
    }
    return lambda: ranking.rank_bloc(units, **kwargs), units, kwargs


def unit_inputs(units, kwargs):
    """The UnitInput list rank_units gets from rank_bloc (totals computed, outside the timing)."""
    from scoring import ranking

    out = []
    for unit in units:
        totals = ranking.unit_totals(
            unit.leaves, capped=kwargs["capped"], base_points=kwargs["base_points"]
        )
        out.append(
            ranking.UnitInput(
                unit_id=unit.unit_id,
                name=unit.name,
                total=totals.total,
                groups=totals.groups,
                deductions=totals.deductions,
                women_share=unit.women_share,
                veto_reasons=unit.veto_reasons,
            )
        )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200, help="pure ranking, per bloc (200)")
    parser.add_argument(
        "--province-repeats", type=int, default=30, help="pure ranking, province passes (30)"
    )
    parser.add_argument(
        "--service-repeats", type=int, default=100, help="ranking_compute, per bloc (100)"
    )
    parser.add_argument(
        "--quiet-wait", type=int, default=30, help="wait for an idle machine first (30 s)"
    )
    parser.add_argument(
        "--service-province-repeats",
        type=int,
        default=5,
        help="ranking_compute, province passes of 40 blocs (5)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", scoring_seed.DEFAULT_DATABASE_URL)
    benchconf.setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from blocs.models import Bloc, Membership
    from core.models import User
    from scoring import ranking, services
    from scoring.models import RankingRun

    if scoring_seed.stored_marker() != scoring_seed.marker() or scoring_seed.check_counts():
        sys.exit("The scoring data set is not seeded for this code: run scoring_seed.py first.")
    # The steps before this one (seeding, the page loads) leave PostgreSQL writing and vacuuming
    # for a while; a p95 of a few milliseconds is measured on an idle machine, as the pages are.
    busy_before = wait_for_quiet(args.quiet_wait)
    facts = machine_facts([])
    facts["busy_before"] = busy_before
    actor = User.objects.get(username=benchconf.SECRETARIAT_USERNAME)
    first_new_run = (RankingRun.objects.order_by("-pk").values_list("pk", flat=True).first()) or 0
    province = list(Bloc.objects.exclude(code__in=scoring_seed.GRID_BLOC_CODES).order_by("pk"))
    grid12 = Bloc.objects.get(code="LUOI12")
    grid06 = Bloc.objects.get(code="LUOI06")
    bloc10 = province[0]
    sizes = {
        b.pk: Membership.objects.filter(bloc=b, year=YEAR).count() for b in (bloc10, grid12, grid06)
    }
    assert len(province) == 40 and sizes == {bloc10.pk: 10, grid12.pk: 12, grid06.pk: 6}, sizes

    def compute(bloc):
        return services.ranking_compute(actor=actor, bloc=bloc, year=YEAR, today=TODAY)

    results = {"facts": facts, "args": vars(args)}
    try:
        # One run per bloc: the inputs of the pure timings, and the reference hashes.
        reference = {bloc.pk: compute(bloc) for bloc in [*province, grid12, grid06]}

        # 1. Pure ranking.
        pure = {}
        for label, bloc in (("10 units", bloc10), ("12 units", grid12)):
            call, units, kwargs = pure_call(reference[bloc.pk])
            assert call().sha256 == reference[bloc.pk].sha256
            pure[f"rank_bloc, one bloc of {label}"] = timed(call, args.repeats)
            inputs = unit_inputs(units, kwargs)
            rules, mode = kwargs["tie_break"], kwargs["vetoed_mode"]
            pure[f"rank_units only, {label}"] = timed(
                lambda inputs=inputs, rules=rules, mode=mode: ranking.rank_units(
                    inputs, rules, mode
                ),
                args.repeats * 5,
            )
        calls = [pure_call(reference[b.pk])[0] for b in province]

        def province_pass():
            for call in calls:
                call()

        pure["rank_bloc, province: 40 blocs (400 units) in turn"] = timed(
            province_pass, args.province_repeats, warmup=1
        )
        # Stress: the 400 units as one ranking (unit ids are distinct across blocs).
        everyone = [u for b in province for u in unit_scores(reference[b.pk].inputs)]
        _call, _units, kwargs = pure_call(reference[bloc10.pk])
        kwargs = dict(kwargs, not_ranked=[], about={"stress": "400 units as one list"})
        pure["rank_bloc, the 400 units as one list (stress)"] = timed(
            lambda: ranking.rank_bloc(everyone, **kwargs), args.province_repeats, warmup=1
        )
        results["pure"] = pure

        # 2. The service.
        service = {}
        queries = {}
        for label, bloc in (("6 units", grid06), ("10 units", bloc10), ("12 units", grid12)):
            with CaptureQueriesContext(connection) as ctx:
                compute(bloc)
            queries[label] = {
                # BEGIN and COMMIT are logged too; they are not queries.
                "queries": sum(
                    1 for q in ctx.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])
                ),
                "sql": [q["sql"][:300] for q in ctx.captured_queries],
            }
        for label, bloc in (("10 units", bloc10), ("12 units", grid12)):
            service[f"ranking_compute, one bloc of {label}"] = timed(
                lambda bloc=bloc: compute(bloc), args.service_repeats
            )

        def service_pass():
            for bloc in province:
                compute(bloc)

        service["ranking_compute, province: 40 blocs in turn"] = timed(
            service_pass, args.service_province_repeats, warmup=1
        )
        results["service"] = service
        results["service_queries"] = queries

        # 3. Hash stability over every run made above, and from the stored documents.
        runs = RankingRun.objects.filter(pk__gt=first_new_run)
        by_bloc = {}
        for bloc_id, sha in runs.values_list("bloc_id", "sha256"):
            by_bloc.setdefault(bloc_id, set()).add(sha)
        unstable = {b: sorted(s) for b, s in by_bloc.items() if len(s) != 1}
        stored = list(runs.filter(pk__in=[r.pk for r in reference.values()]))
        rerank_differs = [
            r.pk for r in stored if ranking.rerank(r.inputs, r.rules).sha256 != r.sha256
        ]
        results["hash"] = {
            "runs": runs.count(),
            "blocs": len(by_bloc),
            "unstable_blocs": unstable,
            "rerank_differs": rerank_differs,
            "example": {grid12.code: reference[grid12.pk].sha256},
        }
    finally:
        RankingRun.objects.filter(pk__gt=first_new_run).delete()
    results["facts"]["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]

    benchconf.OUT_DIR.mkdir(exist_ok=True)
    (benchconf.OUT_DIR / "ranking.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    print(report(results))
    print(f"Written: {benchconf.OUT_DIR / 'ranking.json'}")


def report(results):
    f = results["facts"]
    lines = [
        f"Run {f['date']}: {f['nproc']} CPUs ({f['cpu_model']}), Python {f['python']}, Django "
        f"{f['django']}, {f['postgresql']}; code {f['revision']}; load average before / after "
        f"{' '.join(f['loadavg_before'])} / {' '.join(f['loadavg_after'])}; cores busy when it "
        f"started: {f.get('busy_before', '?')}.",
        "",
        "| Measure | Repeats | Median | p95 | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    for part in ("pure", "service"):
        for name, t in results[part].items():
            target = ""
            if "province: 40" in name:
                target = f"≤ {PROVINCE_TARGET_MS} ms"
                ok = t["p95_ms"] <= PROVINCE_TARGET_MS
            elif "one bloc" in name and "rank_units" not in name:
                target = f"≤ {BLOC_TARGET_MS} ms"
                ok = t["p95_ms"] <= BLOC_TARGET_MS
            met = ("yes" if ok else "**no**") if target else ""
            lines.append(
                f"| {name} | {t['repeats']} | {t['median_ms']:.2f} ms | {t['p95_ms']:.2f} ms | "
                f"{target} | {met} |"
            )
    q = results["service_queries"]
    lines += [
        "",
        "Queries per ranking_compute (BEGIN and COMMIT not counted): "
        + ", ".join(f"{label}: {v['queries']}" for label, v in q.items())
        + ("" if len({v["queries"] for v in q.values()}) == 1 else " (**not constant**)")
        + ".",
    ]
    h = results["hash"]
    stable = not h["unstable_blocs"] and not h["rerank_differs"]
    lines.append(
        f"Hash: {h['runs']} runs over {h['blocs']} blocs, "
        + ("one SHA-256 per bloc" if not h["unstable_blocs"] else f"UNSTABLE {h['unstable_blocs']}")
        + "; recomputed from the stored documents (rerank): "
        + ("the same" if not h["rerank_differs"] else f"DIFFERENT for runs {h['rerank_differs']}")
        + f". Stable: {'yes' if stable else '**no**'}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
