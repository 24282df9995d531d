import pytest
from django.core.management import call_command
from django.urls import reverse

ADMIN_PAGES = [
    "organization_region",
    "organization_department",
    "organization_role",
    "organization_user",
    "organization_customer",
    "organization_site",
    "organization_contact",
    "organization_product",
    "organization_vendor",
]


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_administrator_manages_the_organization_in_the_admin(client, administrator, model):
    call_command("demo")
    client.force_login(administrator)
    changelist = client.get(reverse(f"admin:{model}_changelist"))
    assert changelist.status_code == 200
    add_page = client.get(reverse(f"admin:{model}_add"))
    assert add_page.status_code == (403 if model == "organization_role" else 200)


def test_admin_labels_are_chinese_by_default(client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:index"))
    assert "大区" in page.text
    assert "合作厂家" in page.text


def test_department_is_renamed_as_data(client, administrator, engineering_service):
    client.force_login(administrator)
    url = reverse("admin:organization_department_change", args=[engineering_service.pk])
    response = client.post(
        url,
        {
            "name": "技术服务部",
            "name_en": "Technical Service",
            "code": "engineering-service",
            "function": "engineering_service",
        },
    )
    assert response.status_code == 302
    engineering_service.refresh_from_db()
    assert engineering_service.name == "技术服务部"


def test_field_engineer_cannot_open_the_admin(client, field_engineer):
    client.force_login(field_engineer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
