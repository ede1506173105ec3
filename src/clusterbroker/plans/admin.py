from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    Kpi,
    KpiValue,
    OverdueNotice,
    PlanVisibility,
    RoadmapVersion,
    SwotItem,
    TargetMarket,
)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "partnership", "lead", "phase", "status", "start", "end"]
    list_filter = ["status", "phase", "partnership"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["lead", "contributors", "projects"]


class KpiValueInline(admin.TabularInline):
    model = KpiValue
    extra = 0
    readonly_fields = ["entered_by", "entered_by_name", "entered_at", "evidence_document"]


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "source", "measure", "target"]
    list_filter = ["source", "partnership"]
    inlines = [KpiValueInline]


@admin.register(RoadmapVersion)
class RoadmapVersionAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "answered_on", "answered_by"]


admin.site.register([PlanVisibility, SwotItem, TargetMarket], SimpleHistoryAdmin)
admin.site.register(OverdueNotice)
