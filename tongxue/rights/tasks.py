"""Background work of the rights desk (Django tasks: the database queue by default, Redis in production)."""
from django.tasks import task


@task
def sweep_case_clocks() -> dict:
    """Escalate every case whose deadline has passed (see `services.escalate_overdue`)."""
    from .services import escalate_overdue

    result = escalate_overdue()
    return {"escalated": len(result.escalated), "calendar_gaps": sorted(result.gaps), "purged": result.purged}
