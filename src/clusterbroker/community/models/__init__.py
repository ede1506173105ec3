from .calls import CLOSING_SOON_DAYS, CallState, OpenCall
from .contributions import Sector, Status
from .evaluation import (
    Application,
    Assignment,
    Attachment,
    AwardCall,
    Certificate,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Score,
    ScoreReminder,
)
from .marketplace import Offer
from .search import (
    Alert,
    Collection,
    DocumentTerm,
    SavedSearch,
    SearchDocument,
    SearchIndexState,
    SearchTombstone,
)
from .stories import Story

__all__ = [
    "CLOSING_SOON_DAYS",
    "CallState",
    "Alert",
    "Application",
    "Assignment",
    "Attachment",
    "AwardCall",
    "Certificate",
    "CriteriaSection",
    "CriteriaSet",
    "Criterion",
    "Score",
    "ScoreReminder",
    "Collection",
    "DocumentTerm",
    "Offer",
    "OpenCall",
    "SavedSearch",
    "SearchDocument",
    "SearchIndexState",
    "SearchTombstone",
    "Sector",
    "Status",
    "Story",
]
