from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Alert,
    Application,
    Assignment,
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Offer,
    OpenCall,
    SavedSearch,
    Score,
    ScoreReminder,
    Sector,
    Story,
)


@admin.register(OpenCall)
class OpenCallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "reference", "programme", "deadline", "status"]
    list_filter = ["status", "source"]
    search_fields = ["title", "reference"]


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "organisation", "status"]
    list_filter = ["status", "kind"]


@admin.register(Story)
class StoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "country", "status"]
    list_filter = ["status", "kind"]


class CriterionInline(admin.TabularInline):
    model = Criterion


@admin.register(CriteriaSection)
class CriteriaSectionAdmin(SimpleHistoryAdmin):
    inlines = [CriterionInline]


admin.site.register([Sector, SavedSearch, Alert, ScoreReminder])
admin.site.register([CriteriaSet, AwardCall, Application, Assignment, Score], SimpleHistoryAdmin)
