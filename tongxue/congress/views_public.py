"""Public pages of the congress (no login): the public notice (公示) of the delegate list.

Only name, college and class appear (conventions.md, privacy: never 学号 or phone). Anyone may
object while the notice runs, anonymously or with a name or contact shown to the committee only.
After the period the page says only that the notice has ended (410), as the cadres' notices do.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services_prep
from .forms_prep import ObjectionForm
from .models import Delegate, DelegateNotice


def delegate_notice(request, session_pk: int):
    notice = get_object_or_404(DelegateNotice.objects.select_related("session__union", "university"),
                               session_id=session_pk)
    session = notice.session
    if not notice.is_running(timezone.now()):
        return render(request, "congress/prep/notice_ended.html", {"notice": notice, "session": session}, status=410)
    delegates = list(session.delegates.filter(status=Delegate.Status.SEATED)
                     .select_related("student__college", "student_class", "association")
                     .order_by("number", "student__name"))
    form = ObjectionForm(request.POST or None, delegates=delegates)
    if request.method == "POST" and form.is_valid():
        chosen = next((d for d in delegates if str(d.pk) == form.cleaned_data["delegate"]), None)
        try:
            services_prep.file_objection(request.user, session, form.cleaned_data["text"], delegate=chosen,
                                         contact=form.cleaned_data["contact"], anonymous=True)
        except ValidationError as error:  # the notice ended meanwhile
            form.add_error(None, error)
        else:
            messages.success(request, _("Your objection has been received; the committee answers it before the "
                                        "congress."))
            return redirect("public_congress:delegates", session.pk)
    return render(request, "congress/prep/notice_public.html",
                  {"notice": notice, "session": session, "delegates": delegates, "form": form},
                  status=400 if form.errors else 200)


urlpatterns = [path("<int:session_pk>/delegates/", delegate_notice, name="delegates")]
