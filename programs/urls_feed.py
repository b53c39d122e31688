from django.urls import path

from programs.views import feed

app_name = "feed"
urlpatterns = [
    path("feed/<str:token>.ics", feed.feed, name="ics"),
    path("calendar/feed/", feed.feed_settings, name="settings"),
    path("calendar/feed/new/", feed.feed_rotate, name="rotate"),
]
