"""Signals of the core app, for apps above it to react without core importing them.

`academic_records_imported` is sent after an academic-results import has been saved and
committed, with `university` and `student_ids` (the students whose records it brought);
the cadres app listens to open exit cases for serving cadres who are no longer eligible.
"""
from django.dispatch import Signal

academic_records_imported = Signal()
