"""Choice sets named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]: several models have a
`status` field, and the schema names each enum after its model instead of a hash."""
from tongxue.congress.models import CongressSession
from tongxue.proposals.models import Proposal
from tongxue.rights.models import Case

CASE_STATUSES = Case.Status
CONGRESS_SESSION_STATUSES = CongressSession.Status
PROPOSAL_STATUSES = Proposal.Status
