"""Throttling of wrong check-in codes, shared by training check-in (cadres) and congress check-in.

Wrong codes are counted per account and per IP address in the cache: after `max_failures` within
`window` seconds every try is refused for `lockout` seconds, and the lockout leaves an
`AccessEvent`, like any refused action.
"""
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class CodeThrottle:
    prefix: str              # e.g. "cadres:check-in"
    max_failures: int = 5
    window: int = 10 * 60    # seconds
    lockout: int = 10 * 60   # seconds

    def keys(self, account_kind: str, account_id: int, remote_addr: str | None) -> list[str]:
        keys = [f"{self.prefix}:{account_kind}:{account_id}"]
        if remote_addr:
            keys.append(f"{self.prefix}:ip:{remote_addr}")
        return keys

    def is_locked(self, keys) -> bool:
        return any(cache.get(f"{key}:locked") for key in keys)

    def record_failure(self, keys, *, university_id, actor, path: str, remote_addr: str | None) -> bool:
        """Count a wrong code against each key; True when this failure locks check-in (and leaves
        an access-log entry)."""
        locked = False
        for key in keys:
            cache.add(f"{key}:failures", 0, self.window)
            try:
                failures = cache.incr(f"{key}:failures")
            except ValueError:  # expired between add and incr
                cache.set(f"{key}:failures", 1, self.window)
                failures = 1
            if failures >= self.max_failures:
                cache.set(f"{key}:locked", True, self.lockout)
                cache.delete(f"{key}:failures")
                locked = True
        if locked:
            from .models import AccessEvent

            AccessEvent.objects.create(university_id=university_id, actor=actor, kind=AccessEvent.Kind.FORBIDDEN,
                                       method="POST", path=path[:500], remote_addr=remote_addr)
        return locked
