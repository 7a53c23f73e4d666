"""Cadres: the life of a student cadre — selection, training, assessment, direct contact and exit
(rules.md §2–3, issue 3).

Depends on `core` and `unions` only. Other apps ask it through small functions
(`training.training_status`, `training.has_required_training`, `assessment.latest_assessment`)
rather than reading its tables. It reacts to an academic-results import through the core signal
`academic_records_imported` (connected in `apps.py`): serving cadres who no longer meet the
eligibility rule get an exit case (`exits.raise_exit_cases_after_import`).
"""
