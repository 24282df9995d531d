"""A write's response shows the case exactly as reading it back does.

The write endpoints answer from the case the service just changed, reusing what the request
had already read; these tests hold that answer against a fresh GET at every step of a case's
life, so a stale owner, due time or list of next actions cannot slip through.
"""

from tests.api.conftest import API, case_body, post
from tierdesk.cases.enums import Classification


def as_read_back(client, response, status=200) -> dict:
    assert response.status_code == status, response.content
    answered = response.json()
    assert answered == client.get(f"{API}/cases/{answered['id']}").json()
    return answered


def test_every_write_answers_with_the_case_as_read_back(
    client, field_engineer, regional_support, line2_engineer, rd_engineer, site, product
):
    client.force_login(field_engineer)
    case = as_read_back(client, post(client, "/cases", case_body(site, product)), status=201)
    assert (case["owner"], case["reporter"], case["status"]) == ("alice", "alice", "field")
    assert case["resolve_due_at"] is not None

    def step(user, url, **payload) -> dict:
        nonlocal case
        client.force_login(user)
        case = as_read_back(
            client,
            post(client, f"/cases/{case['id']}{url}", {"version": case["version"], **payload}),
        )
        return case

    assert step(field_engineer, "/actions/escalate", text="重启无效")["owner"] is None
    assert step(regional_support, "/actions/escalate", text="需二线")["status"] == "line2"
    assert step(line2_engineer, "/assign", username="carol")["owner"] == "carol"
    assert step(line2_engineer, "/wait", waiting_on="customer")["resolve_due_at"] is None
    assert step(line2_engineer, "/resume")["resolve_due_at"] is not None
    moved = step(
        line2_engineer,
        "/actions/transfer_rd",
        text="疑似软件缺陷",
        classification=Classification.PRODUCT_DEFECT,
    )
    assert (moved["status"], moved["classification"]) == ("rd", "product_defect")
    assert step(rd_engineer, "/actions/hand_back", text="补丁已提供")["owner"] == "carol"
    resolved = step(line2_engineer, "/actions/resolve", text="升级补丁后恢复")
    assert resolved["available_actions"] == []
    client.force_login(regional_support)
    assert client.get(f"{API}/cases/{case['id']}").json()["available_actions"] == [
        "close",
        "reopen",
    ]
