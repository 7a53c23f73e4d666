from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm, PasswordResetForm

FORM = "registration/form_page.html"
MESSAGE = "registration/message_page.html"


def message(text):
    return {"template_name": MESSAGE, "extra_context": {"message": text}}


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(template_name=FORM), name="password_change"),
    path("password/change/done/",
         auth_views.PasswordChangeDoneView.as_view(**message(_("Your password has been changed."))),
         name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(template_name=FORM, form_class=PasswordResetForm), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(**message(
        _("If an account has that e-mail address, we have sent it a link to set a new password."))),
        name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(template_name=FORM),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(**message(
        _("Your password has been set. You may log in now."))), name="password_reset_complete"),
]
