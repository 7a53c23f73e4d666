"""Cadres: the life of a student cadre — selection, training, assessment, direct contact and exit.

Depends on `core` and `unions` only. Other apps ask it through small functions
(`training.training_status`, `training.has_required_training`, `assessment.latest_assessment`)
rather than reading its tables.
"""
