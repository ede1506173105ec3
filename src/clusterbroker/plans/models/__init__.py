from .actions import (
    Action,
    ActionPhase,
    ActionStatus,
    FundingSource,
    OverdueNotice,
    RoadmapHorizon,
)
from .kpis import Evidence, Kpi, KpiSource, KpiValue, Measure
from .roadmap import RoadmapAnswer, RoadmapVersion
from .strategy import SwotItem, SwotQuadrant, TargetMarket
from .visibility import PlanVisibility

__all__ = [
    "Action",
    "ActionPhase",
    "ActionStatus",
    "Evidence",
    "FundingSource",
    "Kpi",
    "KpiSource",
    "KpiValue",
    "Measure",
    "OverdueNotice",
    "PlanVisibility",
    "RoadmapAnswer",
    "RoadmapHorizon",
    "RoadmapVersion",
    "SwotItem",
    "SwotQuadrant",
    "TargetMarket",
]
