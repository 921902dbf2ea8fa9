"""The IndexNow key file's address."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("<slug:key>.txt", views.indexnow_key, name="indexnow-key"),
]
