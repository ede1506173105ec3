"""A partnership's logo: uploaded by its managers, checked by decoding, shown on its page,
served with its image type and printed on the cover of the funder report."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from clusterbroker.plans.report_pdf import report_pdf
from clusterbroker.plans.reports import build_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def png(size=(120, 40), colour=(20, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def edit(client, partnership, logo: SimpleUploadedFile):
    data = {
        "name": partnership.name,
        "acronym": partnership.acronym,
        "kind": partnership.kind,
        "funding_programme": partnership.funding_programme,
        "description": partnership.description,
        "logo": logo,
    }
    return client.post(f"/partnerships/{partnership.slug}/edit/", data)


def test_a_manager_uploads_a_logo_that_shows_on_the_page(client, world):
    client.force_login(world.partnership_manager)
    picture = png()
    response = edit(client, world.partnership, SimpleUploadedFile("logo.png", picture))
    assert response.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.logo
    page = client.get(f"/partnerships/{world.partnership.slug}/").content.decode()
    assert f'src="/partnerships/{world.partnership.slug}/logo/"' in page
    client.logout()  # the logo is as public as the page
    served = client.get(f"/partnerships/{world.partnership.slug}/logo/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == picture


@pytest.mark.parametrize(
    "name, content",
    [
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_what_is_not_a_png_or_jpeg_is_refused_next_to_the_field(client, world, name, content):
    client.force_login(world.partnership_manager)
    response = edit(client, world.partnership, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "The logo must be a PNG or JPEG image." in response.content.decode()
    world.partnership.refresh_from_db()
    assert not world.partnership.logo


def test_a_logo_too_heavy_is_refused(client, world, monkeypatch):
    monkeypatch.setattr("clusterbroker.registry.logos.MOST_BYTES", 100)
    client.force_login(world.partnership_manager)
    response = edit(client, world.partnership, SimpleUploadedFile("logo.png", png()))
    assert "at most 0 KB" in response.content.decode()
    world.partnership.refresh_from_db()
    assert not world.partnership.logo


def test_only_its_managers_may_change_the_logo(client, world):
    client.force_login(world.other_partnership_manager)
    response = edit(client, world.partnership, SimpleUploadedFile("logo.png", png()))
    assert response.status_code == 403
    world.partnership.refresh_from_db()
    assert not world.partnership.logo


def test_no_logo_is_no_page(client, world):
    assert client.get(f"/partnerships/{world.partnership.slug}/logo/").status_code == 404


def test_the_report_cover_carries_the_logo(world):
    without = report_pdf(build_report(world.partnership, dt.date(2026, 6, 30)))
    assert b"/Subtype /Image" not in without
    world.partnership.logo.save("logo.png", io.BytesIO(png()))
    with_logo = report_pdf(build_report(world.partnership, dt.date(2026, 6, 30)))
    assert with_logo.count(b"/Subtype /Image") == 1
