"""The rights desk's clock: every `--interval` seconds it queues the sweep that escalates overdue
cases, for the task worker (`manage.py db_worker`, or an RQ worker with Redis) to run. With
`--once --now` it runs the sweep at once, in this process (for checks and for tests that move
the clock)."""
import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Queue the rights desk's deadline sweep periodically (or run it once)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=300, help="Seconds between sweeps (default 300).")
        parser.add_argument("--once", action="store_true", help="Run one sweep in this process and exit.")
        parser.add_argument("--now", help="With --once: the moment to sweep at (ISO 8601), instead of the time.")

    def handle(self, *args, interval, once, now, **options):
        from tongxue.rights.services import escalate_overdue
        from tongxue.rights.tasks import sweep_case_clocks

        if once:
            moment = None
            if now:
                try:
                    moment = datetime.datetime.fromisoformat(now)
                except ValueError:
                    raise CommandError("--now takes an ISO 8601 time, e.g. 2026-12-01T09:00+08:00")
                if timezone.is_naive(moment):
                    moment = timezone.make_aware(moment)
            result = escalate_overdue(moment)
            self.stdout.write(f"escalated {len(result.escalated)} stage(s); calendar gaps: "
                              f"{sorted(result.gaps) or 'none'}; double-submit keys erased: {result.purged}")
            return
        if interval < 10:
            raise CommandError("--interval must be at least 10 seconds")
        self.stdout.write(f"rights clock: queueing the sweep every {interval} s")
        while True:
            sweep_case_clocks.enqueue()
            time.sleep(interval)
