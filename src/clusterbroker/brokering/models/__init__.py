from .cordis import CordisOrganisation, CordisProject
from .introductions import Introduction
from .profiles import Need, NeedKind, Offer, Profile, Stage

__all__ = [
    "CordisOrganisation",
    "CordisProject",
    "Introduction",
    "Need",
    "NeedKind",
    "Offer",
    "Profile",
    "Stage",
]
