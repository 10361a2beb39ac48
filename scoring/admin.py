from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scoring.models import (
    BlocYearScoring,
    CriteriaTable,
    Criterion,
    Evidence,
    RankingRun,
    ReportingPeriod,
    SelfScore,
    UnitReport,
    VerifiedScore,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ("parent", "code", "title", "position", "max_points", "kind", "evidence_required")


@admin.register(CriteriaTable)
class CriteriaTableAdmin(SimpleHistoryAdmin):
    list_display = ("title", "bloc", "year", "version", "state", "base_points", "capped")
    list_filter = ("state", "year")
    list_select_related = ("bloc",)
    search_fields = ("title", "bloc__name")
    inlines = [CriterionInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "year", "kind", "opens_on", "deadline", "state", "criteria_table")
    list_filter = ("kind", "state", "year")
    list_select_related = ("bloc", "criteria_table")


@admin.register(UnitReport)
class UnitReportAdmin(SimpleHistoryAdmin):
    list_display = ("unit", "period", "state", "submitted_at")
    list_filter = ("state",)
    list_select_related = ("unit", "period__bloc")
    search_fields = ("unit__full_name",)


@admin.register(SelfScore)
class SelfScoreAdmin(SimpleHistoryAdmin):
    # The same columns as the score grid's self side, so the benchmark compares like with like.
    list_display = ("report", "criterion", "points", "updated_by", "updated_at")
    list_select_related = ("report__unit", "report__period__bloc", "criterion", "updated_by")
    list_per_page = 100


@admin.register(VerifiedScore)
class VerifiedScoreAdmin(SimpleHistoryAdmin):
    list_display = ("report", "criterion", "points", "scorer_unit", "scored_by", "scored_at")
    list_select_related = (
        "report__unit",
        "report__period__bloc",
        "criterion",
        "scorer_unit",
        "scored_by",
    )
    list_per_page = 100


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("original_name", "report", "content_type", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("report__unit", "report__period__bloc", "uploaded_by")
    readonly_fields = ("sha256", "size", "content_type")


@admin.register(BlocYearScoring)
class BlocYearScoringAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "year", "cross_scoring", "vetoed_units", "tie_break")
    list_select_related = ("bloc",)


@admin.register(RankingRun)
class RankingRunAdmin(admin.ModelAdmin):
    list_display = ("bloc", "year", "criteria_table", "sha256", "created_by", "created_at")
    list_select_related = ("bloc", "criteria_table", "created_by")
    readonly_fields = [f.name for f in RankingRun._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False  # a run is kept as computed
