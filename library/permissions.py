"""Access to the library: an exercise a person may not open (another coach's draft) looks
the same as one that does not exist (404)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from library.models import Exercise


def get_exercise_for_user(user: AbstractBaseUser, slug: str) -> Exercise:
    """An exercise ``user`` may open, with its muscles, equipment and variants, or 404."""
    return get_object_or_404(Exercise.objects.visible_to(user).with_details(), slug=slug)


def get_demo_for_user(user: AbstractBaseUser, name: str) -> Exercise:
    """The exercise whose uploaded demonstration is stored as ``name``, if ``user`` may
    open that exercise, or 404."""
    if not name:
        raise Http404
    return get_object_or_404(Exercise.objects.visible_to(user), demo_file=name)
