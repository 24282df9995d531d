"""The menu: each role's entries, with the page being shown marked."""

import re

from django.urls import reverse


def active_links(html: str) -> list[str]:
    return re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', html)


def test_the_menu_marks_the_page_being_shown(client, field_engineer):
    client.force_login(field_engineer)
    assert active_links(client.get(reverse("cases:queue")).text) == [reverse("cases:queue")]
    assert active_links(client.get(reverse("home")).text) == [reverse("home")]
    # A page outside the menu marks nothing.
    assert active_links(client.get(reverse("password_change")).text) == []


def test_each_role_sees_its_own_entries(client, field_engineer, vendor_contact):
    client.force_login(field_engineer)
    page = client.get(reverse("home")).text
    assert f'href="{reverse("cases:new")}"' in page
    assert f'href="{reverse("trainings:sessions")}"' in page
    client.force_login(vendor_contact)
    page = client.get(reverse("home")).text
    assert f'href="{reverse("cases:new")}"' not in page
    assert f'href="{reverse("trainings:sessions")}"' not in page
