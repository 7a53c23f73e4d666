"""Unions: the union bodies at each level, their terms, departments and cadre positions.

A union has only two levels — the presidium and its departments (rules.md §1) — and only the
six allowed titles; the schema makes any other title impossible to record.
"""
