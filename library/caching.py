"""The library's version for the cached pages (config/pagecache.py): every page that names
exercises (the library list, Today, the calendar, the feed, the builder) is keyed by it, so
a renamed exercise or a new demonstration shows everywhere at once.

Moved on by any save or delete of an exercise, a muscle or a piece of equipment, and by
the services that write exercises in bulk (import, merge, the admin's publish and retire),
which send no signals. An exercise's muscles and equipment are written in the transaction
of its save, and ``pagecache.changed`` moves the version on again at its commit."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from config import pagecache

KIND = "library"
ALL = 0


def library_version() -> str:
    return pagecache.version(KIND, ALL)


def library_changed(*args, **kwargs) -> None:
    pagecache.changed(KIND, [ALL])


def connect() -> None:
    from library.models import Equipment, Exercise, Muscle

    for model in (Exercise, Muscle, Equipment):
        for signal in (post_save, post_delete):
            signal.connect(library_changed, sender=model, dispatch_uid=f"pagecache-{model}")
    m2m_changed.connect(
        library_changed, sender=Exercise.equipment.through, dispatch_uid="pagecache-equipment"
    )
