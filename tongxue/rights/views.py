"""Pages shared by everyone who may see a case: its detail (the student's view or the handler's
view, by role) and its photos, which are served only to those who may see them."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from . import views_handling, views_student
from .models import Case, CasePhoto
from .privacy import can_handle, is_office_staff


@login_required
def case_detail(request, pk):
    """/rights/cases/<pk>/: handlers and office staff get the handling page, students their own."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related(
        "category", "submitter", "college", "union", "handler", "office", "answered_by_office"), pk=pk)
    if can_handle(request.user, case) or is_office_staff(request.user, case):
        return views_handling.case_detail_handling(request, case)
    return views_student.case_detail_student(request, case)


def photo(request, pk):
    """A case photo: for those who may see the case, or for anyone when the case is on the
    public board and its student allowed public photos."""
    photo = get_object_or_404(CasePhoto.objects.select_related("case"), pk=pk)
    case = photo.case
    public = Case.objects.on_board().filter(pk=case.pk, photos_public=True).exists()
    if not public and not (request.user.is_authenticated
                           and Case.objects.visible_to(request.user).filter(pk=case.pk).exists()):
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=600"
    return response


urls = [
    path("cases/<int:pk>/", case_detail, name="case"),
    path("photos/<int:pk>/", photo, name="photo"),
]
