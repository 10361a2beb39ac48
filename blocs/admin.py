from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from blocs.models import Authority, Bloc, ChairTerm, Conference, Membership, Role, Unit, UnitName


@admin.register(Authority)
class AuthorityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "tdkt_office_name", "allows_multiple_blocs")
    search_fields = ("name", "code")


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    # The same columns and page size as the bloc list, so the benchmark compares like with like.
    list_display = ("code", "name", "kind", "authority")
    list_filter = ("kind", "authority")
    list_select_related = ("authority",)
    search_fields = ("name", "code", "search_key")
    list_per_page = 25


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "short_name", "authority", "merged_into")
    list_select_related = ("authority", "merged_into")
    search_fields = ("full_name", "short_name", "search_key")
    list_filter = ("authority",)
    inlines = [UnitNameInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "unit", "year", "position")
    list_select_related = ("bloc", "unit")
    list_filter = ("year",)
    raw_id_fields = ("bloc", "unit")


@admin.register(ChairTerm)
class ChairTermAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "year", "chair", "vice_chair", "elected_on", "handover_on")
    list_select_related = ("bloc", "chair", "vice_chair")
    raw_id_fields = ("bloc", "chair", "vice_chair", "handover_from", "handover_to")


@admin.register(Conference)
class ConferenceAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "year", "kind", "held_on", "place")
    list_select_related = ("bloc",)


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "kind", "authority", "bloc", "unit", "year", "title")
    list_select_related = ("user", "authority", "bloc", "unit")
    list_filter = ("kind",)
    raw_id_fields = ("user", "bloc", "unit")
