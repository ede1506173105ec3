import factory

from clusterbroker.notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "meeting_request"
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Something happened."
    url = "/events/"
