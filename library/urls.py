from django.urls import path

from library import views

app_name = "library"
urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("picker/", views.exercise_picker, name="picker"),
    path("propose/", views.exercise_propose, name="propose"),
    path("<slug:slug>/", views.exercise_detail, name="detail"),
]
