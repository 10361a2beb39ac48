from django.contrib import admin

from awards.models import ProposalLine


@admin.register(ProposalLine)
class ProposalLineAdmin(admin.ModelAdmin):
    """View only: a proposal changes through its services (state, chair approval, frozen dossier).

    The same columns as the proposal page's table, so the benchmark compares like with like.
    Nothing of the ballot is registered: its box must stay unlinkable to voters.
    """

    list_display = ("proposal", "order", "unit", "award_type", "rank", "total", "votes", "outcome")
    list_select_related = ("proposal__bloc", "unit", "award_type")
    list_filter = ("outcome",)
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
