"""Each signed-in request's user, with their athlete profile, read from the shared cache
instead of the database (issue #17): every page and every set logged asks for it, and it
rarely changes.

Kept under a version per user (config/pagecache.py) that any save or delete of the user or
of their athlete profile moves on, now and at the commit; nothing writes those rows in
bulk. An athlete's copy also holds who coaches them now (``active_coach_ids``, read by set
logging), so a coaching link's save moves it too. Django checks each session against the
password hash of the user it is given, so a changed password, or a deactivated account,
signs other sessions out at their next request as before. The copy carries the
password's hash, as the database row does: the cache is as private as the database and
the sessions, which it also holds.

The key holds the fields of both models, so a copy pickled by an older schema is not read
after a deploy that changes them."""

import functools
import hashlib

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from config import pagecache

KIND = "user"


@functools.cache
def _schema() -> str:
    from athletes.models import AthleteProfile

    names = [
        f"{model._meta.label}.{field.attname}"
        for model in (get_user_model(), AthleteProfile)
        for field in model._meta.concrete_fields
    ]
    return hashlib.sha256(",".join(names).encode()).hexdigest()[:8]


def user_with_profile(user_id: int):
    """The user with their athlete profile loaded (or None if there is no such user),
    from the cache when it holds their current version."""
    model = get_user_model()

    def load():
        try:
            user = model._default_manager.select_related("athlete_profile").get(pk=user_id)
        except model.DoesNotExist:
            return None
        if user.is_athlete:
            user.athlete_profile.active_coach_ids  # noqa: B018 (read now, kept with the copy)
        return user

    return pagecache.versioned(KIND, f"{_schema()}:{user_id}", load)


def user_changed(user_ids) -> None:
    pagecache.changed(KIND, [f"{_schema()}:{pk}" for pk in user_ids])


def _user_saved(sender, instance, **kwargs) -> None:
    user_changed([instance.pk])


def _profile_saved(sender, instance, **kwargs) -> None:
    user_changed([instance.user_id])


def _link_saved(sender, instance, **kwargs) -> None:
    """A coaching link started or ended: the athlete's coaches (``active_coach_ids``)
    changed. A link deleted has no receiver (it would make every cascade load the links
    it deletes): links go with an account, or by hand in the admin, and a coach's id left
    in a copy only moves that coach's roster version for nothing until the copy's next
    change."""
    from athletes.models import AthleteProfile

    user_changed(
        AthleteProfile.objects.filter(pk=instance.athlete_id).values_list("user_id", flat=True)
    )


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    from athletes.models import AthleteProfile, CoachingLink

    post_save.connect(_link_saved, sender=CoachingLink, dispatch_uid="usercache-link")
    for signal in (post_save, post_delete):
        signal.connect(_user_saved, sender=get_user_model(), dispatch_uid="usercache-user")
        signal.connect(_profile_saved, sender=AthleteProfile, dispatch_uid="usercache-profile")
