from django.contrib import admin

from .models import (
    Alert,
    Application,
    AwardCall,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    Offer,
    OpenCall,
    SavedSearch,
    Sector,
    Story,
)


@admin.register(OpenCall)
class OpenCallAdmin(admin.ModelAdmin):
    list_display = ["title", "reference", "programme", "deadline", "status"]
    list_filter = ["status", "source"]
    search_fields = ["title", "reference"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organisation", "status"]
    list_filter = ["status", "kind"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "country", "status"]
    list_filter = ["status", "kind"]


class CriterionInline(admin.TabularInline):
    model = Criterion


@admin.register(CriteriaSection)
class CriteriaSectionAdmin(admin.ModelAdmin):
    inlines = [CriterionInline]


admin.site.register([Sector, SavedSearch, Alert, CriteriaSet, AwardCall, Application])
