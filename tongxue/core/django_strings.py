"""Strings of Django itself that its zh-Hans catalogue does not translate yet; listing them here
puts them into Tongxue's catalogue, which takes precedence (LOCALE_PATHS)."""
from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL (Django 6)
]
