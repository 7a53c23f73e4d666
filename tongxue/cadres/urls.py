from django.urls import path

from . import views_exit

urlpatterns = [
    path("exits/", views_exit.exit_case_list, name="exit_cases"),
    path("exits/<int:pk>/decide/", views_exit.exit_case_decide, name="exit_case_decide"),
    path("memberships/<int:pk>/resign/", views_exit.resign, name="resign"),
    path("memberships/<int:pk>/dismiss/", views_exit.dismiss, name="dismiss"),
]
