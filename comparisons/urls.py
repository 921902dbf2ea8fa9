"""Role pages, the roles index, the comparisons index and comparison pages."""

from django.urls import path

from . import views

app_name = "comparisons"
urlpatterns = [
    path("roles/", views.RoleIndexView.as_view(), name="roles"),
    # Before the role and cluster page addresses: "page" is a slug no role may take.
    path("roles/page/<page:number>/", views.RoleIndexView.as_view(), name="roles-page"),
    path("roles/<slug:slug>/", views.RoleDetailView.as_view(), name="role"),
    path("compare/", views.ComparisonIndexView.as_view(), name="index"),
    # Before the comparison addresses, which "page" could otherwise be taken for.
    path("compare/page/<page:number>/", views.ComparisonIndexView.as_view(), name="index-page"),
    path("compare/<slug:slug>/", views.ComparisonDetailView.as_view(), name="comparison"),
]
