from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clusterbroker.ops.admin_actions import erase_personal_data, export_personal_data

from .models import (
    ApiToken,
    Competence,
    Label,
    Membership,
    Organisation,
    OrganisationIdentifier,
    Participation,
    Partnership,
    PartnershipMember,
    PartnershipRole,
    Person,
    Position,
    Project,
    Region,
    Taxonomy,
    Term,
)


class CompetenceInline(admin.TabularInline):
    model = Competence
    extra = 0
    autocomplete_fields = ["term"]


class IdentifierInline(admin.TabularInline):
    model = OrganisationIdentifier
    extra = 0


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["person"]


class PersonPositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "size_class", "country", "region", "city"]
    list_filter = ["kind", "size_class", "country"]
    search_fields = ["name", "acronym", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CompetenceInline, IdentifierInline, PositionInline]
    autocomplete_fields = ["region"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "level"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0
    fk_name = "taxonomy"


@admin.register(Taxonomy)
class TaxonomyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "source"]
    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["code", "label"]


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    autocomplete_fields = ["organisation"]


class PartnershipRoleInline(admin.TabularInline):
    model = PartnershipRole
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "coordinator", "start", "end", "funding_programme"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PartnershipMemberInline, PartnershipRoleInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "cluster", "role", "since"]
    autocomplete_fields = ["organisation", "cluster"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "title", "topic_code", "programme", "start", "end"]
    search_fields = ["acronym", "title", "topic_code"]
    inlines = [ParticipationInline]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "user"]
    search_fields = ["last_name", "first_name", "email"]
    inlines = [PersonPositionInline]
    actions = [export_personal_data, erase_personal_data]


@admin.register(Label)
class LabelAdmin(SimpleHistoryAdmin):
    list_display = ["label", "organisation", "year"]
    list_filter = ["label"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["token_hash", "created_at", "last_used_at"]
