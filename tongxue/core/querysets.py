"""Scoped querysets: one mechanism for "who may see what", used by every view and endpoint."""
from django.db import connections, models


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
        """A query with digits is the start of a 学号; latin letters match the pinyin of names
        ("zhangs", "zs"); other text matches names."""
        if query.isascii() and any(ch.isdigit() for ch in query):
            if connections[self.db].vendor == "sqlite":
                # SQLite compares text bytewise, so a range uses the (university, student_no) index;
                # 学号 are ASCII, which all sorts below U+FFFF.
                return self.filter(student_no__gte=query, student_no__lt=query + "\uffff")
            return self.filter(student_no__startswith=query)  # LIKE: right under any collation
        if query.isascii() and query.isalpha():
            return self.filter(name_pinyin__contains=query.lower())
        return self.filter(name__contains=query)
