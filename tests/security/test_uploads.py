"""Uploads: checked by content, stored under random names outside the static files, served
only through the case's permission check."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.cases.conftest import FIXED, at
from tierdesk.cases import attachments


@pytest.fixture
def case(open_case, regional_support):
    return open_case(regional_support)


def test_a_renamed_executable_is_refused_by_its_content(case, regional_support):
    program = SimpleUploadedFile("photo.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00")
    with pytest.raises(ValidationError):
        attachments.add_attachment(
            case, by=regional_support, upload=program, internal=False, now=at(1)
        )


def test_a_file_is_stored_under_a_random_name_outside_the_static_root(case, regional_support):
    attachment = attachments.add_attachment(
        case,
        by=regional_support,
        upload=SimpleUploadedFile("../../static/evil.html", b"<html>hello</html>\n"),
        internal=False,
        now=FIXED,
    )
    stored = settings.MEDIA_ROOT / attachment.file.name
    assert stored.is_file()
    assert "evil" not in attachment.file.name
    assert settings.STATIC_ROOT not in stored.parents
    assert attachment.content_type == "text/plain"


def test_an_upload_is_served_only_through_its_case(
    client, case, regional_support, north_field_engineer
):
    attachment = attachments.add_attachment(
        case,
        by=regional_support,
        upload=SimpleUploadedFile("log.txt", b"east log\n"),
        internal=False,
        now=FIXED,
    )
    url = reverse("cases:attachment", args=[case.pk, attachment.pk])
    client.force_login(regional_support)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"east log\n"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    client.force_login(north_field_engineer)
    assert client.get(url).status_code == 404
    for prefix in ["/media/", "/static/", "/uploads/"]:
        assert client.get(prefix + attachment.file.name).status_code == 404
