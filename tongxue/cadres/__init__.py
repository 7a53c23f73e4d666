"""The cadre lifecycle: appointment (here), selection, training, assessment and exit.

Appointments check the reform rules live through `tongxue.rules.services.check_change` (cadres
sits above rules, rules above unions and core)."""
