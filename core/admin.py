from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("thiduea", {"fields": ("full_name", "job_title", "phone")}),
    )
    list_display = ("username", "full_name", "job_title", "is_active", "last_login")
    search_fields = ("username", "full_name", "email")
