"""Background tasks of the core app (Django tasks: the database queue, Redis, or immediate in tests)."""
from django.tasks import task


@task
def process_import(job_id: int) -> None:
    """Check and import one uploaded file, roster or academic results (see `imports.run_import`)."""
    from .imports import run_import

    run_import(job_id)


@task
def process_roster_import(job_id: int) -> None:
    """Kept for jobs queued before imports had a kind: the same work as `process_import`."""
    from .imports import run_import

    run_import(job_id)
