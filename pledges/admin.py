from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pledges.models import Movement, Pledge, Reminder, Signature, Target, YearDocument


@admin.register(YearDocument)
class YearDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("bloc", "year", "kind", "revision", "state", "reference", "issued_on")
    list_filter = ("kind", "state", "year")
    list_select_related = ("bloc",)
    search_fields = ("reference", "title")
    readonly_fields = ("scan_sha256",)


@admin.register(Movement)
class MovementAdmin(SimpleHistoryAdmin):
    list_display = ("name", "bloc", "year", "kind", "launched_by")
    list_filter = ("kind", "launched_by", "year")
    list_select_related = ("bloc",)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ("position", "text", "unit", "kind", "comparison", "value", "measure")


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    # Changes go through the pages (services keep the workflow); the admin is for reading.
    list_display = ("bloc", "year", "revision", "state", "in_force_on")
    list_filter = ("state", "year")
    list_select_related = ("bloc",)
    inlines = [TargetInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    list_display = ("pledge", "unit", "signer_name", "signed_on", "method", "voided_at")
    list_select_related = ("pledge", "unit")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("pledge", "day", "requested_by", "sent_at")
    list_select_related = ("pledge", "requested_by")
