from .brokering import router as brokering_router
from .community import router as community_router
from .crud import crud_router
from .evaluation import router as evaluation_router
from .events import router as events_router
from .openapi import ClusterBrokerAPI
from .plans import router as plans_router
from .registry import RESOURCES, identifiers_router, matrix_router
from .relation_requests import router as relation_requests_router

api = ClusterBrokerAPI(
    title="ClusterBroker API",
    version="1.0.0",
    description=(
        "The registry of organisations, clusters, partnerships, competences and projects, "
        "and B2B brokerage events (catalogue, meeting requests, scheduling, agendas). "
        "Reads are open (except an event's participants, requests and agendas); writes need "
        "a logged-in session (with its CSRF token) or an API token sent as "
        "`Authorization: Bearer TOKEN`."
    ),
    docs_url="/docs",
)

for resource in RESOURCES:
    api.add_router(f"/{resource.name}/", crud_router(resource))
api.add_router("/partnerships/", matrix_router)
api.add_router("/organisations/", identifiers_router)
api.add_router("/relation-requests/", relation_requests_router)
api.add_router("/events/", events_router)
api.add_router("/brokering/", brokering_router)
api.add_router("/plans/", plans_router)
api.add_router("/community/", community_router)
api.add_router("/evaluation/", evaluation_router)
api.add_router("/surveys/", "clusterbroker.api.surveys.router")
api.add_router("/taxonomies/", "clusterbroker.api.taxonomies.router")
api.add_router("/notifications/", "clusterbroker.api.notifications.router")
api.add_router("/", "clusterbroker.api.invitations.router")
api.add_router("/", "clusterbroker.api.accounts.router")
