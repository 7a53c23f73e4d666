from django.urls import path

from . import views

urlpatterns = [
    path("", views.union_list, name="list"),
    path("mine/", views.my_unions, name="mine"),
    path("associations/", views.association_list, name="associations"),
    path("<int:pk>/", views.union_detail, name="detail"),
    path("<int:pk>/edit/", views.union_edit, name="edit"),
    path("<int:pk>/terms/<int:number>/", views.union_detail, name="term"),
    path("<int:pk>/departments/new/", views.department_create, name="department_create"),
]
