"""The pages of the product's main flows, on the sample data (`load_sample_data`): one list
for the tests that walk them (accessibility, phone layout, every language)."""

from clusterbroker.events.models import Event
from clusterbroker.registry.models import Organisation, Partnership


def main_pages(*, signed_in: bool = True) -> list[str]:
    """The public pages, and with `signed_in` those of a partnership manager."""
    partnership = Partnership.objects.get(slug="four-motors")
    organisation = (
        Organisation.objects.filter(participations__isnull=False).order_by("pk").first()
        or Organisation.objects.order_by("pk").first()
    )
    pages = [
        "/",
        "/organisations/",
        "/organisations/?q=robot",
        organisation.get_absolute_url(),
        "/partnerships/",
        partnership.get_absolute_url(),
        "/projects/",
        "/events/",
        "/community/",
        "/community/calls/",
        "/community/search/?q=digital",
    ]
    if event := Event.objects.order_by("pk").first():
        pages.append(event.get_absolute_url())
    if not signed_in:
        pages += ["/accounts/login/", "/accounts/signup/"]
    else:
        pages += [
            "/brokering/",
            f"/plans/{partnership.slug}/",
            f"/plans/{partnership.slug}/kpis/",
            f"/plans/{partnership.slug}/report/",
        ]
    return pages
