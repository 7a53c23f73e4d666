"""Scoped querysets: one mechanism for "who may see what", used by every view and endpoint."""
from django.db import models


class UniversityQuerySet(models.QuerySet):
    """Universities themselves: an account sees the universities its roles reach."""

    def visible_to(self, user):
        from .scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        return self.filter(pk__in=scope.university_ids)


class ScopedQuerySet(models.QuerySet):
    """Base for tenant tables: by default a user sees the universities their roles reach."""

    def for_university(self, university):
        return self.filter(university=university)

    def visible_to(self, user):
        from .scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        return self.filter(university_id__in=scope.university_ids)


class StudentQuerySet(ScopedQuerySet):
    """Students are personal data: an account sees only the students its roles serve."""

    def visible_to(self, user):
        from .scope import scope_of

        scope = scope_of(user)
        if scope.all_universities:
            return self
        return self.filter(scope.students_filter())

    def search(self, query: str):
        """学号 prefixes use the (university, student_no) index as a range; latin letters match the
        pinyin of names ("zhangs", "zs"); other text matches names."""
        if query.isdigit():
            return self.filter(student_no__gte=query, student_no__lt=query + ":")  # ":" sorts after "9"
        if query.isascii() and query.isalpha():
            return self.filter(name_pinyin__contains=query.lower())
        return self.filter(name__contains=query)
