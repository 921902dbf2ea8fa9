from django.urls import path

from . import views

app_name = "comparisons"
urlpatterns = [
    path("roles/<slug:slug>/", views.RoleDetailView.as_view(), name="role"),
    path("compare/<slug:slug>/", views.ComparisonDetailView.as_view(), name="comparison"),
]
