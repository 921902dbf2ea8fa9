"""The FAQ index and its numbered pages."""

from django.urls import path

from . import views

app_name = "faq"
urlpatterns = [
    path("", views.FAQIndexView.as_view(), name="index"),
    # Pages as addresses, not ?page=: a static export and any cache keep them apart.
    path("page/<page:number>/", views.FAQIndexView.as_view(), name="index-page"),
]
