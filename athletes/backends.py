"""Signing in by email and password, as Django's ``ModelBackend`` does, with the user of
each request loaded together with their athlete profile: every page asks ``is_athlete``
(the menus, the role checks), and this answers it without a query of its own. The user
comes from the cache while they are unchanged (athletes/caching.py)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser

from athletes.caching import user_with_profile


class UserBackend(ModelBackend):
    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        user = user_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
