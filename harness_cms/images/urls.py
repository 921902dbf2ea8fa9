"""Addresses of the image library's files, the drawn cards and the touch icons."""

from django.urls import path

from . import views

app_name = "images"
urlpatterns = [
    path("media/<path:name>", views.media_file, name="media"),
    path("social/item-<int:pk>-<slug:key>.png", views.item_card_view, name="item-card"),
    path("social/site-<slug:key>.png", views.site_card_view, name="site-card"),
    path("apple-touch-icon.png", views.touch_icon, name="touch-icon"),
    path("icon-<int:size>.png", views.touch_icon, name="icon"),
]
