from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CordisOrganisation, CordisProject, Introduction, Need, Offer, Profile


class OfferInline(admin.TabularInline):
    model = Offer
    extra = 0
    filter_horizontal = ["terms"]


class NeedInline(admin.StackedInline):
    model = Need
    extra = 0
    filter_horizontal = ["terms"]


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["public_id", "organisation", "sector", "stage", "updated_at"]
    search_fields = ["public_id", "organisation__name", "sector"]
    readonly_fields = ["public_id"]
    inlines = [OfferInline, NeedInline]


@admin.register(Introduction)
class IntroductionAdmin(SimpleHistoryAdmin):
    list_display = ["need", "requester", "status", "created_at", "answered_by", "answered_at"]
    list_filter = ["status"]


@admin.register(CordisOrganisation)
class CordisOrganisationAdmin(admin.ModelAdmin):
    list_display = ["pic", "organisation", "cordis_type"]
    search_fields = ["=pic", "organisation__name"]


@admin.register(CordisProject)
class CordisProjectAdmin(admin.ModelAdmin):
    list_display = ["rcn", "project", "programme_part"]
    search_fields = ["=rcn", "project__acronym"]
    list_filter = ["programme_part"]


admin.site.register([Offer, Need], SimpleHistoryAdmin)
