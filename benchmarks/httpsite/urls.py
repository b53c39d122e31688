from django.urls import include, path

from benchmarks.httpsite import views
from config.urls import handler500  # noqa: F401 (Django reads it from the root URLconf)

urlpatterns = [
    path("bench/hello/", views.hello, name="bench_hello"),
    path("", include("config.urls")),
]
