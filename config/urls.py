from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views
from library import views as library_views

handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Uploaded demonstrations, each checked against the exercise it belongs to.
    path(settings.MEDIA_URL.lstrip("/") + "<path:name>", library_views.demo_file, name="media"),
    path("library/", include("library.urls")),
    path("", include("programs.urls")),
    path("", include("athletes.urls")),
]
