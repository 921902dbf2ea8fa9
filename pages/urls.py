"""The home hub, cluster pages and stand-alone guides."""

from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("roles/<slug:role>/<slug:slug>/", views.PageDetailView.as_view(), name="page"),
    path("guides/<slug:slug>/", views.PageDetailView.as_view(), name="guide"),
]
