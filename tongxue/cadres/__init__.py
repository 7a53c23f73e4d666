"""Cadres: the life of a student cadre — appointment, selection, training, assessment, direct
contact and exit (rules.md §2–3, issue 3).

Depends on `core`, `unions` and `rules` (cadres sits above rules, rules above unions and core).
Appointments check the reform rules live through `tongxue.rules.services.check_change`. Other apps
ask cadres through small functions (`training.training_status`, `training.has_required_training`,
`assessment.latest_assessment`) rather than reading its tables. It reacts to an academic-results
import through the core signal `academic_records_imported` (connected in `apps.py`): serving cadres
who no longer meet the eligibility rule get an exit case (`exits.raise_exit_cases_after_import`).
"""
