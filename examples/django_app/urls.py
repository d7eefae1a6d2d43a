from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("images/<uuid:image_id>", views.image, name="image"),
]
