from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from athletes.models import AthleteProfile, CoachingLink, Invitation, User


class UserChangeFormByEmail(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreationFormByEmail(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeFormByEmail
    add_form = UserCreationFormByEmail
    ordering = ("email",)
    list_display = ("email", "name", "is_coach", "is_staff", "is_active", "date_joined")
    list_filter = ("is_coach", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "time_zone", "weight_unit", "distance_unit")}),
        (
            "Roles and permissions",
            {"fields": ("is_coach", "is_active", "is_staff", "is_superuser", "groups")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )


@admin.register(AthleteProfile)
class AthleteProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email", "user__name")
    list_select_related = ("user",)


@admin.register(CoachingLink)
class CoachingLinkAdmin(admin.ModelAdmin):
    list_display = ("coach", "athlete", "started_at", "ended_at")
    list_select_related = ("coach", "athlete__user")
    search_fields = ("coach__email", "athlete__user__email")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "coach", "created_at", "expires_at", "accepted_at", "revoked_at")
    list_select_related = ("coach",)
    search_fields = ("email", "coach__email")
    readonly_fields = ("token_hash", "emailed_at", "email_failed_at")
