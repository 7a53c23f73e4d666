"""Every state change of a rights case (issue 4): intake, joining, routing moves, transfer to an
office, answer, rating, merge, publication and the clock's escalations. Pages, the API and the
clock sweep all call these functions; each checks permission, writes in one transaction, records
the step in the case history and notifies the student and handlers after commit.

Status flow (`Case.TRANSITIONS`): submitted → accepted → in progress / transferred → answered →
closed, or reopened once when the student is unsatisfied; duplicates end as merged.
"""
import datetime
import hashlib
import hmac
import io
import logging
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Role, RoleAssignment, Student
from tongxue.core.scope import scope_of
from tongxue.domain import sla

from . import routing
from .clock import calendar_for, clock_of, deadlines_for
from .models import Case, CaseEvent, CasePhoto, CaseSupporter, Category, Level, Office
from .privacy import can_handle, is_office_staff, is_submitter

log = logging.getLogger(__name__)

DOUBLE_SUBMIT_WINDOW = datetime.timedelta(minutes=1)
DEDUP_KEY_LIFETIME = datetime.timedelta(minutes=10)
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_MAX_SIDE = 1600


class CaseError(ValidationError):
    """A refused step with a translated reason (shown next to the form)."""


# --- helpers -------------------------------------------------------------------------------------

def _now(now):
    return now or timezone.now()


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def dedup_key(student_id: int, title: str, description: str) -> str:
    """A keyed hash of (student, text): equal for a double submit, meaningless without the key,
    and erased after DEDUP_KEY_LIFETIME so that it cannot later tie an anonymous case to anyone."""
    message = f"{student_id}|{_normalised(title)}|{_normalised(description)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def follow_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _event(case: Case, kind: str, *, actor=None, text: str = "", office=None, is_internal=False, now=None):
    return CaseEvent.objects.create(
        university_id=case.university_id, case=case, kind=kind, actor=actor, status=case.status, level=case.level,
        union=case.union, office=office, text=text, is_internal=is_internal, created=_now(now),
    )


def _student_of(user) -> Student | None:
    student_id = scope_of(user).own_student_id
    return Student.objects.filter(pk=student_id).select_related("college__campus").first() if student_id else None


def league_teachers(case: Case):
    """League teachers who guide the case's body: of its college for class and college level (the
    school-wide ones when the college has none), school-wide for campus and school level."""
    from tongxue.core.models import User

    assignments = RoleAssignment.objects.filter(university_id=case.university_id, role=Role.LEAGUE_TEACHER)
    if case.level in (Level.CLASS, Level.COLLEGE) and case.college_id:
        users = User.objects.filter(pk__in=assignments.filter(college_id=case.college_id).values("user_id"),
                                    is_active=True)
        if users.exists():
            return list(users)
    return list(User.objects.filter(pk__in=assignments.filter(college__isnull=True).values("user_id"),
                                    is_active=True))


def _students_users(case: Case) -> list:
    users = []
    if case.submitter_id and case.submitter.user_id and case.identity != Case.Identity.ANONYMOUS:
        users.append(case.submitter.user)
    supporters = CaseSupporter.objects.filter(case=case, student__user__isnull=False).select_related("student__user")
    users += [s.student.user for s in supporters]
    return users


def _handlers(case: Case) -> list:
    users = [case.handler] if case.handler_id else []
    if case.office_id:
        users += list(case.office.staff.filter(is_active=True))
    return users


def _notify(case: Case, kind: str, title, recipients, *, exclude=None):
    from tongxue.notifications.services import notify

    body = format_lazy("{ref} {title}", ref=case.reference, title=case.title)
    notify([u for u in recipients if u is not None and u != exclude], kind=f"case_{kind}", title=title, body=body,
           url=reverse("rights:case", args=[case.pk]), university_id=case.university_id)


def _move(case: Case, status: str) -> None:
    if not case.can_move_to(status):
        raise CaseError(format_lazy(_("A case that is {current} cannot become {new}."),
                                    current=case.get_status_display(), new=Case.Status(status).label))
    case.status = status


def _locked(case: Case) -> Case:
    """The case re-read under a row lock: concurrent steps see each other's result."""
    return Case.objects.select_for_update(of=("self",)).select_related(
        "submitter__user", "office", "handler", "union", "college", "category").get(pk=case.pk)


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


# --- photos --------------------------------------------------------------------------------------

def clean_photo(upload) -> ContentFile:
    """A JPEG re-encoding of an uploaded image: EXIF (with any GPS position) dropped, oriented,
    at most PHOTO_MAX_SIDE pixels on its long side. Raises CaseError for anything else."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > MAX_PHOTO_BYTES:
        raise CaseError(_("A photo may be at most 8 MB."), code="photo_size")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise CaseError(_("This file is not a photo we can read (JPEG, PNG, WebP or HEIC saved as JPEG)."),
                        code="photo_format")
    content = ContentFile(out.getvalue(), name="photo.jpg")
    content.image_size = image.size
    return content


def _attach_photos(case: Case, photos) -> None:
    for content in photos:
        photo = CasePhoto(university_id=case.university_id, case=case,
                          width=content.image_size[0], height=content.image_size[1])
        photo.image.save("photo.jpg", content, save=False)
        photo.save()


# --- intake --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Submission:
    case: Case
    created: bool
    follow_token: str = ""     # shown once to the submitter of an anonymous case


def _new_case(*, university_id, category: Category, title, description, place, identity, student: Student | None,
              keep_submitter: bool, photos_public: bool, channel, now) -> Case:
    if category.university_id != university_id or not category.is_active:
        raise CaseError(_("Choose a category from the list."), code="category")
    college = student.college if student else None
    case = Case(
        university_id=university_id, category=category, title=title.strip(), description=description.strip(),
        place=place.strip(), identity=identity, channel=channel,
        submitter=student if keep_submitter else None,
        college=college, campus=college.campus if college else None,
        student_class_id=student.student_class_id if student else None,
        submitted_at=now, is_public=not category.is_sensitive, photos_public=photos_public,
    )
    body = routing.initial_body(case, is_graduate=student.is_graduate if student else None)
    case.level, case.union, case.handler = body.level, body.union, body.handler
    return case


def submit_case(user, *, category: Category, title: str, description: str, place: str = "",
                identity: str = Case.Identity.HIDDEN, photos=(), photos_public: bool = False,
                now=None) -> Submission:
    """A student files a case online. The same text from the same student within a minute
    returns the case already filed (a double tap, a retried request) instead of a second one."""
    now = _now(now)
    student = _student_of(user)
    _require(student is not None and student.is_enrolled)
    if identity not in Case.Identity.values:
        raise CaseError(_("Choose how your identity is shown."), code="identity")
    if len(photos) > MAX_PHOTOS:
        raise CaseError(format_lazy(_("At most {n} photos."), n=MAX_PHOTOS), code="photo_count")
    cleaned = [clean_photo(p) for p in photos]
    key = dedup_key(student.pk, title, description)
    with transaction.atomic():
        Student.objects.select_for_update().filter(pk=student.pk).first()  # one submit at a time per student
        existing = Case.objects.filter(university_id=student.university_id, dedup_key=key,
                                       submitted_at__gte=now - DOUBLE_SUBMIT_WINDOW).first()
        if existing is not None:
            return Submission(existing, created=False)
        anonymous = identity == Case.Identity.ANONYMOUS
        case = _new_case(university_id=student.university_id, category=category, title=title,
                         description=description, place=place, identity=identity, student=student,
                         keep_submitter=not anonymous, photos_public=photos_public, channel=Case.Channel.ONLINE,
                         now=now)
        case.dedup_key = key
        token = ""
        if anonymous:
            token = secrets.token_urlsafe(18)
            case.follow_token_hash = follow_token_hash(token)
        case.full_clean(exclude=["level", "submitted_at"])
        case.save()
        _attach_photos(case, cleaned)
        _event(case, CaseEvent.Kind.SUBMITTED, actor=None if anonymous else user, now=now)
        _notify(case, "submitted", _("A new case was routed to you"), _handlers(case))
    return Submission(case, created=True, follow_token=token)


def can_log_offline(user) -> bool:
    scope = scope_of(user)
    return scope.is_cadre or bool(scope.student_class_ids) or scope.is_league or scope.is_admin


def log_offline_case(user, *, student: Student | None, consent: bool, source: str, category: Category,
                     title: str, description: str, place: str = "", identity: str = Case.Identity.HIDDEN,
                     now=None) -> Case:
    """A cadre records a case heard at a stall, a forum or in direct contact, with the student's
    consent. Without a named student (or with identity anonymous) no student is stored."""
    now = _now(now)
    _require(can_log_offline(user))
    if not consent:
        raise CaseError(_("Record the student's consent before logging their case."), code="consent")
    if source not in Case.Source.values:
        raise CaseError(_("Say where the case was heard."), code="source")
    if student is not None:
        _require(Student.objects.visible_to(user).filter(pk=student.pk).exists())
    university_id = student.university_id if student else user.university_id
    _require(university_id is not None)
    if identity == Case.Identity.ANONYMOUS:
        student_for_routing, keep = student, False
    else:
        student_for_routing, keep = student, student is not None
        if student is None:
            identity = Case.Identity.ANONYMOUS
    with transaction.atomic():
        case = _new_case(university_id=university_id, category=category, title=title, description=description,
                         place=place, identity=identity, student=student_for_routing, keep_submitter=keep,
                         photos_public=False, channel=Case.Channel.OFFLINE, now=now)
        case.source, case.logged_by = source, user
        case.full_clean(exclude=["level", "submitted_at"])
        case.save()
        _event(case, CaseEvent.Kind.LOGGED, actor=user, text=Case.Source(source).label, now=now)
        _notify(case, "submitted", _("A new case was routed to you"), _handlers(case), exclude=user)
        if keep:
            _notify(case, "logged", _("Your case was recorded by the union"), _students_users(case))
    return case


def similar_open_cases(university_id: int, text: str, *, category: Category | None = None, limit: int = 5,
                       candidates: int = 400):
    """Open public cases like `text` (issue 4, item 1: shown before submitting, to join instead)."""
    from tongxue.domain.keywords import rank_similar

    pool = Case.objects.filter(university_id=university_id, status__in=Case.OPEN, is_public=True)
    if category is not None:
        pool = pool.filter(category=category)
    pool = list(pool.order_by("-submitted_at").only("pk", "title", "description", "status", "supporter_count",
                                                      "submitted_at", "category_id")[:candidates])
    by_pk = {c.pk: c for c in pool}
    ranked = rank_similar(text, ((c.pk, f"{c.title} {c.description}") for c in pool), limit=limit)
    return [by_pk[pk] for pk, _score in ranked]


def join_case(user, case: Case, now=None) -> bool:
    """我也遇到: a student says they met the same problem. Returns False when already counted."""
    now = _now(now)
    student = _student_of(user)
    _require(student is not None and student.university_id == case.university_id)
    if case.submitter_id == student.pk:
        return False
    with transaction.atomic():
        current = _locked(case)   # the status now, not as the caller read it
        if current.is_finished or not (current.is_public
                                       or Case.objects.visible_to(user).filter(pk=case.pk).exists()):
            raise CaseError(_("This case can no longer be joined."), code="join_closed")
        _supporter, created = CaseSupporter.objects.get_or_create(university_id=case.university_id, case=case,
                                                                  student=student)
        if created:
            Case.objects.filter(pk=case.pk).update(supporter_count=F("supporter_count") + 1)
            case.refresh_from_db(fields=["supporter_count"])
            _event(case, CaseEvent.Kind.JOINED, now=now)
    return created


# --- handling ------------------------------------------------------------------------------------

def accept_case(user, case: Case, note: str = "", now=None) -> Case:
    now = _now(now)
    _require(can_handle(user, case))
    with transaction.atomic():
        case = _locked(case)
        _move(case, Case.Status.ACCEPTED)
        case.accepted_at = case.accepted_at or now
        if case.handler_id is None or not can_handle(case.handler, case):
            case.handler = user
        case.save()
        _event(case, CaseEvent.Kind.ACCEPTED, actor=user, text=note, now=now)
        _notify(case, "accepted", format_lazy(_("Case {ref} was accepted"), ref=case.reference),
                _students_users(case))
    return case


def start_work(user, case: Case, note: str = "", now=None) -> Case:
    now = _now(now)
    _require(can_handle(user, case) or is_office_staff(user, case))
    with transaction.atomic():
        case = _locked(case)
        returned = case.status == Case.Status.TRANSFERRED
        _move(case, Case.Status.IN_PROGRESS)
        case.accepted_at = case.accepted_at or now
        if returned:
            office, case.office = case.office, None
        case.save()
        if returned:
            _event(case, CaseEvent.Kind.RETURNED, actor=user, text=note, office=office, now=now)
            _notify(case, "returned", format_lazy(_("Case {ref} came back from {office}"), ref=case.reference,
                                                  office=office.name), _handlers(case), exclude=user)
        else:
            _event(case, CaseEvent.Kind.STARTED, actor=user, text=note, now=now)
        _notify(case, "in_progress", format_lazy(_("Case {ref} is being worked on"), ref=case.reference),
                _students_users(case))
    return case


def move_case(user, case: Case, direction: str, note: str = "", now=None) -> Case:
    """Move a case one level up (e.g. a class cannot solve it) or down (closer to the student)."""
    now = _now(now)
    _require(can_handle(user, case))
    with transaction.atomic():
        case = _locked(case)
        if not case.is_open or case.status == Case.Status.TRANSFERRED:
            raise CaseError(_("Only a case the union is handling can change level."), code="move_status")
        body = routing.body_above(case) if direction == "up" else routing.body_below(case)
        if body is None:
            raise CaseError(_("There is no level to move this case to."), code="move_none")
        case.level, case.union, case.handler = body.level, body.union, body.handler
        case.save()
        _event(case, CaseEvent.Kind.MOVED, actor=user, text=note, now=now)
        _notify(case, "moved", format_lazy(_("Case {ref} was passed to you"), ref=case.reference),
                _handlers(case), exclude=user)
    return case


def transfer_case(user, case: Case, office: Office, note: str = "", now=None) -> Case:
    """转办: hand the case to the university office responsible for it."""
    now = _now(now)
    _require(can_handle(user, case))
    if office.university_id != case.university_id or not office.is_active:
        raise CaseError(_("Choose an office of this university."), code="office")
    with transaction.atomic():
        case = _locked(case)
        _move(case, Case.Status.TRANSFERRED)
        case.accepted_at = case.accepted_at or now
        case.office = office
        case.save()
        _event(case, CaseEvent.Kind.TRANSFERRED, actor=user, text=note, office=office, now=now)
        _notify(case, "transferred", format_lazy(_("Case {ref} was transferred to {office}"), ref=case.reference,
                                                 office=office.name), _students_users(case))
        _notify(case, "transferred_in", format_lazy(_("New case {ref} for {office}"), ref=case.reference,
                                                    office=office.name), list(office.staff.filter(is_active=True)))
    return case


def answer_case(user, case: Case, text: str, now=None) -> Case:
    """The answer to the student, by the handling union or by the office the case was transferred to."""
    now = _now(now)
    as_office = is_office_staff(user, case) and case.status == Case.Status.TRANSFERRED
    _require(as_office or can_handle(user, case))
    if not text.strip():
        raise CaseError(_("Write the answer."), code="answer_empty")
    with transaction.atomic():
        case = _locked(case)
        _move(case, Case.Status.ANSWERED)
        case.accepted_at = case.accepted_at or now
        case.answered_at = case.answered_at or now
        case.answer = text.strip()
        case.answered_by_office = case.office if as_office else None
        case.save()
        _event(case, CaseEvent.Kind.ANSWERED, actor=user, text=case.answer,
               office=case.office if as_office else None, now=now)
        _notify(case, "answered", format_lazy(_("Case {ref} has an answer: please rate it"), ref=case.reference),
                _students_users(case))
        _notify(case, "answered_handler", format_lazy(_("Case {ref} was answered"), ref=case.reference),
                _handlers(case), exclude=user)
    return case


def close_case(user, case: Case, note: str = "", now=None) -> Case:
    """办结 by the union after an answer the student has not rated."""
    now = _now(now)
    _require(can_handle(user, case))
    with transaction.atomic():
        case = _locked(case)
        _move(case, Case.Status.CLOSED)
        case.closed_at = now
        case.save()
        _event(case, CaseEvent.Kind.CLOSED, actor=user, text=note, now=now)
        _notify(case, "closed", format_lazy(_("Case {ref} was closed"), ref=case.reference), _students_users(case))
    return case


def can_rate(user, case: Case, token: str = "") -> bool:
    if token and case.follow_token_hash and hmac.compare_digest(follow_token_hash(token), case.follow_token_hash):
        return True
    return is_submitter(user, case)


def rate_case(user, case: Case, satisfaction: str, comment: str = "", *, token: str = "", now=None) -> Case:
    """The student rates the answer. Satisfied or basically satisfied closes the case; unsatisfied
    reopens it the first time (and flags it to the League teacher), and closes it after that."""
    now = _now(now)
    _require(can_rate(user, case, token))
    if satisfaction not in Case.Satisfaction.values:
        raise CaseError(_("Choose how satisfied you are."), code="satisfaction")
    anonymous = case.identity == Case.Identity.ANONYMOUS
    with transaction.atomic():
        case = _locked(case)
        if case.status != Case.Status.ANSWERED:
            raise CaseError(_("Only an answered case can be rated."), code="rate_status")
        case.satisfaction, case.rating_comment, case.rated_at = satisfaction, comment.strip()[:500], now
        actor = None if anonymous else user
        _event(case, CaseEvent.Kind.RATED, actor=actor, text=f"{Case.Satisfaction(satisfaction).label} {comment}",
               now=now)
        if satisfaction == Case.Satisfaction.UNSATISFIED:
            case.is_flagged = True
            if case.reopen_count == 0:
                _move(case, Case.Status.REOPENED)
                case.reopen_count += 1
                case.save()
                _event(case, CaseEvent.Kind.REOPENED, actor=actor, now=now)
                _notify(case, "reopened", format_lazy(_("Case {ref} was reopened: the student is unsatisfied"),
                                                      ref=case.reference),
                        _handlers(case) + league_teachers(case), exclude=user)
                return case
            _notify(case, "unsatisfied", format_lazy(_("Case {ref} closed with an unsatisfied rating"),
                                                     ref=case.reference), _handlers(case) + league_teachers(case))
        _move(case, Case.Status.CLOSED)
        case.closed_at = now
        case.save()
        _event(case, CaseEvent.Kind.CLOSED, now=now)
        _notify(case, "closed", format_lazy(_("Case {ref} was closed"), ref=case.reference), _handlers(case))
    return case


def merge_case(user, duplicate: Case, into: Case, note: str = "", now=None) -> Case:
    """A duplicate joins the case it repeats: its student and supporters become supporters of
    `into` (and so hear its answer); the duplicate ends as merged."""
    now = _now(now)
    _require(can_handle(user, duplicate) and can_handle(user, into))
    if duplicate.pk == into.pk or duplicate.university_id != into.university_id:
        raise CaseError(_("Choose another case of this university to merge into."), code="merge_target")
    if into.is_finished:
        raise CaseError(_("The case to merge into is already finished."), code="merge_finished")
    with transaction.atomic():
        duplicate, into = _locked(duplicate), _locked(into)
        _move(duplicate, Case.Status.MERGED)
        duplicate.merged_into = into
        duplicate.closed_at = now
        duplicate.save()
        students = set(CaseSupporter.objects.filter(case=duplicate).values_list("student_id", flat=True))
        if duplicate.submitter_id:
            students.add(duplicate.submitter_id)
        students.discard(into.submitter_id)
        already = set(CaseSupporter.objects.filter(case=into).values_list("student_id", flat=True))
        new = students - already
        CaseSupporter.objects.bulk_create([CaseSupporter(university_id=into.university_id, case=into, student_id=s)
                                           for s in sorted(new)])
        # an anonymous duplicate's student is not known: it still counts once
        added = len(new) + (1 if duplicate.submitter_id is None else 0)
        Case.objects.filter(pk=into.pk).update(supporter_count=F("supporter_count") + added)
        _event(duplicate, CaseEvent.Kind.MERGED, actor=user, text=f"{into.reference} {note}".strip(), now=now)
        _event(into, CaseEvent.Kind.MERGED, actor=user, text=f"{duplicate.reference} {note}".strip(), now=now)
        _notify(duplicate, "merged", format_lazy(_("Case {ref} was merged into {target}: you will hear its answer"),
                                                 ref=duplicate.reference, target=into.reference),
                _students_users(duplicate))
    into.refresh_from_db()
    return into


def set_public(user, case: Case, is_public: bool, reason: str = "", now=None) -> Case:
    """Withhold a case from the public board (personal health or safety …) or publish it again."""
    now = _now(now)
    _require(can_handle(user, case))
    if not is_public and not reason.strip():
        raise CaseError(_("Say why the case is not public."), code="private_reason")
    with transaction.atomic():
        case = _locked(case)
        case.is_public, case.private_reason = is_public, "" if is_public else reason.strip()[:200]
        case.save()
        _event(case, CaseEvent.Kind.VISIBILITY, actor=user, text=case.private_reason, is_internal=True, now=now)
    return case


def add_note(user, case: Case, text: str, now=None) -> CaseEvent:
    """An internal note for the handlers (not shown to the student)."""
    _require(can_handle(user, case) or is_office_staff(user, case))
    if not text.strip():
        raise CaseError(_("Write the note."), code="note_empty")
    return _event(case, CaseEvent.Kind.NOTE, actor=user, text=text.strip(), is_internal=True, now=now)


# --- the clock sweep -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SweepResult:
    escalated: list            # (case id, stage)
    gaps: dict                 # university id → CalendarGap
    purged: int


def escalate_overdue(now=None) -> SweepResult:
    """Run by the worker every few minutes (the `rights_clock` command): every open case whose
    deadline passed is escalated once per stage — moved to the next level up when it is still with
    the union, flagged and announced to the League teacher. Also erases old double-submit keys.
    A university whose calendar lacks the year is reported (once a day) instead of guessed."""
    now = _now(now)
    purged = Case.objects.filter(submitted_at__lt=now - DEDUP_KEY_LIFETIME).exclude(dedup_key="").update(
        dedup_key="")
    escalated, gaps = [], {}
    pending = Case.objects.filter(status__in=(*Case.OPEN, Case.Status.ANSWERED)).only(
        "pk", "university_id", "submitted_at", "accepted_at", "answered_at", "closed_at", "status",
        "escalated_stages")
    calendars, deadlines = {}, {}
    for case in pending.iterator(chunk_size=2000):
        uid = case.university_id
        if uid in gaps:
            continue
        if uid not in calendars:
            calendars[uid], deadlines[uid] = calendar_for(uid), deadlines_for(uid)
        view = clock_of(case, now, calendar=calendars[uid], deadlines=deadlines[uid])
        if view.gap is not None:
            gaps[uid] = view.gap
            continue
        if view.clock.escalations_due:
            escalated += _escalate(case.pk, now, calendars[uid], deadlines[uid])
    for uid, gap in gaps.items():
        _report_gap(uid, gap, now)
    return SweepResult(escalated, gaps, purged)


def _escalate(case_pk: int, now, calendar, deadlines) -> list:
    done = []
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("submitter__user", "office", "handler").get(pk=case_pk)
        clock = sla.case_clock(_events_of(case), calendar, now, deadlines)
        stages = clock.escalations_due
        if not stages:
            return done
        labels = {sla.Stage.ACCEPT: _("accept"), sla.Stage.FIRST_ANSWER: _("first answer"),
                  sla.Stage.CLOSE: _("close")}
        moved = False
        teachers = league_teachers(case)   # of the level that missed the deadline
        if case.is_open and case.status != Case.Status.TRANSFERRED:
            body = routing.body_above(case)
            if body is not None:
                case.level, case.union, case.handler = body.level, body.union, body.handler
                moved = True
        case.escalated_stages = sorted({*case.escalated_stages, *(s.value for s in stages)})
        case.is_flagged = True
        case.save()
        for stage in stages:
            _event(case, CaseEvent.Kind.ESCALATED, text=str(labels[stage]), now=now)
            done.append((case.pk, stage.value))
        title = format_lazy(_("Overdue: case {ref} missed its deadline to {stage}"), ref=case.reference,
                            stage=labels[stages[0]])
        _notify(case, "escalated", title, _handlers(case) + teachers + (league_teachers(case) if moved else []))
        if moved:
            log.info("case %s escalated to %s", case.pk, case.level)
    return done


def _events_of(case: Case):
    from .clock import case_events

    return case_events(case)


def _report_gap(university_id: int, gap, now) -> None:
    """Tell the university's administrators and school-wide League teachers, once a day, that
    deadlines cannot be counted until the holiday schedule of the missing year is entered."""
    from django.core.cache import cache

    from tongxue.core.models import User
    from tongxue.notifications.services import notify

    key = f"rights:calendar-gap:{university_id}:{gap.year}:{now:%Y-%m-%d}"
    if not cache.add(key, 1, timeout=60 * 60 * 24):
        return
    log.error("rights desk: %s (university %s)", gap, university_id)
    users = User.objects.filter(
        is_active=True, pk__in=RoleAssignment.objects.filter(
            university_id=university_id, role__in=(Role.UNIVERSITY_ADMIN, Role.LEAGUE_TEACHER),
            college__isnull=True).values("user_id"))
    notify(list(users), kind="calendar_gap",
           title=format_lazy(_("Deadlines cannot be counted: enter the holiday schedule of {year}"), year=gap.year),
           url=reverse("calendar:page"), university_id=university_id)
