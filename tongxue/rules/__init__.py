"""Reform rules on live data: per-university rule configuration, attestations, overrides,
findings, the live checks used before a change, and the yearly self-assessment (rules.md §7).

The rules themselves are plain Python in `tongxue.domain.reform_rules`; this app builds their
facts from the database. It depends on `core` and `unions` only; `unions` learns about the
rules through the `STRUCTURE_CHECKS` hook this app registers in `RulesConfig.ready()`.
"""
