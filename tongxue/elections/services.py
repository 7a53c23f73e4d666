"""Every state change of an election (rules.md §5). Each checks permission, writes in one
transaction and leaves an audit entry (elections/audit.py: elections, candidates, officials and
paper entries; never ballots or voter records). Counting is `domain.tally.count`, always.

Flow: draft → open (online: blank ballots issued to the delegates present; paper: sheets handed
out) → online: close = count → counted; paper: close → counting (double entry by two tellers)
→ accept count → counted → (all scrutineers signed off) publish → published. A count whose
returned ballots exceed those issued makes the election void; it can be repeated.
"""
import math
import random
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxue.congress.models import CongressSession, Delegate
from tongxue.congress.permissions import can_manage, delegate_of, require_manage
from tongxue.congress.services import present_delegates
from tongxue.core.models import Student
from tongxue.domain import tally
from tongxue.domain.strokes import stroke_key
from tongxue.notifications.services import notify

from .models import Ballot, Candidate, Election, Official, PaperEntry, VoterRecord, new_receipt

MARK_CODES = {tally.Mark.FOR: "F", tally.Mark.AGAINST: "A", tally.Mark.ABSTAIN: "-"}
MAX_WRITE_INS = 5


class ElectionError(ValidationError):
    """A refused step with a translated reason."""


# --- helpers -------------------------------------------------------------------------------------

def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _require_status(election: Election, *statuses) -> None:
    if election.status not in statuses:
        raise ElectionError(_("Not possible while the election is “%(status)s”.") % {
            "status": election.get_status_display()})


def is_official(user, election: Election, *roles) -> bool:
    if not user or not user.is_authenticated:
        return False
    return Official.objects.filter(election=election, user=user, role__in=roles).exists()


def teller_copy(user, election: Election) -> str | None:
    """Which copy ("A" or "B") the account enters, if it is a teller of the election."""
    roles = set(Official.objects.filter(election=election, user=user, role__in=[
        Official.Role.TELLER_A, Official.Role.TELLER_B]).values_list("role", flat=True)) if user.is_authenticated else set()
    if Official.Role.TELLER_A in roles:
        return PaperEntry.Copy.A
    if Official.Role.TELLER_B in roles:
        return PaperEntry.Copy.B
    return None


def _approved_application(session: CongressSession, student: Student):
    """The student's application as presidium candidate approved by the whole chain (rules.md §3)
    in a recruitment of the session's union, if any."""
    from tongxue.cadres.models import Application, PositionType

    return Application.objects.filter(
        university_id=session.university_id, student=student, recruitment__union=session.union,
        position_type=PositionType.PRESIDIUM,
        status__in=[Application.Status.PASSED, Application.Status.APPOINTED],
    ).order_by("-submitted_at").first()


def approved_presidium_students(session: CongressSession):
    """Students whose presidium candidacy passed the approval chain for the session's union."""
    from tongxue.cadres.models import Application, PositionType

    ids = Application.objects.filter(
        university_id=session.university_id, recruitment__union=session.union, position_type=PositionType.PRESIDIUM,
        status__in=[Application.Status.PASSED, Application.Status.APPOINTED],
    ).values("student_id")
    return Student.objects.filter(pk__in=ids)


# --- setting up ------------------------------------------------------------------------------------

def create_election(actor, session: CongressSession, *, title: str, seats: int, kind=Election.Kind.PRESIDIUM,
                    mode=Election.Mode.ONLINE, majority_base=Election.MajorityBase.PRESENT, min_surplus="1/5",
                    agenda_item=None, runoff_of=None, follow_up="") -> Election:
    require_manage(actor, session)
    if seats < 1:
        raise ElectionError(_("An election needs at least one seat."))
    if agenda_item is not None and agenda_item.session_id != session.pk:
        raise ElectionError(_("The agenda item belongs to another session."))
    election = Election(
        university_id=session.university_id, session=session, title=title, seats=seats, kind=kind, mode=mode,
        majority_base=majority_base, min_surplus=min_surplus, agenda_item=agenda_item, runoff_of=runoff_of,
        follow_up=follow_up, created_by=actor)
    election.full_clean(exclude=["result", "candidate_order"])
    election.save()
    return election


def update_election(actor, election: Election, **fields) -> Election:
    require_manage(actor, election.session)
    _require_status(election, Election.Status.DRAFT)
    for name, value in fields.items():
        setattr(election, name, value)
    election.full_clean(exclude=["result", "candidate_order"])
    election.save()
    return election


def _reorder(election: Election) -> None:
    """Number the listed candidates in surname stroke order and give them their tally keys."""
    listed = list(election.candidates.filter(is_write_in=False))
    listed.sort(key=lambda c: stroke_key(c.name))
    for position, candidate in enumerate(listed, start=1):
        candidate.order = position
    Candidate.objects.bulk_update(listed, ["order"])


def _disambiguate(election: Election) -> None:
    """tally needs distinct names on a ballot: namesakes get their college added."""
    listed = list(election.candidates.filter(is_write_in=False).select_related("student__college"))
    by_name: dict[str, list[Candidate]] = {}
    for candidate in listed:
        base = candidate.student.name if candidate.student_id else candidate.name
        by_name.setdefault(tally.normalise_name(base), []).append(candidate)
    for group in by_name.values():
        for candidate in group:
            if candidate.student_id:
                name = candidate.student.name
                if len(group) > 1:
                    name = f"{name}（{candidate.student.college.name if candidate.student.college_id else candidate.student.student_no}）"
                if name != candidate.name:
                    candidate.name = name
                    candidate.save(update_fields=["name"])


def set_candidates(actor, election: Election, students) -> list[Candidate]:
    """Replace the list of candidates (draft elections only), sorted by surname strokes. For a
    presidium election each candidate is linked to their approved application where there is one."""
    require_manage(actor, election.session)
    students = list(dict.fromkeys(students))
    for student in students:
        if student.university_id != election.university_id:
            raise ElectionError(_("Candidates come from the same university."))
    with transaction.atomic():
        election = _lock(election)
        _require_status(election, Election.Status.DRAFT)
        election.candidates.all().delete()
        Candidate.objects.bulk_create([
            Candidate(university_id=election.university_id, election=election, student=student, name=student.name,
                      key=f"s{student.pk}",
                      application=_approved_application(election.session, student)
                      if election.kind == Election.Kind.PRESIDIUM else None)
            for student in students
        ])
        _disambiguate(election)
        _reorder(election)
    return list(election.listed)


def candidate_problems(election: Election) -> list[str]:
    """Why the list of candidates cannot go to a vote (empty when it can)."""
    n = election.listed.count()
    problems = []
    if n == 0:
        problems.append(_("There are no candidates."))
    elif n < election.seats and election.follow_up == "":
        problems.append(_("There are fewer candidates (%(n)s) than seats (%(seats)s).") % {"n": n, "seats": election.seats})
    elif n > election.seats and election.follow_up == "" and n < election.minimum_candidates():
        problems.append(_("A competitive election for %(seats)s seats lists at least %(needed)s candidates "
                          "(surplus %(share)s); there are %(n)s.") % {
            "seats": election.seats, "needed": election.minimum_candidates(), "share": election.min_surplus, "n": n})
    return problems


def add_official(actor, election: Election, user, role: str) -> Official:
    """Choose a teller (committee members or delegates) or a scrutineer (a delegate who is not a
    candidate)."""
    require_manage(actor, election.session)
    if user.university_id != election.university_id:
        raise ElectionError(_("Tellers and scrutineers come from the same university."))
    if role not in Official.Role.values:
        raise ElectionError(_("Unknown role."))
    if role == Official.Role.SCRUTINEER:
        delegate = delegate_of(user, election.session)
        if delegate is None:
            raise ElectionError(_("A scrutineer is a delegate to the session."))
        if election.candidates.filter(student=delegate.student).exists():
            raise ElectionError(_("A candidate cannot be a scrutineer."))
    else:
        if not (delegate_of(user, election.session) or can_manage(user, election.session)):
            raise ElectionError(_("A teller is a member of the committee or a delegate."))
        other = Official.Role.TELLER_B if role == Official.Role.TELLER_A else Official.Role.TELLER_A
        if Official.objects.filter(election=election, user=user, role=other).exists():
            raise ElectionError(_("The two entries of each sheet are made by different tellers."))
    with transaction.atomic():
        official, created = Official.objects.get_or_create(
            university_id=election.university_id, election=election, user=user, role=role)
    if created:
        notify([user], kind="election_official", title=gettext_lazy("You are %(role)s of “%(title)s”"),
               url=reverse("elections:detail", args=[election.pk]), university_id=election.university_id,
               params={"role": official.get_role_display(), "title": election.title})
    return official


def remove_official(actor, official: Official) -> None:
    require_manage(actor, official.election.session)
    if official.signed_at:
        raise ElectionError(_("A scrutineer who signed off stays on record."))
    official.delete()


# --- opening and voting ----------------------------------------------------------------------------

def open_election(actor, election: Election, *, issued: int | None = None) -> Election:
    """Open the vote. Online: one blank ballot per delegate present, in random order, and a voter
    record each (issued = present). Paper: the sheets handed out (issued, default the delegates
    present)."""
    require_manage(actor, election.session)
    with transaction.atomic():
        election = _lock(election)
        _require_status(election, Election.Status.DRAFT)
        if not election.session.is_open:
            raise ElectionError(_("Votes are taken while the session is in session."))
        problems = candidate_problems(election)
        if problems:
            raise ElectionError(problems)
        present = list(present_delegates(election.session).values_list("pk", flat=True))
        if not present:
            raise ElectionError(_("No delegate is checked in."))
        election.present = len(present)
        election.due = Delegate.objects.filter(session=election.session, status=Delegate.Status.SEATED).count()
        election.candidate_order = [c.key for c in election.listed]
        if election.is_online:
            election.issued = len(present)
            random.SystemRandom().shuffle(present)
            VoterRecord.objects.bulk_create(
                [VoterRecord(university_id=election.university_id, election=election, delegate_id=pk)
                 for pk in sorted(present)], batch_size=500)
            receipts: set[str] = set()
            while len(receipts) < len(present):
                receipts.add(new_receipt())
            receipts = list(receipts)
            random.SystemRandom().shuffle(receipts)
            Ballot.objects.bulk_create([Ballot(university_id=election.university_id, election=election, receipt=r)
                                        for r in receipts], batch_size=500)
        else:
            election.issued = issued if issued is not None else len(present)
        election.status = Election.Status.OPEN
        election.opened_at = timezone.now()
        election.save()
    if election.is_online:
        recipients = [d.student.user for d in Delegate.objects.filter(pk__in=present).select_related("student__user")]
        notify(recipients, kind="election_open", title=gettext_lazy("Vote now: %(title)s"),
               url=reverse("elections:vote", args=[election.pk]), university_id=election.university_id,
               params={"title": election.title})
    return election


def ballot_problems(election: Election, marks: dict, write_ins) -> tuple[list[str], int]:
    """(warnings, for-votes) of a ballot as the voter filled it: too many FOR makes it void."""
    spec = election_spec(election)
    ballot = tally.Ballot(marks=marks, write_ins=tuple(write_ins))
    votes = tally.ballot_for_votes(spec, ballot)
    warnings = []
    if votes > election.seats:
        warnings.append(_("You marked %(votes)s people “for” but there are only %(seats)s seats: this ballot will "
                          "be void.") % {"votes": votes, "seats": election.seats})
    return warnings, votes


def parse_marks(election: Election, data) -> tuple[dict, list[str]]:
    """Marks and write-ins from a submitted form (`mark-<key>` = for/against/abstain, `write_in`
    fields); missing or unknown marks abstain."""
    marks = {}
    for key in election.candidate_order:
        value = data.get(f"mark-{key}", tally.Mark.ABSTAIN)
        marks[key] = tally.Mark(value) if value in tally.Mark._value2member_map_ else tally.Mark.ABSTAIN
    names = data.getlist("write_in") if hasattr(data, "getlist") else data.get("write_in", [])
    if isinstance(names, str):
        names = [names]
    write_ins = [tally.normalise_name(n)[:80] for n in names if tally.normalise_name(n)][:MAX_WRITE_INS]
    return marks, write_ins


def encode(election: Election, marks: dict) -> str:
    return "".join(MARK_CODES[tally.Mark(marks.get(key, tally.Mark.ABSTAIN))] for key in election.candidate_order)


def voting_refusal(user, election: Election) -> tuple[str, str] | None:
    """(code, reason) why the account cannot vote in this online election now; None when it can.
    Codes: paper, closed, session, not_delegate, not_issued, voted, absent."""
    if not election.is_online:
        return "paper", _("This election is by paper ballot.")
    if election.status != Election.Status.OPEN:
        return "closed", _("The vote is not open.")
    if not election.session.is_open:
        return "session", _("The session is not in session.")
    delegate = delegate_of(user, election.session)
    if delegate is None:
        return "not_delegate", _("Only the session's seated delegates vote.")
    record = VoterRecord.objects.filter(election=election, delegate=delegate).first()
    if record is None:
        return "not_issued", _("Only delegates present when the vote opened were issued a ballot.")
    if record.has_voted:
        return "voted", _("You have already voted.")
    if not present_delegates(election.session).filter(pk=delegate.pk).exists():
        return "absent", _("You are not checked in: check in at the session first.")
    return None


class AlreadyVoted(ElectionError):
    pass


def cast_ballot(user, election: Election, marks: dict, write_ins=()) -> str:
    """Cast the delegate's ballot; returns the receipt code (to show once, not stored against the
    voter). A second attempt raises AlreadyVoted and changes nothing."""
    election = Election.objects.select_related("session").get(pk=election.pk)
    refusal = voting_refusal(user, election)
    if refusal is not None:
        code, reason = refusal
        if code == "voted":
            raise AlreadyVoted(reason)
        if code == "not_delegate":
            raise PermissionDenied(reason)
        raise ElectionError(reason, code=code)
    code = encode(election, marks)
    names = [tally.normalise_name(n)[:80] for n in write_ins if tally.normalise_name(n)][:MAX_WRITE_INS]
    delegate = delegate_of(user, election.session)
    for _attempt in range(20):
        with transaction.atomic():
            claimed = VoterRecord.objects.filter(election=election, delegate=delegate, has_voted=False).update(
                has_voted=True)
            if claimed != 1:
                raise AlreadyVoted(_("You have already voted."))
            if not Election.objects.filter(pk=election.pk, status=Election.Status.OPEN).exists():
                raise ElectionError(_("The vote is not open."))
            blank = list(Ballot.objects.filter(election=election, is_cast=False).order_by().values_list(
                "pk", flat=True)[:64])
            if not blank:
                raise ElectionError(_("No ballot is left."))
            slot = secrets.choice(blank)
            filled = Ballot.objects.filter(pk=slot, is_cast=False).update(is_cast=True, marks=code, write_ins=names)
            if filled == 1:
                return Ballot.objects.values_list("receipt", flat=True).get(pk=slot)
            transaction.set_rollback(True)
    raise ElectionError(_("Too many votes at once: try again."))


# --- paper ballots -------------------------------------------------------------------------------------

def enter_sheet(user, election: Election, sheet: int, marks: dict, write_ins=()) -> PaperEntry:
    """A teller enters one paper sheet (their copy, A or B); re-entering replaces their entry."""
    copy = teller_copy(user, election)
    if copy is None:
        raise PermissionDenied
    if sheet < 1:
        raise ElectionError(_("Sheets are numbered from 1."))
    names = [tally.normalise_name(n)[:80] for n in write_ins if tally.normalise_name(n)][:MAX_WRITE_INS]
    with transaction.atomic():
        election = _lock(election)
        _require_status(election, Election.Status.COUNTING)
        entry, _created = PaperEntry.objects.update_or_create(
            university_id=election.university_id, election=election, sheet=sheet, copy=copy,
            defaults={"marks": encode(election, marks), "write_ins": names, "entered_by": user})
    return entry


def mismatches(election: Election) -> list[dict]:
    """Sheets whose two entries differ, or that were entered only once."""
    entries: dict[int, dict[str, PaperEntry]] = {}
    for entry in PaperEntry.objects.filter(election=election):
        entries.setdefault(entry.sheet, {})[entry.copy] = entry
    problems = []
    for sheet in sorted(entries):
        copies = entries[sheet]
        a, b = copies.get("A"), copies.get("B")
        if a is None or b is None:
            problems.append({"sheet": sheet, "a": a, "b": b, "reason": "once"})
        elif a.marks != b.marks or sorted(a.write_ins) != sorted(b.write_ins):
            problems.append({"sheet": sheet, "a": a, "b": b, "reason": "differ"})
    return problems


def paper_ballots(election: Election) -> list[tally.Ballot]:
    order = tuple(election.candidate_order)
    return [tally.Ballot(tally.CompactMarks(order, e.marks), tuple(e.write_ins), f"{e.sheet:04d}")
            for e in PaperEntry.objects.filter(election=election, copy=PaperEntry.Copy.A).order_by("sheet")]


# --- closing and counting ---------------------------------------------------------------------------

def election_spec(election: Election) -> tally.ElectionSpec:
    by_key = {c.key: c for c in election.candidates.filter(is_write_in=False)}
    order = election.candidate_order or [c.key for c in election.listed]
    return tally.ElectionSpec(
        title=election.title, seats=election.seats,
        candidates=tuple(tally.Candidate(key, by_key[key].name) for key in order),
        issued=election.issued or 0, present=election.present or 0, due=election.due or 0,
        majority_base=tally.MajorityBase(election.majority_base))


def ballots_of(election: Election) -> list[tally.Ballot]:
    if not election.is_online:
        return paper_ballots(election)
    order = tuple(election.candidate_order)
    return [tally.Ballot(tally.CompactMarks.trusted(order, marks), tuple(write_ins), receipt)
            for receipt, marks, write_ins in Ballot.objects.filter(election=election, is_cast=True).values_list(
                "receipt", "marks", "write_ins").iterator(chunk_size=2000)]


def _store_count(election: Election) -> tally.Result:
    result = tally.count(election_spec(election), ballots_of(election))
    election.result = result.to_dict()
    election.status = Election.Status.VOID if result.is_void else Election.Status.COUNTED
    votes = {row.key: row.for_ for row in result.rows}
    for candidate in election.candidates.filter(is_write_in=False):
        candidate.votes_for = votes.get(candidate.key, 0)
        candidate.save(update_fields=["votes_for"])
    return result


def close_election(actor, election: Election) -> Election:
    """Close the vote. Online: count at once. Paper: tellers now enter the sheets."""
    require_manage(actor, election.session)
    with transaction.atomic():
        election = _lock(election)
        _require_status(election, Election.Status.OPEN)
        election.closed_at = timezone.now()
        if election.is_online:
            _store_count(election)
        else:
            election.status = Election.Status.COUNTING
        election.save()
    if not election.is_online:
        tellers = [o.user for o in election.officials.exclude(role=Official.Role.SCRUTINEER).select_related("user")]
        notify(tellers, kind="election_count", title=gettext_lazy("Enter the paper ballots of “%(title)s”"),
               url=reverse("elections:paper", args=[election.pk]), university_id=election.university_id,
               params={"title": election.title})
    return election


def accept_count(actor, election: Election, *, issued: int | None = None) -> Election:
    """Accept the paper count: only when every sheet was entered twice and both entries agree."""
    require_manage(actor, election.session)
    with transaction.atomic():
        election = _lock(election)
        _require_status(election, Election.Status.COUNTING)
        if issued is not None:
            election.issued = issued
        if not PaperEntry.objects.filter(election=election).exists():
            raise ElectionError(_("No sheet has been entered."))
        if mismatches(election):
            raise ElectionError(_("Some sheets were entered only once or their two entries differ: settle them first."))
        _store_count(election)
        election.save()
    return election


def sign_off(user, election: Election) -> Official:
    """A scrutineer confirms the count."""
    with transaction.atomic():
        election = _lock(election)
        official = Official.objects.filter(election=election, user=user, role=Official.Role.SCRUTINEER).first()
        if official is None:
            raise PermissionDenied
        _require_status(election, Election.Status.COUNTED, Election.Status.VOID)
        if official.signed_at is None:
            official.signed_at = timezone.now()
            official.save(update_fields=["signed_at"])
    return official


def publication_problems(election: Election) -> list[str]:
    problems = []
    scrutineers = election.officials.filter(role=Official.Role.SCRUTINEER)
    if not election.is_online and not scrutineers.exists():
        problems.append(_("A paper count is overseen by scrutineers: choose at least one."))
    if scrutineers.filter(signed_at__isnull=True).exists():
        problems.append(_("Not every scrutineer has signed off."))
    return problems


def publish(actor, election: Election) -> Election:
    """Publish the result and all anonymous ballots; record who was elected."""
    require_manage(actor, election.session)
    with transaction.atomic():
        election = _lock(election)
        _require_status(election, Election.Status.COUNTED)
        problems = publication_problems(election)
        if problems:
            raise ElectionError(problems)
        result = election.result
        elected = set(result["elected"])
        election.candidates.filter(is_write_in=False).update(is_elected=False)
        election.candidates.filter(key__in=elected, is_write_in=False).update(is_elected=True)
        rows = {row["key"]: row for row in result["candidates"]}
        for key in elected:
            if key.startswith(tally.WRITE_IN_PREFIX):
                name = rows[key]["name"]
                student = _student_named(election, name)
                Candidate.objects.update_or_create(
                    university_id=election.university_id, election=election, key=key,
                    defaults={"name": name, "student": student, "is_write_in": True, "is_elected": True,
                              "votes_for": rows[key]["for"], "order": 999})
        election.status = Election.Status.PUBLISHED
        election.published_at = timezone.now()
        election.save()
    return election


def _student_named(election: Election, name: str):
    """The elected write-in's student record when exactly one seated delegate bears the name."""
    matches = [d.student for d in Delegate.objects.filter(session=election.session).select_related("student")
               if tally.normalise_name(d.student.name) == name]
    return matches[0] if len(matches) == 1 else None


def published_file(election: Election) -> str:
    """The published ballots file: anyone recounts it with `tongxue tally`."""
    spec = election_spec(election)
    ballots = ballots_of(election)
    result = tally.count(spec, ballots)
    return tally.dump_published(spec, ballots, result)


# --- follow-ups ----------------------------------------------------------------------------------------

def _follow_up(actor, election: Election, *, kind: str, seats: int, candidate_keys, title: str) -> Election:
    new = create_election(
        actor, election.session, title=title, seats=seats, kind=election.kind, mode=election.mode,
        majority_base=election.majority_base, min_surplus=election.min_surplus, agenda_item=election.agenda_item,
        runoff_of=election, follow_up=kind)
    rows = {row["key"]: row for row in (election.result or {}).get("candidates", [])}
    by_key = {c.key: c for c in election.candidates.all()}
    candidates = []
    for key in candidate_keys:
        old = by_key.get(key)
        if old is not None:
            candidates.append(Candidate(university_id=election.university_id, election=new, student=old.student,
                                        name=old.name, key=old.key, application=old.application))
        else:
            name = rows[key]["name"]
            student = _student_named(election, name)
            candidates.append(Candidate(university_id=election.university_id, election=new, student=student,
                                        name=name, key=f"s{student.pk}" if student else key))
    Candidate.objects.bulk_create(candidates)
    _reorder(new)
    return new


def create_runoff(actor, election: Election) -> Election:
    """One click: a run-off among those tied at the last seat, for the seats left."""
    require_manage(actor, election.session)
    _require_status(election, Election.Status.COUNTED, Election.Status.PUBLISHED)
    result = election.result or {}
    if not result.get("runoff"):
        raise ElectionError(_("There is no tie at the last seat."))
    if election.follow_ups.filter(follow_up=Election.FollowUp.RUNOFF).exists():
        raise ElectionError(_("The run-off exists already."))
    seats = result["seats"] - len(result["elected"])
    return _follow_up(actor, election, kind=Election.FollowUp.RUNOFF, seats=seats, candidate_keys=result["runoff"],
                      title=_("%(title)s (run-off)") % {"title": election.title})


def decide_unfilled(actor, election: Election, decision: str, *, note: str = "", candidate_keys=()) -> Election | None:
    """The congress decides on seats left unfilled: vote again among the best-placed unelected
    candidates (a new election is created) or leave them vacant. The decision is recorded."""
    require_manage(actor, election.session)
    _require_status(election, Election.Status.COUNTED, Election.Status.PUBLISHED)
    result = election.result or {}
    unfilled = result.get("unfilled", 0)
    if unfilled <= 0:
        raise ElectionError(_("No seat is left unfilled."))
    if result.get("runoff"):
        raise ElectionError(_("The seats left go to the run-off between the tied candidates."))
    if decision not in (Election.Unfilled.REVOTE, Election.Unfilled.VACANT):
        raise ElectionError(_("Choose to vote again or to leave the seats vacant."))
    if election.unfilled_decision:
        raise ElectionError(_("The decision on unfilled seats was taken already."))
    new = None
    with transaction.atomic():
        if decision == Election.Unfilled.REVOTE:
            unelected = [row["key"] for row in result["candidates"] if row["key"] not in result["elected"]]
            keys = [k for k in candidate_keys if k in unelected] or unelected[:unfilled + 1]
            new = _follow_up(actor, election, kind=Election.FollowUp.REVOTE, seats=unfilled, candidate_keys=keys,
                             title=_("%(title)s (new vote for unfilled seats)") % {"title": election.title})
        election.unfilled_decision = decision
        election.unfilled_note = note[:200]
        election.save(update_fields=["unfilled_decision", "unfilled_note"])
    return new


def repeat_election(actor, election: Election) -> Election:
    """A void vote (more ballots returned than issued) is repeated with the same candidates."""
    require_manage(actor, election.session)
    _require_status(election, Election.Status.VOID)
    if election.follow_ups.filter(follow_up=Election.FollowUp.REPEAT).exists():
        raise ElectionError(_("The vote was repeated already."))
    keys = [c.key for c in election.listed]
    new = _follow_up(actor, election, kind=Election.FollowUp.REPEAT, seats=election.seats, candidate_keys=keys,
                     title=election.title)
    return new


# --- what the pages show ------------------------------------------------------------------------------

def turnout(election: Election) -> dict:
    cast = Ballot.objects.filter(election=election, is_cast=True).count() if election.is_online else \
        PaperEntry.objects.filter(election=election).values("sheet").distinct().count()
    return {"issued": election.issued or 0, "cast": cast}


def result_rows(election: Election) -> list[dict]:
    """The stored result's rows with the candidate's status (elected / run-off)."""
    result = election.result or {}
    elected, runoff = set(result.get("elected", [])), set(result.get("runoff", []))
    rows = []
    for rank, row in enumerate(result.get("candidates", []), start=1):
        rows.append({**row, "rank": rank, "elected": row["key"] in elected, "in_runoff": row["key"] in runoff,
                     "reached": row["for"] >= result.get("threshold", math.inf)})
    return rows


def elected_students(union, *, kind=Election.Kind.PRESIDIUM):
    """Students elected in published elections of the union's congress sessions (for the rule
    engine's "the presidium was elected by the congress itself", rules.md §9 item 10)."""
    return Student.objects.filter(candidacies__is_elected=True, candidacies__election__kind=kind,
                                  candidacies__election__status=Election.Status.PUBLISHED,
                                  candidacies__election__session__union=union).distinct()


def voted_elections(user, session: CongressSession):
    delegate = delegate_of(user, session)
    if delegate is None:
        return Election.objects.none()
    return Election.objects.filter(voters__delegate=delegate, voters__has_voted=True)


