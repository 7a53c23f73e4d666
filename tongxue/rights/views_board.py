"""The public board of answered cases (issue 4, item 5), without login: /public/rights/<code>/.

Anyone can browse and search what students raised and what was answered. What is shown is
decided here once, for the list and the case page alike:
* only `Case.objects.on_board()` of the university (answered or closed, not withheld, not merged),
  and never a case of a sensitive category (health, safety), whatever its flag says;
* the submitter only through `privacy.public_submitter` (name and college of a named case; never
  a 学号); no cadre or office staff names; the case history without internal notes or texts;
* photos only when the student allowed it (served by `rights:photo`, which checks the same).

Built for 100,000 cases: every list query walks the university's index (university, is_public,
-answered_at) newest first and stops after one page (no total count: counting a rare filter
would read the whole table), loads only the columns shown, and pages stop at MAX_PAGES. A search
(`icontains`, no full-text index) reads only the SEARCH_WINDOW most recently answered cases: its
cost is bounded whatever the words.
"""
from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxue.core.models import College, University

from .models import Case, CaseEvent, CasePhoto, Category
from .privacy import public_submitter

PER_PAGE = 20
MAX_QUERY = 40          # characters of a search
MAX_TERMS = 3           # words of a search, all required
MAX_PAGES = 100         # 2,000 cases reachable by paging one listing
SEARCH_WINDOW = 10_000  # a search reads this many of the most recently answered cases
WINDOW_CACHE_SECONDS = 600

# Steps of a case's history the public sees, with their public wording: what happened and when,
# never who, and never a note's text.
PUBLIC_STEPS = {
    CaseEvent.Kind.SUBMITTED: pgettext_lazy("case step", "submitted online"),
    CaseEvent.Kind.LOGGED: pgettext_lazy("case step", "heard offline and logged by the union"),
    CaseEvent.Kind.ACCEPTED: pgettext_lazy("case step", "accepted by the union"),
    CaseEvent.Kind.STARTED: pgettext_lazy("case step", "work started"),
    CaseEvent.Kind.MOVED: pgettext_lazy("case step", "passed to another level"),
    CaseEvent.Kind.TRANSFERRED: pgettext_lazy("case step", "transferred to"),
    CaseEvent.Kind.RETURNED: pgettext_lazy("case step", "returned by"),
    CaseEvent.Kind.ANSWERED: pgettext_lazy("case step", "answered"),
    CaseEvent.Kind.REOPENED: pgettext_lazy("case step", "reopened: the student was not satisfied"),
    CaseEvent.Kind.CLOSED: pgettext_lazy("case step", "closed"),
    CaseEvent.Kind.ESCALATED: pgettext_lazy("case step", "escalated: a deadline passed"),
}
STATUS_LABELS = {
    Case.Status.ANSWERED: pgettext_lazy("board status", "answered"),
    Case.Status.CLOSED: pgettext_lazy("board status", "closed"),
}
MAX_STEPS = 50

LIST_FIELDS = (
    "pk", "university_id", "title", "status", "answered_at", "submitted_at", "supporter_count", "answer",
    "identity", "submitter_id", "category__name", "category__name_en", "college__name", "answered_by_office__name",
    "union__name", "submitter__name", "submitter__student_no",
)
REDACTED = "＊＊"


def public_categories(university) -> list[Category]:
    return list(Category.objects.filter(university=university, is_sensitive=False).only(
        "pk", "name", "name_en", "university_id").order_by("order", "code"))


def board_cases(university, categories=None):
    """The university's cases on the public board (the one filter of every public page)."""
    categories = public_categories(university) if categories is None else categories
    return Case.objects.on_board().filter(university=university, category_id__in=[c.pk for c in categories])


def redact(case: Case) -> None:
    """Defence in depth: texts never give the submitter's 学号, nor the name of a student who
    chose to hide it (a handler may have greeted the student by name in the answer)."""
    student = case.submitter if case.submitter_id else None
    if student is None:
        return
    secrets = [student.student_no]
    if case.identity != Case.Identity.NAMED and len(student.name) >= 2:
        secrets.append(student.name)
    deferred = case.get_deferred_fields()
    for field in ("title", "description", "answer"):
        if field not in deferred:
            text = getattr(case, field)
            for secret in filter(None, secrets):
                text = text.replace(secret, REDACTED)
            setattr(case, field, text)


def search_terms(query: str) -> list[str]:
    return query[:MAX_QUERY].split()[:MAX_TERMS]


def search(cases, query: str):
    for term in search_terms(query):
        cases = cases.filter(Q(title__icontains=term) | Q(description__icontains=term) | Q(answer__icontains=term))
    return cases


class BoardFilter(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("keyword")}))
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    college = forms.TypedChoiceField(label=_("College"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, categories, colleges):
        super().__init__(data)
        self.fields["category"].choices = [("", _("All categories")), *((c.pk, c.label) for c in categories)]
        self.fields["college"].choices = [("", _("All colleges")), *((c.pk, c.name) for c in colleges)]


def search_window_start(university, cases):
    """When the SEARCH_WINDOW-th most recent answer was given (None: fewer cases than that),
    kept in the cache for a few minutes: a search then reads one bounded index range."""
    key = f"rights:board-search-window:{university.pk}"
    start = cache.get(key)
    if start is None:
        edge = list(cases.order_by("-answered_at", "-pk").values_list("answered_at", flat=True)[
            SEARCH_WINDOW - 1:SEARCH_WINDOW])
        start = edge[0] if edge else ""
        cache.set(key, start, WINDOW_CACHE_SECONDS)
    return start or None


@dataclass
class BoardPage:
    """One page of a listing, found without counting the listing."""
    number: int
    cases: list
    has_next: bool

    def __iter__(self):
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def __getitem__(self, index):
        return self.cases[index]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def page_of(cases, number) -> BoardPage:
    try:
        number = min(max(int(number or 1), 1), MAX_PAGES)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * PER_PAGE
    rows = list(cases[offset:offset + PER_PAGE + 1])
    return BoardPage(number, rows[:PER_PAGE], len(rows) > PER_PAGE and number < MAX_PAGES)


def board(request, code):
    """/public/rights/<code>/: answered cases, newest answer first, searchable and filtered."""
    university = get_object_or_404(University.objects.only("pk", "name", "code"), code=code)
    categories = public_categories(university)
    colleges = College.objects.filter(university=university).only("pk", "name").order_by("name")
    form = BoardFilter(request.GET, categories=categories, colleges=colleges)
    cases = board_cases(university, categories)
    query, filtered, window = "", False, None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if search_terms(query):
            window = search_window_start(university, cases)
            if window is not None:
                cases = cases.filter(answered_at__gte=window)
            cases = search(cases, query)
        if form.cleaned_data["category"]:
            cases = cases.filter(category_id=form.cleaned_data["category"])
        if form.cleaned_data["college"]:
            cases = cases.filter(college_id=form.cleaned_data["college"])
        filtered = bool(query or form.cleaned_data["category"] or form.cleaned_data["college"])
    cases = cases.select_related("category", "college", "answered_by_office", "union", "submitter").only(
        *LIST_FIELDS).order_by("-answered_at", "-pk")
    page = page_of(cases, request.GET.get("page"))
    for case in page:
        redact(case)
        case.status_label = STATUS_LABELS.get(case.status, "")
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "rights/board/list.html", {
        "university": university, "form": form, "page": page, "query": query, "params": params.urlencode(),
        "filtered": filtered, "window": window, "window_size": SEARCH_WINDOW,
    })


def case_page(request, code, pk):
    """/public/rights/<code>/cases/<pk>/: one answered case, its answer and its public history."""
    university = get_object_or_404(University.objects.only("pk", "name", "code"), code=code)
    case = board_cases(university).select_related(
        "category", "college", "answered_by_office", "union", "submitter").only(
        *LIST_FIELDS, "description", "photos_public", "satisfaction", "closed_at", "college_id").filter(pk=pk).first()
    if case is None:
        raise Http404
    case.status_label = STATUS_LABELS.get(case.status, "")
    redact(case)
    steps = list(CaseEvent.objects.filter(university=university, case=case, is_internal=False,
                                          kind__in=list(PUBLIC_STEPS)).select_related("office").only(
        "pk", "kind", "created", "level", "office__name").order_by("created", "pk")[:MAX_STEPS])
    for step in steps:
        step.label = PUBLIC_STEPS[step.kind]
    photos = []
    if case.photos_public:
        photos = list(CasePhoto.objects.filter(university=university, case=case).values_list("pk", flat=True))
    return render(request, "rights/board/case.html", {
        "university": university, "case": case, "steps": steps, "photos": photos,
        "submitter": public_submitter(case), "students": case.supporter_count + 1,
    })


urls = [
    path("<slug:code>/", board, name="board"),
    path("<slug:code>/cases/<int:pk>/", case_page, name="case"),
]
