import datetime as dt

from django.core.management import call_command

from clusterbroker.notifications import kinds
from clusterbroker.notifications.models import Notification
from clusterbroker.surveys import notices, services

from .factories import TODAY


def test_opening_tells_the_asked_organisations_people_once(scene):
    assert notices.notify_opened(scene.survey, TODAY) > 0
    told = set(
        Notification.objects.filter(kind="survey_opened").values_list("recipient", flat=True)
    )
    assert {scene.alpha_user.pk, scene.alpha_colleague.pk, scene.beta_user.pk} <= told
    assert scene.manager.pk not in told and scene.outsider_user.pk not in told
    assert scene.alpha_contact.pk not in told
    assert notices.notify_opened(scene.survey, TODAY) == 0


def test_a_forthcoming_survey_is_not_announced(scene):
    assert notices.notify_opened(scene.survey, dt.date(2026, 5, 1)) == 0


def test_the_reminder_skips_organisations_that_submitted(scene):
    services.save_response(
        scene.alpha_user,
        scene.survey,
        scene.alpha,
        {scene.areas.pk: [{"term": scene.terms[0].pk, "level": 2}]},
        submit=True,
        today=TODAY,
    )
    call_command("surveys", "remind", on="2026-06-28")
    reminded = set(
        Notification.objects.filter(kind="survey_reminder").values_list("recipient", flat=True)
    )
    assert scene.beta_user.pk in reminded
    assert scene.alpha_user.pk not in reminded


def test_no_reminder_long_before_the_close(scene):
    call_command("surveys", "remind", on="2026-06-10")
    assert not Notification.objects.filter(kind="survey_reminder").exists()
    assert Notification.objects.filter(kind="survey_opened").exists()


def test_survey_notices_are_kinds_of_the_notifications_with_their_settings(scene, client):
    choices = dict(Notification._meta.get_field("kind").choices)
    assert choices["survey_opened"] == "Survey opened"
    assert choices["survey_reminder"] == "Survey closing soon"
    assert notices.SURVEY_REMINDER == kinds.SURVEY_REMINDER == "survey_reminder"
    client.force_login(scene.alpha_user)
    page = client.get("/notifications/settings/").content.decode()
    assert "Survey closing soon" in page
    assert "A survey your organisation is asked to answer is open." in page
