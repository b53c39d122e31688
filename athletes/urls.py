from django.contrib.auth import views as auth_views
from django.urls import path

from athletes import views
from athletes.forms import QueuedPasswordResetForm

urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", views.account, name="account"),
    path("account/coach/", views.coach_role_add, name="coach_role_add"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("coach/invitations/", views.invitations, name="invitations"),
    path("coach/invitations/many/", views.invitations_many, name="invitations_many"),
    path(
        "coach/invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("coach/groups/", views.groups, name="groups"),
    path("coach/groups/<int:group_id>/", views.group_detail, name="group_detail"),
    path("coach/groups/<int:group_id>/delete/", views.group_delete, name="group_delete"),
    path(
        "coach/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("coach/athletes/<int:athlete_id>/end/", views.coaching_end, name="coaching_end"),
]
