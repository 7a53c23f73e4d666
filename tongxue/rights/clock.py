"""The case clock read from the database: a case's events for `tongxue.domain.sla`, the
university's deadlines (`DeskConfig`) and working-day calendar (`core.workcalendar`)."""
from dataclasses import dataclass

from tongxue.domain import sla
from tongxue.domain.workdays import CalendarGap

from .models import Case, DeskConfig


def deadlines_for(university_id: int) -> sla.Deadlines:
    config = DeskConfig.objects.filter(university_id=university_id).first()
    if config is None:
        return sla.Deadlines()
    return sla.Deadlines(config.accept_days, config.answer_days, config.close_days)


def calendar_for(university_id: int):
    from tongxue.core.workcalendar import calendar_for as build

    return build(university_id)


def case_events(case: Case) -> sla.CaseEvents:
    return sla.CaseEvents(
        submitted_at=case.submitted_at, accepted_at=case.accepted_at, answered_at=case.answered_at,
        closed_at=case.closed_at if case.status == Case.Status.CLOSED else None,
        escalated=frozenset(sla.Stage(s) for s in case.escalated_stages),
    )


@dataclass(frozen=True)
class ClockView:
    """A case's clock, or the calendar gap that keeps it from being computed."""
    clock: sla.CaseClock | None
    gap: CalendarGap | None = None

    def stage(self, stage: str):
        return self.clock[sla.Stage(stage)] if self.clock else None

    @property
    def stages(self):
        return self.clock.stages if self.clock else ()


def clock_of(case: Case, now, *, calendar=None, deadlines=None) -> ClockView:
    try:
        clock = sla.case_clock(case_events(case), calendar or calendar_for(case.university_id), now,
                               deadlines or deadlines_for(case.university_id))
    except CalendarGap as gap:
        return ClockView(None, gap)
    return ClockView(clock)
