from .catalogues import HubCatalogueEntry
from .duplicates import DuplicateProposal, MergeRecord
from .identifiers import (
    IdentifierScheme,
    OrganisationIdentifier,
    attach_identifier,
    identifiers_of,
)
from .organisations import (
    NUMBER_FIELDS,
    PROFILE_FIELDS,
    Organisation,
    OrganisationKind,
    Region,
    SizeClass,
)
from .partnerships import Membership, Partnership, PartnershipKind, PartnershipMember
from .people import ApiToken, PartnershipRole, Person, Position
from .projects import Participation, Project
from .requests import RelationRequest
from .taxonomy import Competence, CompetenceLevel, Label, Taxonomy, Term

__all__ = [
    "NUMBER_FIELDS",
    "PROFILE_FIELDS",
    "ApiToken",
    "Competence",
    "CompetenceLevel",
    "DuplicateProposal",
    "HubCatalogueEntry",
    "IdentifierScheme",
    "Label",
    "Membership",
    "MergeRecord",
    "Organisation",
    "OrganisationIdentifier",
    "OrganisationKind",
    "Participation",
    "Partnership",
    "PartnershipKind",
    "PartnershipMember",
    "PartnershipRole",
    "Person",
    "Position",
    "Project",
    "Region",
    "RelationRequest",
    "SizeClass",
    "Taxonomy",
    "Term",
    "attach_identifier",
    "identifiers_of",
]
