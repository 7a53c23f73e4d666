"""Cadres: selection, training, assessment and exit (rules.md §2–3, issue 3).

Depends on `core` and `unions` only. It reacts to an academic-results import through the core
signal `academic_records_imported` (connected in `apps.py`): serving cadres who no longer meet
the eligibility rule get an exit case (`exits.raise_exit_cases_after_import`).
"""
