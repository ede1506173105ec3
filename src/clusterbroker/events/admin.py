from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, Meeting, MeetingRequest, Participant, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date", "online", "venue", "tables", "partnership"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisers"]
    inlines = [SessionInline]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "event", "user", "registered_at"]
    list_filter = ["event"]
    search_fields = ["organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(SimpleHistoryAdmin):
    list_display = ["requester", "requested", "priority", "status", "created_at"]
    list_filter = ["event", "status"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["request", "start", "table", "announced", "happened", "outcome"]
    list_filter = ["request__event", "announced", "outcome"]
