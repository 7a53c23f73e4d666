"""Background tasks of the core app (Django tasks: the database queue, Redis, or immediate in tests)."""
from django.tasks import task


@task
def process_roster_import(job_id: int) -> None:
    """Check and import one uploaded roster (see `roster.run_import`)."""
    from .roster import run_import

    run_import(job_id)
