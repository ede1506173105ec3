"""Odd numbers in brokering addresses get a 4xx naming the parameter, never a server error."""

import pytest
from django.urls import reverse

from .factories import NeedFactory, ProfileFactory

pytestmark = pytest.mark.django_db
HUGE = str(2**64 + 1)  # beyond what a 64-bit database column holds


@pytest.fixture
def profile(world):
    profile = ProfileFactory(organisation=world.member_company)
    NeedFactory(profile=profile)
    return profile


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"/api/brokering/needs?page={HUGE}", "page"),
        (f"/api/brokering/needs?page=-{HUGE}", "page"),
        ("/api/brokering/needs?page=0", "page"),
        (f"/api/brokering/profiles?page={HUGE}", "page"),
        (f"/api/brokering/needs/{HUGE}", "need_id"),
        ("/api/brokering/profiles/{public_id}/matches?need=" + HUGE, "need"),
        ("/api/brokering/profiles/{public_id}/matches?need=abc", "need"),
    ],
)
def test_the_api_refuses_numbers_out_of_range(world, profile, path, parameter):
    client = world.client(world.company_user)
    response = client.get(path.format(public_id=profile.public_id))
    assert response.status_code == 422, response.content
    assert parameter in response.content.decode()


def test_the_api_refuses_huge_ids_in_writes(world, profile):
    client = world.client(world.company_user)
    ask = client.post(
        f"/api/brokering/needs/{HUGE}/introductions",
        {"requester": world.member_company.slug},
        content_type="application/json",
    )
    assert ask.status_code == 422
    assert client.post(f"/api/brokering/introductions/{HUGE}/accept").status_code == 422


@pytest.mark.parametrize("value", ["abc", HUGE, "-1", "0", "1e3", "²", " 7"])
def test_the_matches_page_refuses_a_need_that_is_not_a_number(world, profile, value):
    url = reverse("brokering:matches", args=[profile.public_id])
    response = world.client(world.company_user).get(url, {"need": value})
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "need" in response.content.decode()
        assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "path",
    [
        f"/brokering/needs/{HUGE}/",
        f"/brokering/?page={HUGE}",
        f"/brokering/needs/?page={HUGE}&kind=%C2%B2&q=%00",
    ],
)
def test_pages_with_huge_numbers_answer_without_error(world, path):
    response = world.client(world.company_user).get(path)
    assert response.status_code in (200, 400, 404)
    post = world.client(world.company_user).post(f"/brokering/introductions/{HUGE}/accept/")
    assert post.status_code == 404
