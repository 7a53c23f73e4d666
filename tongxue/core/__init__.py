"""Core: the organisation tree, people, accounts, roles, scope and the audit trail.

Every other app may import from here; `core` imports from no other Tongxue app
except `unions` through the role lookup in `scope.py` (cadre roles are memberships).
"""
