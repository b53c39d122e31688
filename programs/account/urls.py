from django.urls import path

from programs.account import views as account_data

app_name = "account_data"

urlpatterns = [
    path("data.zip", account_data.download, name="download"),
    path("delete/", account_data.delete, name="delete"),
]
