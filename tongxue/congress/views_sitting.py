"""Pages of the congress at its sitting (issue 5, items 4 and 7), made for phones in the hall:
check-in by code or QR and leaving the hall, the desk, the live quorum, the agenda, documents and
formal questions, resolutions and votes, the projector, and the charter. Every state change
calls services_sitting; a session out of the account's scope is a 404, an action the account
may not take a 403 (logged by the access-log middleware)."""
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import FileExtensionValidator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongxue.unions.models import Union

from . import sections, services
from . import services_sitting as sitting
from .models import (
    AgendaItem, Attendance, CharterVersion, CongressSession, Delegate, FormalQuestion, Resolution, ResolutionVote,
    SessionDocument,
)
from .permissions import can_manage, delegate_of
from .views import get_session, session_context


def _managed_session(request, pk: int) -> CongressSession:
    session = get_session(request, pk)
    if not can_manage(request.user, session):
        raise PermissionDenied
    return session


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (no image request, no script)."""
    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True)


def check_in_url(request, session: CongressSession) -> str:
    return request.build_absolute_uri(sitting.check_in_path(session))


# Check-in ------------------------------------------------------------------------------------

@login_required
def check_in(request, pk: int):
    """The delegate's check-in page: the code (or the token of the scanned QR code), leaving the
    hall, and coming back."""
    session = get_session(request, pk)
    delegate = delegate_of(request.user, session)
    if delegate is None:
        raise PermissionDenied
    token = request.POST.get("t") or request.GET.get("t", "")
    error = None
    if request.method == "POST":
        try:
            code = request.POST.get("code", "").strip()
            _attendance, changed = sitting.check_in(
                request.user, session, code=code, token="" if code else request.POST.get("t", ""),
                remote_addr=_client_ip(request), path=request.path)
        except sitting.CheckInError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("You are checked in. Welcome!") if changed
                             else _("You were already checked in."))
            return redirect("congress:check_in", session.pk)
    attendance = sitting.attendance_today(session, delegate)
    return render(request, "congress/sitting/check_in.html", session_context(
        request, session, delegate=delegate, attendance=attendance, token=token, error=error,
        is_present=attendance is not None and attendance.checked_out is None,
        quorum=services.quorum(session)))


@login_required
@require_POST
def check_out(request, pk: int):
    session = get_session(request, pk)
    sitting.check_out(request.user, session)
    messages.info(request, _("You have left the hall. Check in again with the code when you come back."))
    return redirect("congress:check_in", session.pk)


@login_required
def quorum(request, pk: int):
    """The live count (polled by htmx every few seconds)."""
    session = get_session(request, pk)
    return render(request, "congress/_quorum.html", {"session": session, "quorum": services.quorum(session)})


@login_required
def desk(request, pk: int):
    """The check-in desk: open and close check-in, the code and QR, checking delegates in by
    number, and who is in the hall."""
    session = _managed_session(request, pk)
    today = timezone.localdate()
    attendance = {a.delegate_id: a for a in Attendance.objects.filter(session=session, sitting=today)}
    delegates = [(d, attendance.get(d.pk)) for d in
                 Delegate.objects.seated().filter(session=session).select_related("student").order_by("number", "pk")]
    return render(request, "congress/sitting/desk.html", session_context(
        request, session, delegates=delegates, quorum=services.quorum(session)))


@login_required
@require_POST
def check_in_toggle(request, pk: int):
    session = get_session(request, pk)
    try:
        sitting.set_check_in_open(request.user, session, request.POST.get("open") == "1")
    except ValidationError as error:
        _errors(request, error)
    return redirect("congress:desk", session.pk)


@login_required
@require_POST
def desk_check_in(request, pk: int):
    session = get_session(request, pk)
    try:
        attendance, changed = sitting.desk_check_in(request.user, session, request.POST.get("number", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        name = attendance.delegate.student.name
        if changed:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        else:
            messages.info(request, _("%(name)s was already checked in.") % {"name": name})
    return redirect("congress:desk", session.pk)


@login_required
@require_POST
def desk_check_out(request, pk: int, delegate_pk: int):
    session = get_session(request, pk)
    delegate = get_object_or_404(Delegate, session=session, pk=delegate_pk)
    sitting.check_out(request.user, session, delegate)
    return redirect("congress:desk", session.pk)


@login_required
def check_in_qr(request, pk: int):
    """The QR code for the entrance (a tablet or a screen); it changes every minute."""
    session = _managed_session(request, pk)
    context = session_context(request, session, qr=qr_svg(check_in_url(request, session))
                              if session.is_check_in_open and session.is_open else "")
    template = "congress/sitting/_qr.html" if request.htmx else "congress/sitting/qr.html"
    return render(request, template, context)


# Agenda --------------------------------------------------------------------------------------

class AgendaItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=AgendaItem.Kind.choices,
                             initial=AgendaItem.Kind.OTHER)


@login_required
def agenda(request, pk: int):
    session = get_session(request, pk)
    return render(request, "congress/sitting/agenda.html", session_context(
        request, session, items=session.agenda.all(), form=AgendaItemForm()))


@login_required
@require_POST
def agenda_add(request, pk: int):
    session = get_session(request, pk)
    form = AgendaItemForm(request.POST)
    if not can_manage(request.user, session):
        raise PermissionDenied
    if form.is_valid():
        try:
            sitting.add_agenda_item(request.user, session, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Give the item a title."))
    return redirect("congress:agenda", session.pk)


@login_required
@require_POST
def agenda_action(request, pk: int, item_pk: int, action: str):
    session = get_session(request, pk)
    item = get_object_or_404(AgendaItem, session=session, pk=item_pk)
    if action in ("up", "down"):
        sitting.move_agenda_item(request.user, item, action)
    elif action == "start":
        sitting.start_agenda_item(request.user, item)
    elif action == "finish":
        sitting.finish_agenda_item(request.user, item)
    else:
        raise Http404
    return redirect("congress:agenda", session.pk)


@login_required
@require_POST
def agenda_next(request, pk: int):
    session = get_session(request, pk)
    sitting.start_next_item(request.user, session)
    return redirect("congress:agenda", session.pk)


# Documents and formal questions ----------------------------------------------------------------

DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "pptx", "ppt", "txt", "png", "jpg", "jpeg"]
INLINE_EXTENSIONS = {"pdf", "png", "jpg", "jpeg", "txt"}  # others are downloaded, never rendered by the browser


class DocumentForm(forms.ModelForm):
    publish = forms.BooleanField(label=gettext_lazy("Publish now"), required=False)
    file = forms.FileField(label=gettext_lazy("file"), required=False,
                           validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
                           help_text=gettext_lazy("PDF, Word, Excel, PowerPoint, text or an image."))

    class Meta:
        model = SessionDocument
        fields = ["kind", "title", "body", "file", "audience"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


@login_required
def documents(request, pk: int):
    session = get_session(request, pk)
    return render(request, "congress/sitting/documents.html", session_context(
        request, session, documents=sitting.documents_for(request.user, session).order_by("kind", "created")))


@login_required
def document_new(request, pk: int):
    session = _managed_session(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = sitting.create_document(
                request.user, session, kind=data["kind"], title=data["title"], body=data["body"],
                file=data.get("file"), audience=data["audience"], publish=data["publish"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("congress:document", session.pk, document.pk)
    return render(request, "congress/sitting/document_form.html", session_context(request, session, form=form))


def _document(request, session, document_pk) -> SessionDocument:
    return get_object_or_404(sitting.documents_for(request.user, session), pk=document_pk)


@login_required
def document_detail(request, pk: int, document_pk: int):
    session = get_session(request, pk)
    document = _document(request, session, document_pk)
    my_delegate = delegate_of(request.user, session)
    return render(request, "congress/sitting/document.html", session_context(
        request, session, document=document,
        questions=document.questions.select_related("delegate__student", "answered_by"),
        can_ask=bool(my_delegate and document.is_report and document.is_published),
        can_answer=sitting.can_answer_questions(request.user, session)))


@login_required
def document_file(request, pk: int, document_pk: int):
    session = get_session(request, pk)
    document = _document(request, session, document_pk)
    if not document.file:
        raise Http404
    name = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(document.file.open("rb"), filename=name,
                            as_attachment=name.rsplit(".", 1)[-1].lower() not in INLINE_EXTENSIONS)
    response["Cache-Control"] = "private, max-age=600"
    return response


@login_required
@require_POST
def document_publish(request, pk: int, document_pk: int):
    session = get_session(request, pk)
    document = get_object_or_404(SessionDocument, session=session, pk=document_pk)
    sitting.publish_document(request.user, document)
    return redirect("congress:document", session.pk, document.pk)


@login_required
@require_POST
def question_ask(request, pk: int, document_pk: int):
    session = get_session(request, pk)
    document = _document(request, session, document_pk)
    try:
        sitting.ask_question(request.user, document, request.POST.get("text", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your question was put to the presidium."))
    return redirect("congress:document", session.pk, document.pk)


@login_required
@require_POST
def question_answer(request, pk: int, question_pk: int):
    session = get_session(request, pk)
    question = get_object_or_404(FormalQuestion, session=session, pk=question_pk)
    try:
        sitting.answer_question(request.user, question, request.POST.get("answer", ""))
    except ValidationError as error:
        _errors(request, error)
    return redirect("congress:document", session.pk, question.document_id)


# Resolutions -------------------------------------------------------------------------------

class ResolutionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    text = forms.CharField(label=gettext_lazy("text"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    agenda_item = forms.ModelChoiceField(AgendaItem.objects.none(), label=gettext_lazy("agenda item"), required=False)

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session is not None:
            self.fields["agenda_item"].queryset = session.agenda.all()


class CountsForm(forms.Form):
    votes_for = forms.IntegerField(label=gettext_lazy("for"), min_value=0)
    votes_against = forms.IntegerField(label=gettext_lazy("against"), min_value=0)
    votes_abstain = forms.IntegerField(label=gettext_lazy("abstain"), min_value=0)


@login_required
def resolutions(request, pk: int):
    session = get_session(request, pk)
    manage = can_manage(request.user, session)
    form = ResolutionForm(request.POST or None, session=session)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            resolution = sitting.create_resolution(request.user, session, **form.cleaned_data)
            return redirect("congress:resolution", session.pk, resolution.pk)
    return render(request, "congress/sitting/resolutions.html", session_context(
        request, session, resolutions=session.resolutions.order_by("-created", "-pk"), form=form))


def _resolution_context(request, session, resolution) -> dict:
    votes_cast = resolution.votes.count() if resolution.mode == Resolution.Mode.PHONES else None
    my_delegate = delegate_of(request.user, session)
    is_present = bool(my_delegate and services.present_delegates(session).filter(pk=my_delegate.pk).exists())
    return session_context(
        request, session, resolution=resolution, my_vote=sitting.my_vote(request.user, resolution),
        is_present=is_present, votes_cast=votes_cast, choices=ResolutionVote.Choice.choices,
        modes=Resolution.Mode.choices, quorum=services.quorum(session),
        counts_form=CountsForm(initial={"votes_for": resolution.votes_for, "votes_against": resolution.votes_against,
                                        "votes_abstain": resolution.votes_abstain}),
        share=session.share(resolution.share_field),
        draft=resolution.charter_versions.first() if resolution.kind == Resolution.Kind.CHARTER else None)


@login_required
def resolution_detail(request, pk: int, resolution_pk: int):
    session = get_session(request, pk)
    resolution = get_object_or_404(Resolution, session=session, pk=resolution_pk)
    template = ("congress/sitting/_votes_cast.html" if request.htmx and request.GET.get("part") == "votes"
                else "congress/sitting/resolution.html")
    return render(request, template, _resolution_context(request, session, resolution))


@login_required
@require_POST
def resolution_action(request, pk: int, resolution_pk: int, action: str):
    session = get_session(request, pk)
    resolution = get_object_or_404(Resolution, session=session, pk=resolution_pk)
    try:
        if action == "open":
            sitting.open_vote(request.user, resolution, mode=request.POST.get("mode", Resolution.Mode.PHONES))
        elif action == "vote":
            sitting.cast_vote(request.user, resolution, request.POST.get("choice", ""))
            messages.success(request, _("Your vote is recorded. You may change it until the vote closes."))
        elif action == "counts":
            form = CountsForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Counts are whole numbers of at least 0."))
            sitting.enter_counts(request.user, resolution, **form.cleaned_data)
        elif action == "close":
            sitting.close_vote(request.user, resolution)
        else:
            raise Http404
    except ValidationError as error:
        _errors(request, error)
    return redirect("congress:resolution", session.pk, resolution.pk)


# Projector -----------------------------------------------------------------------------------

def _projector_context(request, session) -> dict:
    result = sitting.latest_result(session)
    return session_context(
        request, session, quorum=services.quorum(session), current=sitting.current_item(session),
        following=session.agenda.filter(status=AgendaItem.Status.PENDING).order_by("order").first(),
        result=result,
        votes_cast=result.votes.count() if result and result.status == Resolution.Status.VOTING else None,
        qr=qr_svg(check_in_url(request, session)) if session.is_open and session.is_check_in_open else "",
        sections=sections.templates(sections.PROJECTOR_SECTIONS))


@login_required
def projector(request, pk: int):
    """The hall's screen: large type on a dark background, no navigation, refreshed by htmx."""
    session = _managed_session(request, pk)
    return render(request, "congress/sitting/projector.html", _projector_context(request, session))


@login_required
def projector_live(request, pk: int):
    session = _managed_session(request, pk)
    return render(request, "congress/sitting/_projector_live.html", _projector_context(request, session))


# Charter -----------------------------------------------------------------------------------

@login_required
def charter(request, pk: int):
    session = get_session(request, pk)
    versions = CharterVersion.objects.filter(union=session.union).select_related("resolution")
    return render(request, "congress/sitting/charter.html", session_context(
        request, session, current=sitting.current_charter(session.union),
        drafts=versions.filter(status=CharterVersion.Status.DRAFT), history=versions.history()))


@login_required
@require_POST
def charter_new(request, pk: int):
    session = get_session(request, pk)
    version = sitting.draft_charter(request.user, session)
    return redirect("congress:charter_version", session.pk, version.pk)


@login_required
def charter_version(request, pk: int, version_pk: int):
    session = get_session(request, pk)
    version = get_object_or_404(CharterVersion.objects.select_related("based_on", "resolution"),
                                union=session.union, pk=version_pk)
    manage = can_manage(request.user, session)
    if version.status == CharterVersion.Status.DRAFT and not manage:
        raise PermissionDenied
    if request.method == "POST":
        try:
            sitting.edit_charter_draft(request.user, session, version, request.POST.get("text", ""))
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("congress:charter_version", session.pk, version.pk)
    editable = (manage and version.status == CharterVersion.Status.DRAFT
                and (version.resolution is None or version.resolution.status == Resolution.Status.DRAFT))
    return render(request, "congress/sitting/charter_version.html", session_context(
        request, session, version=version, editable=editable,
        diff=sitting.charter_diff(version.based_on.text if version.based_on else "", version.text)))


@login_required
@require_POST
def charter_propose(request, pk: int, version_pk: int):
    session = get_session(request, pk)
    version = get_object_or_404(CharterVersion, union=session.union, pk=version_pk)
    try:
        resolution = sitting.propose_charter_amendment(request.user, session, version)
    except ValidationError as error:
        _errors(request, error)
        return redirect("congress:charter_version", session.pk, version.pk)
    return redirect("congress:resolution", session.pk, resolution.pk)


# Public charter (no login) -------------------------------------------------------------------

def public_charter(request, union_pk: int, number: int | None = None):
    """The union's charter in force, or one of its past versions, with the version history and
    the changes from the version before."""
    union = get_object_or_404(Union, pk=union_pk)
    history = list(CharterVersion.objects.filter(union=union).history().select_related("resolution__session"))
    if not history:
        raise Http404
    if number is None:
        version = next((v for v in history if v.status == CharterVersion.Status.ADOPTED), history[0])
    else:
        version = next((v for v in history if v.number == number), None)
        if version is None:
            raise Http404
    earlier = [v for v in history if v.number < version.number]
    previous = earlier[0] if earlier else None
    return render(request, "congress/sitting/public_charter.html", {
        "union": union, "version": version, "history": history, "previous": previous,
        "diff": sitting.charter_diff(previous.text, version.text) if previous else None,
        "show_diff": request.GET.get("changes") == "1"})


public_urls = [
    path("<int:union_pk>/", public_charter, name="charter"),
    path("<int:union_pk>/v<int:number>/", public_charter, name="charter_version"),
]


urls = [
    path("<int:pk>/check-in/", check_in, name="check_in"),
    path("<int:pk>/check-out/", check_out, name="check_out"),
    path("<int:pk>/check-in/qr/", check_in_qr, name="check_in_qr"),
    path("<int:pk>/quorum/", quorum, name="quorum"),
    path("<int:pk>/desk/", desk, name="desk"),
    path("<int:pk>/desk/open/", check_in_toggle, name="check_in_toggle"),
    path("<int:pk>/desk/check-in/", desk_check_in, name="desk_check_in"),
    path("<int:pk>/desk/<int:delegate_pk>/check-out/", desk_check_out, name="desk_check_out"),
    path("<int:pk>/agenda/", agenda, name="agenda"),
    path("<int:pk>/agenda/add/", agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/next/", agenda_next, name="agenda_next"),
    path("<int:pk>/agenda/<int:item_pk>/<slug:action>/", agenda_action, name="agenda_action"),
    path("<int:pk>/documents/", documents, name="documents"),
    path("<int:pk>/documents/new/", document_new, name="document_new"),
    path("<int:pk>/documents/<int:document_pk>/", document_detail, name="document"),
    path("<int:pk>/documents/<int:document_pk>/file/", document_file, name="document_file"),
    path("<int:pk>/documents/<int:document_pk>/publish/", document_publish, name="document_publish"),
    path("<int:pk>/documents/<int:document_pk>/ask/", question_ask, name="question_ask"),
    path("<int:pk>/questions/<int:question_pk>/answer/", question_answer, name="question_answer"),
    path("<int:pk>/resolutions/", resolutions, name="resolutions"),
    path("<int:pk>/resolutions/<int:resolution_pk>/", resolution_detail, name="resolution"),
    path("<int:pk>/resolutions/<int:resolution_pk>/<slug:action>/", resolution_action, name="resolution_action"),
    path("<int:pk>/projector/", projector, name="projector"),
    path("<int:pk>/projector/live/", projector_live, name="projector_live"),
    path("<int:pk>/charter/", charter, name="charter"),
    path("<int:pk>/charter/new/", charter_new, name="charter_new"),
    path("<int:pk>/charter/<int:version_pk>/", charter_version, name="charter_version"),
    path("<int:pk>/charter/<int:version_pk>/propose/", charter_propose, name="charter_propose"),
]
