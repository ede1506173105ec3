"""Who may do what: the permission matrix of ClusterBroker, as data.

One row per object kind and action. `marks` has one mark per role of `ROLES`, in order:

    Y  allowed: the request succeeds (2xx, or a redirect that is not to the login page),
       and the body shows `shows` (when given);
    N  refused: 403 or 404 (anonymous users may also be sent to log in, or get 401 from
       the API), and the body does not show `shows`;
    -  served, but without the data: the request succeeds and the body does not show `shows`
       (field-level rules such as contact data, or lists that leave out others' records).

`page` and `api` are "METHOD /path" with `{name.attribute}` placeholders taken from the
scene (tests/security/scene.py); `data` is the form posted to the page, `body` the JSON sent
to the API (string values take placeholders too). A row with both a page and an API endpoint
is checked through both. API calls are made with the role's API token.

A new feature joins by adding rows here (and, if its rows name records the scene does not
have yet, one builder in scene.py). A new role is a new entry of ROLES and of `ROLE_USERS`
in the test, and one more mark at the end of every row.
"""

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "company_user",  # editor of member_company; participant A at the event
    "other_company_user",  # editor of other_company (other partnership); participant B
    "cluster_manager",  # manager of `cluster`, a member of the partnership
    "partnership_manager",  # manager of `partnership`; organiser of its event
    "other_partnership_manager",  # manager of `other_partnership`
    "platform_admin",
    # LATER ROLES GO HERE: "evaluator" (community evaluation) once it exists, with one more
    # mark at the end of every row below.
)


@dataclass(frozen=True)
class Row:
    kind: str
    action: str
    marks: str  # e.g. "NYNNYNY": one of Y / N / - per role of ROLES
    page: str | None = None
    api: str | None = None
    data: dict = field(default_factory=dict)
    body: dict | None = None
    shows: str | None = None


# fmt: off
# marks, in the order of ROLES: anonymous, company user, other company's user, cluster manager,
# partnership manager, other partnership's manager, platform admin.
MATRIX: list[Row] = [
    # ---------------------------------------------------------------- organisations
    Row("organisation", "list", "YYYYYYY", page="GET /organisations/",
        api="GET /api/organisations/",
        shows="{member_company.name}"),
    Row("organisation", "read", "YYYYYYY", page="GET /organisations/{member_company.slug}/",
        api="GET /api/organisations/{member_company.slug}", shows="{member_company.name}"),
    Row("organisation", "create", "NNNYYYY", page="GET /organisations/new/",
        api="POST /api/organisations/", body={"name": "Matrix New", "kind": "company",
        "country": "FR"}),
    Row("organisation", "edit own company", "NYNNYNY",
        page="GET /organisations/{member_company.slug}/edit/",
        api="PATCH /api/organisations/{member_company.slug}", body={"city": "Lyon"}),
    Row("organisation", "edit cluster member", "NNNYNNY",
        page="GET /organisations/{cluster_member.slug}/edit/",
        api="PATCH /api/organisations/{cluster_member.slug}", body={"city": "Lyon"}),
    Row("organisation", "edit cluster", "NNNYYNY", page="GET /organisations/{cluster.slug}/edit/",
        api="PATCH /api/organisations/{cluster.slug}", body={"city": "Lyon"}),
    Row("organisation", "edit other partnership's company", "NNYNNYY",
        page="GET /organisations/{other_company.slug}/edit/",
        api="PATCH /api/organisations/{other_company.slug}", body={"city": "Lyon"}),
    Row("organisation", "delete", "NNNNNNY", page="POST /organisations/{spare_org.slug}/delete/",
        api="DELETE /api/organisations/{spare_org.slug}"),
    # ---------------------------------------------------------------- contact data of people
    Row("contact data", "see on organisation page", "-Y-YY-Y",
        page="GET /organisations/{member_company.slug}/", shows="{contact.email}"),
    Row("contact data", "never in the API", "-------",
        api="GET /api/organisations/{member_company.slug}", shows="{contact.email}"),
    Row("contact data", "admin person page", "NNNNNNY",
        page="GET /admin/registry/person/{contact.pk}/change/", shows="{contact.email}"),
    # ---------------------------------------------------------------- partnerships
    Row("partnership", "list", "YYYYYYY", page="GET /partnerships/", api="GET /api/partnerships/",
        shows="{partnership.name}"),
    Row("partnership", "read", "YYYYYYY", page="GET /partnerships/{partnership.slug}/",
        api="GET /api/partnerships/{partnership.slug}", shows="{partnership.name}"),
    Row("partnership", "competence matrix", "YYYYYYY",
        api="GET /api/partnerships/{partnership.slug}/matrix"),
    Row("partnership", "edit", "NNNNYNY", page="GET /partnerships/{partnership.slug}/edit/",
        api="PATCH /api/partnerships/{partnership.slug}", body={"description": "Changed"}),
    Row("partnership", "create", "NNNNNNY", api="POST /api/partnerships/",
        body={"name": "Matrix Alliance", "kind": "alliance"}),
    Row("partnership", "delete", "NNNNNNY",
        api="DELETE /api/partnerships/{other_partnership.slug}"),
    Row("partnership member", "read", "YYYYYYY",
        api="GET /api/partnership-members/{partnership_member.pk}"),
    Row("partnership member", "add", "NNNNYNY", api="POST /api/partnership-members/",
        body={"partnership": "{partnership.slug}", "organisation": "{spare_org.slug}"}),
    Row("partnership member", "change", "NNNNYNY",
        api="PATCH /api/partnership-members/{partnership_member.pk}", body={"role": "associate"}),
    Row("partnership member", "remove", "NNNNYNY",
        api="DELETE /api/partnership-members/{partnership_member.pk}"),
    # ---------------------------------------------------------------- cluster memberships
    Row("membership", "read", "YYYYYYY", api="GET /api/memberships/{membership.pk}"),
    Row("membership", "add", "NNNYYNY", api="POST /api/memberships/",
        body={"organisation": "{spare_org.slug}", "cluster": "{cluster.slug}"}),
    Row("membership", "change", "NNNYYNY", api="PATCH /api/memberships/{membership.pk}",
        body={"role": "board_member"}),
    Row("membership", "remove", "NNNYYNY", api="DELETE /api/memberships/{membership.pk}"),
    # ---------------------------------------------------------------- competences
    Row("competence", "read", "YYYYYYY", api="GET /api/competences/{competence.pk}",
        shows="matrix evidence"),
    Row("competence", "add", "NYNNYNY",
        page="POST /organisations/{member_company.slug}/competences/",
        data={"term": "{spare_term.pk}", "level": "active"}, api="POST /api/competences/",
        body={"organisation": "{member_company.slug}", "term": "{spare_term.key}"}),
    Row("competence", "change", "NYNNYNY", api="PATCH /api/competences/{competence.pk}",
        body={"level": "leading"}),
    Row("competence", "remove", "NYNNYNY",
        page="POST /organisations/{member_company.slug}/competences/{competence.pk}/remove/",
        api="DELETE /api/competences/{competence.pk}"),
    # ---------------------------------------------------------------- projects
    Row("project", "list", "YYYYYYY", page="GET /projects/", api="GET /api/projects/",
        shows="MATRIXPROJ"),
    Row("project", "read", "YYYYYYY", page="GET /projects/{project.pk}/",
        api="GET /api/projects/{project.pk}", shows="MATRIXPROJ"),
    Row("project", "create", "NYYYYYY", api="POST /api/projects/", body={"acronym": "NEWPROJ"}),
    Row("project", "change", "NYNNYNY", api="PATCH /api/projects/{project.pk}",
        body={"title": "Changed"}),
    Row("project", "delete", "NNNNNNY", api="DELETE /api/projects/{project.pk}"),
    Row("participation", "add", "NYNYYNY", api="POST /api/participations/",
        body={"project": "{project.pk}", "organisation": "{cluster_member.slug}"}),
    Row("participation", "change", "NYNNYNY", api="PATCH /api/participations/{participation.pk}",
        body={"role": "coordinator"}),
    Row("participation", "remove", "NYNNYNY", api="DELETE /api/participations/{participation.pk}"),
    # ---------------------------------------------------------------- imports
    Row("import", "organisations upload page", "NNNYYYY", page="GET /import/organisations/"),
    # ---------------------------------------------------------------- API tokens
    Row("API token", "list (admin)", "NNNNNNY", page="GET /admin/registry/apitoken/",
        shows="company laptop token"),
    Row("API token", "read (admin)", "NNNNNNY",
        page="GET /admin/registry/apitoken/{token.pk}/change/",
        shows="company laptop token"),
    # ---------------------------------------------------------------- events
    Row("event", "list", "YYYYYYY", page="GET /events/", api="GET /api/events/",
        shows="{event.name}"),
    Row("event", "read", "YYYYYYY", page="GET /events/{event.slug}/",
        api="GET /api/events/{event.slug}",
        shows="{event.name}"),
    Row("event", "figures", "YYYYYYY", api="GET /api/events/{event.slug}/figures"),
    Row("event", "create", "NNNNYYY", page="GET /events/new/"),
    Row("event", "add session", "NNNNYNY", page="POST /events/{event.slug}/sessions/",
        data={"name": "Afternoon", "start": "{afternoon_start}", "end": "{afternoon_end}",
              "meeting_minutes": 20, "break_minutes": 5}),
    # ---------------------------------------------------------------- participants
    Row("participant", "register page", "NYYYYYY", page="GET /events/{event.slug}/register/"),
    Row("participant", "catalogue", "NYYYYYY", page="GET /events/{event.slug}/participants/",
        api="GET /api/events/{event.slug}/participants", shows="Gamma Tools"),
    Row("participant", "profile", "NYYYYYY",
        page="GET /events/{event.slug}/participants/{participant_c.pk}/", shows="Gamma Tools"),
    # ---------------------------------------------------------------- meeting requests
    Row("request", "received request on own requests page", "NY-----",
        page="GET /events/{event.slug}/requests/", shows="{request_ba.message}"),
    Row("request", "own requests (API)", "NYY-Y-Y", api="GET /api/events/{event.slug}/requests",
        shows="{request_ab.message}"),
    Row("request", "others' requests page", "N------", page="GET /events/{event.slug}/requests/",
        shows="{request_cd.message}"),
    Row("request", "others' requests (API)", "N---Y-Y", api="GET /api/events/{event.slug}/requests",
        shows="{request_cd.message}"),
    Row("request", "send", "NYYNNNN",
        page="POST /events/{event.slug}/participants/{participant_c.pk}/",
        data={"priority": 2, "message": "Matrix request"},
        api="POST /api/events/{event.slug}/requests", body={"requested": "{participant_c.pk}"}),
    Row("request", "accept (requested)", "NNYNNNN",
        page="POST /events/{event.slug}/requests/{request_ab.pk}/accept/",
        api="POST /api/events/{event.slug}/requests/{request_ab.pk}/accept"),
    Row("request", "decline (requested)", "NNYNNNN",
        page="POST /events/{event.slug}/requests/{request_ab.pk}/decline/",
        api="POST /api/events/{event.slug}/requests/{request_ab.pk}/decline"),
    Row("request", "withdraw (either side)", "NYYNNNN",
        page="POST /events/{event.slug}/requests/{request_ab.pk}/withdraw/",
        api="POST /api/events/{event.slug}/requests/{request_ab.pk}/withdraw"),
    # ---------------------------------------------------------------- agendas
    Row("agenda", "own", "NYYNNNN", page="GET /events/{event.slug}/agenda/",
        api="GET /api/events/{event.slug}/agenda"),
    Row("agenda", "participant B's", "NNYNYNY",
        page="GET /events/{event.slug}/agenda/?participant={participant_b.pk}",
        shows="{member_company.name}"),
    Row("agenda", "participant B's calendar file", "NNYNYNY",
        page="GET /events/{event.slug}/agenda.ics?participant={participant_b.pk}",
        shows="{member_company.name}"),
    # ---------------------------------------------------------------- schedule and grid
    Row("schedule", "grid", "NNNNYNY", page="GET /events/{event.slug}/schedule/",
        shows="Delta Sensors"),
    Row("schedule", "export grid (CSV)", "NNNNYNY",
        page="GET /events/{event.slug}/schedule/?format=csv",
        shows="Delta Sensors"),
    Row("schedule", "export grid (XLSX)", "NNNNYNY",
        page="GET /events/{event.slug}/schedule/?format=xlsx"),
    Row("schedule", "run the scheduler", "NNNNYNY", page="POST /events/{event.slug}/schedule/",
        data={"mode": "fast"}, api="POST /api/events/{event.slug}/schedule", body={"mode": "fast"}),
    Row("schedule", "announce", "NNNNYNY", page="POST /events/{event.slug}/schedule/announce/"),
    # ---------------------------------------------------------------- outcomes
    Row("outcome", "own meeting", "NYYNYNY",
        page="GET /events/{event.slug}/meetings/{meeting_ba.pk}/outcome/"),
    Row("outcome", "record own meeting's", "NYYNYNY",
        page="POST /events/{event.slug}/meetings/{meeting_ba.pk}/outcome/",
        data={"happened": "true", "outcome": "follow_up", "outcome_note": "Matrix note"}),
    Row("outcome", "others' meeting", "NNNNYNY",
        page="GET /events/{event.slug}/meetings/{meeting_cd.pk}/outcome/", shows="Delta Sensors"),
    # ---------------------------------------------------------------- LATER ROWS GO HERE
    # plans, community (confidential needs, drafts, evaluation scores), brokering …
]
# fmt: on
