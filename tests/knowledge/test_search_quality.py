"""Search quality: mistyped characters, codes and versions, near-duplicates, English phrases,
and saying so when no article answers the words."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from tierdesk.knowledge import search
from tierdesk.knowledge.access import articles_visible_to

pytestmark = pytest.mark.django_db
API = "/api/v1/knowledge"


@pytest.fixture(autouse=True)
def _fault_terms(db):
    """The fault dictionary migration 0004 seeds (a transactional test may have flushed it)."""
    importlib.import_module("tierdesk.knowledge.migrations.0004_more_search_terms").seed(
        django_apps, None
    )


def found(user, query):
    return search.search(search.ARTICLES, articles_visible_to(user), query)


def titles(user, query):
    return [article.title for article in found(user, query)]


@pytest.fixture
def library(write_article):
    write_article(
        title="NVR 升级 V2.1 固件后反复重启",
        symptom="NVR 升级到 V2.1 固件后反复重启。",
        solution="回刷 V2.1 对应的升级包。",
        product_versions="V2.1",
    )
    write_article(
        title="NVR 升级 V2.3 固件后反复重启",
        symptom="NVR 升级到 V2.3 固件后反复重启。",
        solution="回刷 V2.3 对应的升级包。",
        product_versions="V2.3",
    )
    write_article(
        title="UPS 频繁切换旁路",
        symptom="面板提示逆变器故障 E-203。",
        solution="更换风扇后复位告警。",
    )
    write_article(
        title="UPS 电池自检失败",
        symptom="面板显示 E-204 电池异常。",
        solution="整组更换电池。",
    )
    write_article(
        title="蓄电池电压低告警",
        symptom="动环监控显示蓄电池电压低于 46V。",
        solution="检查整流模块输出。",
    )
    write_article(
        title="交换机环路导致网络卡顿",
        symptom="端口指示灯狂闪，出现广播风暴。",
        solution="开启 STP 与环路检测。",
    )
    write_article(
        title="IPC 视频丢失",
        symptom="ONVIF 接入后预览黑屏。",
        solution="将编码改为 H.264。",
    )


def test_a_mistyped_character_in_a_fault_term_is_put_right(library, line2_engineer):
    assert titles(line2_engineer, "蓄电驰电压低")[0] == "蓄电池电压低告警"
    # 还路 is one character from both 环路 and 旁路: the one found with 交换机 wins.
    assert titles(line2_engineer, "交换机还路")[0] == "交换机环路导致网络卡顿"


def test_a_query_about_something_else_is_not_corrected_into_a_fault(library):
    # 寄件 is one character from 固件, but nothing else in the query is in the knowledge base.
    assert search.corrected("快递寄件流程", index=search.ARTICLES) == "快递寄件流程"
    assert search.corrected("NVR 固建升级", index=search.ARTICLES) == "NVR 固件升级"


def test_the_version_a_query_names_picks_the_near_duplicate(library, line2_engineer):
    assert titles(line2_engineer, "V2.3 固件升级后重启")[0] == "NVR 升级 V2.3 固件后反复重启"
    assert titles(line2_engineer, "固件V2.1 升级后一直重启")[0] == "NVR 升级 V2.1 固件后反复重启"


def test_an_error_code_finds_its_article_not_its_neighbour(library, line2_engineer):
    assert titles(line2_engineer, "E-203") == ["UPS 频繁切换旁路"]
    assert titles(line2_engineer, "UPS E-204")[0] == "UPS 电池自检失败"


def test_an_english_phrase_in_the_dictionary_finds_the_chinese_term(library, line2_engineer):
    assert titles(line2_engineer, "IPC video loss")[0] == "IPC 视频丢失"


def test_a_query_no_article_answers_gets_no_confident_answer(library, line2_engineer):
    assert search.is_confident(found(line2_engineer, "V2.3 固件升级后重启"))
    assert search.is_confident(found(line2_engineer, "电池组欠压报警"))
    assert not search.is_confident(found(line2_engineer, "年假怎么申请"))
    assert not search.is_confident(found(line2_engineer, "打印机卡纸怎么办"))


def test_an_article_is_found_by_a_new_word_as_soon_as_it_is_published(
    write_article, line2_engineer
):
    # The word is counted as found nowhere first; the count must not hide the new article.
    assert titles(line2_engineer, "雷击 IPC") == []
    write_article(title="雷击后 IPC 损坏", symptom="雷雨后 IPC 不通电。")
    assert titles(line2_engineer, "雷击 IPC") == ["雷击后 IPC 损坏"]


def test_the_search_page_warns_when_no_article_answers(client, library, line2_engineer):
    client.force_login(line2_engineer)
    page = client.get(reverse("knowledge:search"), {"q": "UPS 发票怎么开"})
    assert "data-unsure" in page.content.decode()
    assert "频繁切换旁路" in page.content.decode()  # the near misses are still listed
    page = client.get(reverse("knowledge:search"), {"q": "蓄电池电压低"})
    assert "data-unsure" not in page.content.decode()
    assert "<mark>蓄电池电压</mark>低于 46V" in page.content.decode()


def test_the_api_says_whether_the_hits_answer_the_query(client, library, line2_engineer):
    client.force_login(line2_engineer)
    hits = client.get(f"{API}/articles/search", {"q": "UPS E-203"}).json()
    assert hits[0]["title"] == "UPS 频繁切换旁路"
    assert all(hit["confident"] for hit in hits)
    hits = client.get(f"{API}/articles/search", {"q": "UPS 发票怎么开"}).json()
    assert hits and not any(hit["confident"] for hit in hits)
