"""Signing in by email and password, as Django's ``ModelBackend`` does, with the user of
each request loaded together with their athlete profile: every page asks ``is_athlete``
(the menus, the role checks), and this answers it without a query of its own."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser


class UserBackend(ModelBackend):
    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("athlete_profile").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
