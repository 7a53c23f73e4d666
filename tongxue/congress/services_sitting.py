"""The congress at its sitting (rules.md §4; issue 5, items 4 and 7): check-in and leaving the
hall, the agenda in order, documents and formal questions (质询), resolutions and their votes,
and the charter (章程) amended by a resolution of two thirds.

Each state change checks permission, writes in one transaction and leaves an audit entry
(audit.py); a refused action raises PermissionDenied, a refusal on the data ValidationError (or
CheckInError for check-in, whose message is shown to the delegate).

Thresholds: a quorum needs at least `quorum` of the seated delegates present; an ordinary
resolution passes with *more than* `resolution_share` of the delegates present, a charter
amendment with *at least* `charter_share` of them (exact fractions, never rounded).
"""
import time
from datetime import date

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxue.core.throttle import CodeThrottle
from tongxue.domain.tally import resolution_passes
from tongxue.notifications.services import notify
from tongxue.unions.models import Union

from . import services
from .models import (
    AgendaItem, Attendance, CharterVersion, CommitteeMember, CongressSession, Delegate, FormalQuestion,
    Resolution, ResolutionVote, SessionDocument, new_check_in_code,
)
from .permissions import can_manage, delegate_of, has_committee_role, require_manage


# Check-in --------------------------------------------------------------------------------

# Wrong codes are throttled per account and per IP address, as for training check-in.
THROTTLE = CodeThrottle("congress:check-in")

# The QR code shown at the entrance and on the projector carries a signed token of the session,
# its current check-in code and the minute it was made. A token is accepted for QR_MAX_AGE
# seconds, so a photo of the QR passed around stops working soon; closing and reopening
# check-in draws a new code, which voids every token at once.
QR_SALT = "tongxue.congress.check-in"
QR_ROTATE = 60  # seconds: the QR changes each minute
QR_MAX_AGE = 3 * 60  # seconds


class CheckInError(Exception):
    """A refused check-in; the message is for the delegate."""


class CheckInLocked(CheckInError):
    """Too many wrong codes: check-in is refused for a while."""


def _locked_message() -> str:
    return _("Too many wrong codes. Check-in is locked for 10 minutes; ask the desk to check you in.")


def check_in_token(session: CongressSession, *, now: float | None = None) -> str:
    bucket = int((now if now is not None else time.time()) // QR_ROTATE)
    return signing.Signer(salt=QR_SALT).sign(f"{session.pk}.{session.check_in_code}.{bucket}")


def check_in_path(session: CongressSession) -> str:
    """The path the QR code opens: the check-in page with a fresh token."""
    from django.urls import reverse

    return reverse("congress:check_in", args=[session.pk]) + "?t=" + check_in_token(session)


def _token_valid(session: CongressSession, token: str, *, now: float | None = None) -> bool:
    try:
        value = signing.Signer(salt=QR_SALT).unsign(token or "")
        pk, code, bucket = value.split(".")
        pk, bucket = int(pk), int(bucket)
    except (signing.BadSignature, ValueError):
        return False
    age = (now if now is not None else time.time()) - bucket * QR_ROTATE
    return pk == session.pk and code == session.check_in_code and -QR_ROTATE < age <= QR_MAX_AGE


def _record_failure(user, session, keys, remote_addr, path) -> bool:
    from django.urls import reverse

    return THROTTLE.record_failure(keys, university_id=session.university_id, actor=user,
                                   path=path or reverse("congress:check_in", args=[session.pk]),
                                   remote_addr=remote_addr)


def _attend(session: CongressSession, delegate: Delegate, method: str, now) -> tuple[Attendance, bool]:
    """Record the delegate present today: a new attendance, or re-entering after leaving.
    Returns (attendance, changed); a double submit changes nothing the second time."""
    sitting = timezone.localdate(now)
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(
            session=session, delegate=delegate, sitting=sitting).first()
        if attendance is not None:
            if attendance.checked_out is None:
                return attendance, False
            attendance.checked_out = None
            attendance.method = method
            attendance.save(update_fields=["checked_out", "method"])
            return attendance, True
        try:
            with transaction.atomic():
                return Attendance.objects.create(
                    university_id=session.university_id, session=session, delegate=delegate, sitting=sitting,
                    method=method, checked_in=now), True
        except IntegrityError:  # a double submit racing with itself
            return Attendance.objects.get(session=session, delegate=delegate, sitting=sitting), False


def check_in(user, session: CongressSession, *, code: str = "", token: str = "", now=None,
             remote_addr: str | None = None, path: str = "") -> tuple[Attendance, bool]:
    """A seated delegate checks in on their phone with the session's 6-digit code or the QR
    token, while the session is in session and check-in is open. Checking in twice records one
    attendance; checking in after leaving the hall re-enters it."""
    now = now or timezone.now()
    delegate = delegate_of(user, session)
    if delegate is None:
        raise PermissionDenied
    keys = THROTTLE.keys("user", user.pk, remote_addr)
    if THROTTLE.is_locked(keys):
        raise CheckInLocked(_locked_message())
    if not (session.is_open and session.is_check_in_open):
        raise CheckInError(_("Check-in for this session is not open now."))
    if token:
        if not _token_valid(session, token, now=now.timestamp()):
            raise CheckInError(_("This QR code has expired. Scan the code shown in the hall again, or type the "
                                 "6-digit code."))
        method = Attendance.Method.QR
    else:
        code = (code or "").strip()
        if not (len(code) == 6 and code.isdigit()):
            raise CheckInError(_("Enter the 6-digit code shown in the hall."))
        if code != session.check_in_code:
            if _record_failure(user, session, keys, remote_addr, path):
                raise CheckInLocked(_locked_message())
            raise CheckInError(_("This is not the code of the session. Check the code and try again."))
        method = Attendance.Method.CODE
    return _attend(session, delegate, method, now)


def desk_check_in(actor, session: CongressSession, number, *, now=None) -> tuple[Attendance, bool]:
    """The desk checks a seated delegate in by their delegate number."""
    require_manage(actor, session)
    if not session.is_open:
        raise ValidationError(_("Delegates check in only while the session is in session."))
    try:
        number = int(str(number).strip())
    except ValueError:
        raise ValidationError(_("Enter a delegate number.")) from None
    delegate = Delegate.objects.filter(session=session, number=number).first()
    if delegate is None:
        raise ValidationError(_("No delegate has the number %(number)s.") % {"number": number})
    if not delegate.is_seated:
        raise ValidationError(_("Delegate %(number)s is not seated.") % {"number": number})
    return _attend(session, delegate, Attendance.Method.DESK, now or timezone.now())


def check_out(actor, session: CongressSession, delegate: Delegate | None = None, *, now=None) -> Attendance | None:
    """Leaving the hall: the delegate themselves, or the desk for a delegate. The delegate no
    longer counts as present until they check in again."""
    if delegate is None:
        delegate = delegate_of(actor, session)
        if delegate is None:
            raise PermissionDenied
    elif delegate_of(actor, session) != delegate:
        require_manage(actor, session)
    now = now or timezone.now()
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().filter(
            session=session, delegate=delegate, sitting=timezone.localdate(now), checked_out__isnull=True).first()
        if attendance is not None:
            attendance.checked_out = now
            attendance.save(update_fields=["checked_out"])
    return attendance


def set_check_in_open(actor, session: CongressSession, is_open: bool) -> CongressSession:
    """Open or close check-in. Opening draws a new code, which also voids every QR token."""
    require_manage(actor, session)
    with transaction.atomic():
        session = CongressSession.objects.select_for_update(of=("self",)).select_related("union").get(pk=session.pk)
        if is_open and not session.is_open:
            raise ValidationError(_("Check-in opens when the session is in session."))
        if is_open and not session.is_check_in_open:
            session.check_in_code = new_check_in_code()
        session.is_check_in_open = is_open
        session.save(update_fields=["is_check_in_open", "check_in_code", "updated"])
    return session


def attendance_today(session: CongressSession, delegate: Delegate | None, sitting=None) -> Attendance | None:
    if delegate is None:
        return None
    return Attendance.objects.filter(session=session, delegate=delegate,
                                     sitting=sitting or timezone.localdate()).first()


# Agenda ----------------------------------------------------------------------------------

def add_agenda_item(actor, session: CongressSession, *, title: str, kind: str = AgendaItem.Kind.OTHER) -> AgendaItem:
    require_manage(actor, session)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the item a title."))
    with transaction.atomic():
        CongressSession.objects.select_for_update().get(pk=session.pk)
        last = AgendaItem.objects.filter(session=session).aggregate(n=Max("order"))["n"] or 0
        return AgendaItem.objects.create(university_id=session.university_id, session=session, order=last + 1,
                                         title=title[:200], kind=kind)


def move_agenda_item(actor, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down")."""
    session = item.session
    require_manage(actor, session)
    with transaction.atomic():
        CongressSession.objects.select_for_update().get(pk=session.pk)
        item = AgendaItem.objects.get(pk=item.pk)
        items = AgendaItem.objects.filter(session=session)
        neighbour = (items.filter(order__lt=item.order).order_by("-order").first() if direction == "up"
                     else items.filter(order__gt=item.order).order_by("order").first())
        if neighbour is None:
            return
        mine, theirs = item.order, neighbour.order
        AgendaItem.objects.filter(pk=item.pk).update(order=0)  # orders start at 1: 0 is free
        AgendaItem.objects.filter(pk=neighbour.pk).update(order=mine)
        AgendaItem.objects.filter(pk=item.pk).update(order=theirs)


def start_agenda_item(actor, item: AgendaItem, *, now=None) -> AgendaItem:
    """Make `item` the current item; the item current before it is done."""
    session = item.session
    require_manage(actor, session)
    now = now or timezone.now()
    with transaction.atomic():
        CongressSession.objects.select_for_update().get(pk=session.pk)
        item = AgendaItem.objects.get(pk=item.pk)
        if item.status == AgendaItem.Status.CURRENT:
            return item
        AgendaItem.objects.filter(session=session, status=AgendaItem.Status.CURRENT).update(
            status=AgendaItem.Status.DONE, finished=now)
        item.status = AgendaItem.Status.CURRENT
        item.started = now
        item.finished = None
        item.save(update_fields=["status", "started", "finished"])
    return item


def start_next_item(actor, session: CongressSession, *, now=None) -> AgendaItem | None:
    """Finish the current item and start the first item still to come (in order)."""
    require_manage(actor, session)
    following = AgendaItem.objects.filter(session=session, status=AgendaItem.Status.PENDING).order_by("order").first()
    if following is None:
        current = AgendaItem.objects.filter(session=session, status=AgendaItem.Status.CURRENT).first()
        if current is not None:
            finish_agenda_item(actor, current, now=now)
        return None
    return start_agenda_item(actor, following, now=now)


def finish_agenda_item(actor, item: AgendaItem, *, now=None) -> AgendaItem:
    require_manage(actor, item.session)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.status != AgendaItem.Status.DONE:
            item.status = AgendaItem.Status.DONE
            item.finished = now or timezone.now()
            item.save(update_fields=["status", "finished"])
    return item


def current_item(session: CongressSession) -> AgendaItem | None:
    return AgendaItem.objects.filter(session=session, status=AgendaItem.Status.CURRENT).first()


# Documents and formal questions -------------------------------------------------------------

def documents_for(user, session: CongressSession):
    """The session's documents the account may read: all of them for those who run the session;
    published ones for delegates and the public for a seated delegate; published public ones
    for anyone else at the university who sees the session."""
    documents = SessionDocument.objects.filter(session=session)
    if can_manage(user, session):
        return documents
    published = documents.filter(published_at__isnull=False)
    if delegate_of(user, session) is not None:
        return published.filter(audience__in=[SessionDocument.Audience.DELEGATES, SessionDocument.Audience.PUBLIC])
    return published.filter(audience=SessionDocument.Audience.PUBLIC)


def create_document(actor, session: CongressSession, *, kind: str, title: str, body: str = "", file=None,
                    audience: str = SessionDocument.Audience.DELEGATES, publish: bool = False) -> SessionDocument:
    require_manage(actor, session)
    if not (body or "").strip() and not file:
        raise ValidationError(_("Give the document a text or a file."))
    document = SessionDocument(
        university_id=session.university_id, session=session, kind=kind, title=title, body=body or "",
        audience=audience, created_by=actor, published_at=timezone.now() if publish else None)
    if file:
        document.file = file
    document.save()
    if publish:
        _announce_document(document)
    return document


def publish_document(actor, document: SessionDocument) -> SessionDocument:
    require_manage(actor, document.session)
    with transaction.atomic():
        document = SessionDocument.objects.select_for_update().get(pk=document.pk)
        if document.published_at is None:
            document.published_at = timezone.now()
            document.save(update_fields=["published_at"])
            transaction.on_commit(lambda: _announce_document(document))
    return document


def _announce_document(document: SessionDocument) -> None:
    if document.audience == SessionDocument.Audience.COMMITTEE:
        return
    from django.urls import reverse

    session = document.session
    users = [d.student.user for d in Delegate.objects.seated().filter(session=session).select_related("student__user")]
    notify(users, kind="congress_document", title=gettext_lazy("Published for delegates: %(title)s"),
           url=reverse("congress:document", args=[session.pk, document.pk]), university_id=session.university_id,
           params={"title": document.title})


def can_answer_questions(user, session: CongressSession) -> bool:
    """The presidium (or the committee chair) answers formal questions; so do those who run the session."""
    return (has_committee_role(user, session, CommitteeMember.Role.PRESIDIUM, CommitteeMember.Role.CHAIR)
            or can_manage(user, session))


def ask_question(user, document: SessionDocument, text: str) -> FormalQuestion:
    """A seated delegate puts a formal question (质询) on a published report."""
    session = document.session
    delegate = delegate_of(user, session)
    if delegate is None or not documents_for(user, session).filter(pk=document.pk).exists():
        raise PermissionDenied
    if not document.is_report or not document.is_published:
        raise ValidationError(_("Formal questions are put on the published work and financial reports."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your question."))
    with transaction.atomic():
        question = FormalQuestion.objects.create(university_id=session.university_id, session=session,
                                                 document=document, delegate=delegate, text=text[:4000])
    return question


def answer_question(actor, question: FormalQuestion, text: str) -> FormalQuestion:
    session = question.session
    if not can_answer_questions(actor, session):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the answer."))
    with transaction.atomic():
        question = FormalQuestion.objects.select_for_update(of=("self",)).select_related(
            "delegate__student__user", "document").get(pk=question.pk)
        question.answer = text[:8000]
        question.answered_by = actor
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])

        def tell():
            from django.urls import reverse

            notify([question.delegate.student.user], kind="congress_answer",
                   title=gettext_lazy("Your formal question on “%(title)s” was answered"),
                   url=reverse("congress:document", args=[session.pk, question.document_id]),
                   university_id=session.university_id, params={"title": question.document.title})
        transaction.on_commit(tell)
    return question


# Resolutions ---------------------------------------------------------------------------------

def create_resolution(actor, session: CongressSession, *, title: str, text: str = "",
                      kind: str = Resolution.Kind.ORDINARY, agenda_item: AgendaItem | None = None) -> Resolution:
    require_manage(actor, session)
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Give the resolution a title."))
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ValidationError(_("The agenda item is of another session."))
    return Resolution.objects.create(university_id=session.university_id, session=session, title=title[:200],
                                     text=text or "", kind=kind, agenda_item=agenda_item, created_by=actor)


def open_vote(actor, resolution: Resolution, *, mode: str = Resolution.Mode.PHONES, now=None) -> Resolution:
    """Put a draft resolution to the vote; the congress must have its quorum (rules.md §4)."""
    session = resolution.session
    require_manage(actor, session)
    if mode not in Resolution.Mode.values:
        raise ValidationError(_("Choose how the delegates vote."))
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if resolution.status != Resolution.Status.DRAFT:
            raise ValidationError(_("Only a draft resolution is put to the vote."))
        if not session.is_open:
            raise ValidationError(_("The congress votes only while it is in session."))
        if not services.quorum(session).has_quorum:
            raise ValidationError(_("The congress has no quorum: a vote cannot be opened."))
        if resolution.kind == Resolution.Kind.CHARTER and not resolution.charter_versions.filter(
                status=CharterVersion.Status.DRAFT).exists():
            raise ValidationError(_("A charter amendment is voted on a draft of the charter."))
        resolution.status = Resolution.Status.VOTING
        resolution.mode = mode
        resolution.opened_at = now or timezone.now()
        resolution.save(update_fields=["status", "mode", "opened_at"])
    return resolution


def cast_vote(user, resolution: Resolution, choice: str) -> ResolutionVote:
    """A seated delegate present in the hall votes on their phone; voting again replaces the vote."""
    session = resolution.session
    delegate = delegate_of(user, session)
    if delegate is None:
        raise PermissionDenied
    if choice not in ResolutionVote.Choice.values:
        raise ValidationError(_("Vote for, against or abstain."))
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if resolution.status != Resolution.Status.VOTING or resolution.mode != Resolution.Mode.PHONES:
            raise ValidationError(_("This resolution is not open for voting on phones."))
        if not services.present_delegates(session).filter(pk=delegate.pk).exists():
            raise ValidationError(_("Only delegates present in the hall vote. Check in first."))
        vote, _created = ResolutionVote.objects.update_or_create(
            university_id=session.university_id, resolution=resolution, delegate=delegate,
            defaults={"choice": choice})
    return vote


def my_vote(user, resolution: Resolution) -> ResolutionVote | None:
    delegate = delegate_of(user, resolution.session)
    if delegate is None:
        return None
    return ResolutionVote.objects.filter(resolution=resolution, delegate=delegate).first()


def enter_counts(actor, resolution: Resolution, *, votes_for: int, votes_against: int,
                 votes_abstain: int) -> Resolution:
    """The chair enters the counted show of hands (entering again corrects the counts)."""
    session = resolution.session
    require_manage(actor, session)
    counts = [votes_for, votes_against, votes_abstain]
    if any(n is None or n < 0 for n in counts):
        raise ValidationError(_("Counts are whole numbers of at least 0."))
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if resolution.status != Resolution.Status.VOTING or resolution.mode != Resolution.Mode.HANDS:
            raise ValidationError(_("Counts are entered for a show of hands while the vote is open."))
        present = services.quorum(session).present
        if sum(counts) > present:
            raise ValidationError(_("%(votes)s votes are more than the %(present)s delegates present.") % {
                "votes": sum(counts), "present": present})
        resolution.votes_for, resolution.votes_against, resolution.votes_abstain = counts
        resolution.save(update_fields=["votes_for", "votes_against", "votes_abstain"])
    return resolution


def vote_counts(resolution: Resolution) -> dict:
    counts = resolution.votes.aggregate(
        votes_for=Count("pk", filter=Q(choice="for")), votes_against=Count("pk", filter=Q(choice="against")),
        votes_abstain=Count("pk", filter=Q(choice="abstain")))
    return counts


def close_vote(actor, resolution: Resolution, *, now=None) -> Resolution:
    """Close the vote and decide. The delegates present are those checked in at the close,
    together with any who voted on their phone and left the hall afterwards (they were present
    when they voted). A charter amendment that passes puts its draft into force."""
    session = resolution.session
    require_manage(actor, session)
    now = now or timezone.now()
    with transaction.atomic():
        resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
        if resolution.status != Resolution.Status.VOTING:
            raise ValidationError(_("Only a vote in progress is closed."))
        present_ids = set(services.present_delegates(session).values_list("pk", flat=True))
        if resolution.mode == Resolution.Mode.PHONES:
            for key, value in vote_counts(resolution).items():
                setattr(resolution, key, value)
            present_ids |= set(resolution.votes.values_list("delegate_id", flat=True))
        present = len(present_ids)
        if resolution.votes_for + resolution.votes_against + resolution.votes_abstain > present:
            raise ValidationError(_("There are more votes than delegates present; correct the counts."))
        strict = resolution.kind != Resolution.Kind.CHARTER
        resolution.present = present
        resolution.passed = resolution_passes(resolution.votes_for, present, session.share(resolution.share_field),
                                              strict=strict)
        resolution.status = Resolution.Status.CLOSED
        resolution.closed_at = now
        resolution.save()
        if resolution.kind == Resolution.Kind.CHARTER and resolution.passed:
            draft = resolution.charter_versions.filter(status=CharterVersion.Status.DRAFT).first()
            if draft is not None:
                _adopt(draft, timezone.localdate(now))
    return resolution


def latest_result(session: CongressSession) -> Resolution | None:
    """The resolution being voted now, or else the last one decided (for the projector)."""
    voting = session.resolutions.filter(status=Resolution.Status.VOTING).order_by("-opened_at", "-pk").first()
    return voting or session.resolutions.filter(status=Resolution.Status.CLOSED).order_by("-closed_at", "-pk").first()


# Charter ---------------------------------------------------------------------------------

def current_charter(union: Union) -> CharterVersion | None:
    return CharterVersion.objects.filter(union=union, status=CharterVersion.Status.ADOPTED).first()


def draft_charter(actor, session: CongressSession, *, text: str | None = None) -> CharterVersion:
    """A new draft of the union's charter, starting from the version in force."""
    require_manage(actor, session)
    union = session.union
    with transaction.atomic():
        Union.objects.select_for_update().get(pk=union.pk)
        current = current_charter(union)
        last = CharterVersion.objects.filter(union=union).aggregate(n=Max("number"))["n"] or 0
        return CharterVersion.objects.create(
            university_id=union.university_id, union=union, number=last + 1,
            text=text if text is not None else (current.text if current else ""), based_on=current,
            created_by=actor)


def edit_charter_draft(actor, session: CongressSession, version: CharterVersion, text: str) -> CharterVersion:
    require_manage(actor, session)
    if version.union_id != session.union_id:
        raise PermissionDenied
    with transaction.atomic():
        version = CharterVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != CharterVersion.Status.DRAFT or (
                version.resolution_id and version.resolution.status != Resolution.Status.DRAFT):
            raise ValidationError(_("Only a draft not yet put to the vote can be edited."))
        version.text = text or ""
        version.save(update_fields=["text"])
    return version


def propose_charter_amendment(actor, session: CongressSession, version: CharterVersion, *,
                              title: str = "", agenda_item: AgendaItem | None = None) -> Resolution:
    """The charter resolution that puts the draft to the congress."""
    require_manage(actor, session)
    if version.union_id != session.union_id:
        raise PermissionDenied
    with transaction.atomic():
        version = CharterVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != CharterVersion.Status.DRAFT:
            raise ValidationError(_("Only a draft is put to the vote."))
        if version.resolution_id and version.resolution.status != Resolution.Status.CLOSED:
            return version.resolution
        resolution = create_resolution(
            actor, session, kind=Resolution.Kind.CHARTER, agenda_item=agenda_item,
            title=title or _("Amendment of the charter (version %(number)s)") % {"number": version.number})
        version.resolution = resolution
        version.save(update_fields=["resolution"])
    return resolution


def _adopt(version: CharterVersion, on: date) -> None:
    CharterVersion.objects.filter(union_id=version.union_id, status=CharterVersion.Status.ADOPTED).update(
        status=CharterVersion.Status.SUPERSEDED)
    CharterVersion.objects.filter(pk=version.pk).update(status=CharterVersion.Status.ADOPTED, adopted_on=on)


def charter_diff(old: str, new: str) -> list[dict]:
    """A readable line diff for the page: each row is {"op": "same"|"del"|"ins"|"change", "old",
    "new", "parts"}; a changed line carries word-level parts [(op, text)] for <del>/<ins>."""
    import difflib

    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [{"op": "same", "text": line} for line in old_lines[i1:i2]]
        elif op == "delete":
            rows += [{"op": "del", "text": line} for line in old_lines[i1:i2]]
        elif op == "insert":
            rows += [{"op": "ins", "text": line} for line in new_lines[j1:j2]]
        else:
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                rows.append({"op": "change", "parts": _char_diff(old_lines[i1 + k], new_lines[j1 + k])})
            rows += [{"op": "del", "text": line} for line in old_lines[i1 + pairs:i2]]
            rows += [{"op": "ins", "text": line} for line in new_lines[j1 + pairs:j2]]
    return rows


def _char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level parts of a changed line (Chinese has no spaces between words)."""
    import difflib

    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", old[i1:i2]))
        else:
            if i2 > i1:
                parts.append(("del", old[i1:i2]))
            if j2 > j1:
                parts.append(("ins", new[j1:j2]))
    return parts
