"""Leave a trace of every refused action (HTTP 403) in the access log."""
from .models import AccessEvent


class ForbiddenAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            authenticated = bool(user and user.is_authenticated)
            AccessEvent.objects.create(
                university_id=user.university_id if authenticated else None,
                actor=user if authenticated else None,
                method=request.method,
                path=request.get_full_path()[:500],
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
        return response
