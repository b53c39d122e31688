from django.contrib import admin
from django.urls import include, path

from config import views

handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("library/", include("library.urls")),
    path("", include("programs.urls")),
    path("", include("athletes.urls")),
]
