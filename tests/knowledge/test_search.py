"""Chinese search: words, synonyms and mixed terms are found, ranked and highlighted."""

import pytest
from django.db import connection
from django.db.models import F

from tests.factories import UserFactory
from tierdesk.cases import workflow
from tierdesk.cases.models import Case
from tierdesk.knowledge import search
from tierdesk.knowledge.access import articles_visible_to
from tierdesk.knowledge.case_index import search_cases, stale_cases
from tierdesk.knowledge.models import SearchTerm, SearchTermKind
from tierdesk.organization.models import RoleCode

pytestmark = pytest.mark.django_db


def titles(user, query, **filters):
    candidates = articles_visible_to(user).filter(**filters)
    return [article.title for article in search.search(search.ARTICLES, candidates, query)]


@pytest.fixture
def library(write_article, own_product, video_product):
    """A small knowledge base with near misses for each query."""
    write_article(
        title="FSU 离线告警处理",
        symptom="FSU 频繁离线，平台产生离线告警。",
        solution="检查 4G 模块天线与 SIM 卡，升级固件。",
        product=own_product,
        category="network",
    )
    write_article(
        title="蓄电池电压低告警",
        symptom="动环监控显示蓄电池电压低于 46V。",
        solution="检查整流模块输出与电池组连接。",
        product=own_product,
        category="power",
    )
    write_article(
        title="NVR 录像回放卡顿",
        symptom="回放历史录像时画面卡顿，IPC 在线。",
        solution="降低码流并更换硬盘。",
        product=video_product,
        category="hardware",
    )
    write_article(
        title="摄像机夜间画面发白",
        symptom="IPC 夜间红外开启后画面发白。",
        solution="调整红外灯功率，清洁镜头。",
        product=video_product,
        category="configuration",
    )
    write_article(
        title="门禁控制器离线",
        symptom="门禁控制器偶尔离线，几分钟后恢复。",
        solution="更换网线。",
        category="network",
    )


def test_a_two_character_word_finds_articles_with_it_in_title_first(library, line2_engineer):
    found = titles(line2_engineer, "离线")
    assert found[0] == "FSU 离线告警处理"
    assert set(found) == {"FSU 离线告警处理", "门禁控制器离线"}


def test_a_synonym_field_engineers_type_finds_the_canonical_word(library, line2_engineer):
    # Nobody wrote 掉线: the dictionary maps it to 离线 in the index and in the query.
    assert titles(line2_engineer, "掉线")[0] == "FSU 离线告警处理"
    assert set(titles(line2_engineer, "报警")) == {"FSU 离线告警处理", "蓄电池电压低告警"}


def test_a_mixed_term_query_ranks_the_article_with_every_word_first(library, line2_engineer):
    found = titles(line2_engineer, "FSU离线告警")
    assert found == ["FSU 离线告警处理"]


def test_camera_finds_articles_that_say_ipc(library, line2_engineer):
    assert set(titles(line2_engineer, "摄像头")) >= {"NVR 录像回放卡顿", "摄像机夜间画面发白"}


def test_a_compound_dictionary_term_is_found_by_its_parts(library, line2_engineer):
    assert titles(line2_engineer, "电池电压")[0] == "蓄电池电压低告警"
    assert titles(line2_engineer, "蓄电池电压")[0] == "蓄电池电压低告警"


def test_english_words_are_found_case_insensitively(write_article, line2_engineer):
    write_article(title="NVR disk failure", symptom="The NVR reports a disk error.", language="en")
    write_article(title="Door controller offline", symptom="Offline after rain.", language="en")
    assert titles(line2_engineer, "nvr DISK") == ["NVR disk failure"]


def test_filters_narrow_the_ranked_results(library, line2_engineer, own_product):
    assert titles(line2_engineer, "离线", product=own_product) == ["FSU 离线告警处理"]
    assert titles(line2_engineer, "离线", category="network") == [
        "FSU 离线告警处理",
        "门禁控制器离线",
    ]
    assert titles(line2_engineer, "离线", category="power") == []


def test_when_no_article_has_every_word_the_closest_come_first(library, line2_engineer):
    # No article mentions 雷击; the ones about 离线 are still offered.
    assert "FSU 离线告警处理" in titles(line2_engineer, "雷击 离线")


def test_query_syntax_characters_are_plain_text(library, line2_engineer):
    assert titles(line2_engineer, '回放" OR "x* NEAR(') == ["NVR 录像回放卡顿"]
    assert titles(line2_engineer, "！？。") == []


def test_a_new_dictionary_term_is_used_without_a_restart(write_article, line2_engineer):
    write_article(title="光猫 LOS 灯红", symptom="ONU 光信号丢失。")
    assert titles(line2_engineer, "光猫") == ["光猫 LOS 灯红"]
    onu = SearchTerm.objects.create(term="ONU", kind=SearchTermKind.PRODUCT)
    SearchTerm.objects.create(term="光猫", kind=SearchTermKind.PRODUCT, synonym_of=onu)
    # The dictionary now maps 光猫 to ONU; the article's index row still holds ONU too.
    assert titles(line2_engineer, "光猫") == ["光猫 LOS 灯红"]
    assert search.query_words("光猫") == ["onu"]


def test_a_dictionary_edit_made_elsewhere_is_used_within_seconds(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(search, "_clock", lambda: clock[0])
    assert search.query_words("光猫") == ["光猫"]
    # Saved by another process: no signal reaches this one.
    (onu,) = SearchTerm.objects.bulk_create([SearchTerm(term="ONU", kind=SearchTermKind.PRODUCT)])
    SearchTerm.objects.bulk_create(
        [SearchTerm(term="光猫", kind=SearchTermKind.PRODUCT, synonym_of=onu)]
    )

    clock[0] += search.VOCABULARY_CHECK_SECONDS / 2
    assert search.query_words("光猫") == ["光猫"]
    clock[0] += search.VOCABULARY_CHECK_SECONDS / 2
    assert search.query_words("光猫") == ["onu"]


def test_sampled_counts_of_common_words_rank_like_exact_counts(
    library, line2_engineer, monkeypatch
):
    queries = ["FSU 离线告警", "掉线", "IPC 画面", "蓄电池电压低"]
    exact = [titles(line2_engineer, query) for query in queries]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {search.ARTICLES.table}")
    # As on a large index: the counts ANALYZE sampled stand in for counting.
    monkeypatch.setattr(search._Statistics, "ESTIMATED_FROM", 0)
    monkeypatch.setattr(search, "_statistics", search._Statistics())
    estimates = search._statistics._estimates(search.ARTICLES, 0.0)

    assert bool(estimates) == (connection.vendor == "postgresql")
    assert [titles(line2_engineer, query) for query in queries] == exact


def test_highlighting_escapes_the_text_before_marking_the_words():
    html = search.highlight("<script>alert(1)</script> FSU 掉线 & 告警", "离线")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>掉线</mark>" in html  # the synonym typed in the text is marked too
    assert "&amp;" in html


def test_a_snippet_shows_the_words_around_the_first_match():
    text = "现场检查供电正常。" * 10 + "随后发现 FSU 离线，重启无效。" + "其他说明。" * 20
    html = search.snippet(["", text], "离线")
    assert "<mark>离线</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 200


def test_drafts_are_found_only_by_their_author_and_reviewers(
    write_article, regional_support, line2_engineer, north_field_engineer
):
    write_article(title="FSU 离线草稿", symptom="FSU 离线。", published=False)
    assert titles(regional_support, "离线") == ["FSU 离线草稿"]
    assert titles(line2_engineer, "离线") == ["FSU 离线草稿"]
    assert titles(north_field_engineer, "离线") == []


def test_a_revision_is_not_found_before_it_is_approved(write_article, north_field_engineer):
    from tierdesk.knowledge import services

    article = write_article(title="FSU 离线", symptom="FSU 离线。")
    services.update_article(
        article, by=article.author, now=article.updated_at, symptom="FSU 离线，另见雷击。"
    )
    assert titles(north_field_engineer, "雷击") == []
    assert titles(north_field_engineer, "离线") == ["FSU 离线"]


def test_cases_are_searched_only_among_the_cases_a_person_may_see(
    open_case, field_engineer, north_field_engineer, north_site
):
    east = open_case(field_engineer, title="摄像头掉线", description="IPC 每晚掉线。")
    north = open_case(
        north_field_engineer, title="IPC 离线", description="北京机房 IPC 离线。", site=north_site
    )
    assert [case.pk for case in search_cases(field_engineer, "离线")] == [east.pk]
    assert [case.pk for case in search_cases(north_field_engineer, "摄像头")] == [north.pk]
    supervisor = UserFactory(username="sue", roles=[RoleCode.SUPERVISOR])
    assert {case.pk for case in search_cases(supervisor, "掉线")} == {east.pk, north.pk}


def test_a_changed_case_is_searched_as_it_is_now(open_case, field_engineer):
    from tests.cases.conftest import at
    from tierdesk.cases import workflow

    case = open_case(field_engineer, title="NVR 故障", description="无法回放。")
    assert search_cases(field_engineer, "硬盘") == []
    workflow.update_case(
        case, by=field_engineer, now=at(1), changes={"description": "硬盘损坏，无法回放。"}
    )
    assert [c.pk for c in search_cases(field_engineer, "硬盘")] == [case.pk]


def test_reindexing_applies_a_new_synonym_to_existing_articles(write_article, line2_engineer):
    from io import StringIO

    from django.core.management import call_command

    write_article(title="光猫 LOS 灯红", symptom="光信号丢失。")
    onu = SearchTerm.objects.create(term="ONU", kind=SearchTermKind.PRODUCT)
    SearchTerm.objects.create(term="光猫", kind=SearchTermKind.PRODUCT, synonym_of=onu)
    assert titles(line2_engineer, "ONU") == []
    output = StringIO()
    call_command("reindex_knowledge", stdout=output)
    assert "indexed 1 articles" in output.getvalue()
    assert titles(line2_engineer, "ONU") == ["光猫 LOS 灯红"]


def test_someone_who_may_see_no_article_finds_nothing(library, vendor_contact):
    assert titles(vendor_contact, "离线") == []


def test_a_case_is_found_as_soon_as_it_is_saved_and_found_again_after_each_change(
    open_case, field_engineer
):
    from tests.cases.conftest import at

    case = open_case(field_engineer, title="UPS 旁路告警", description="UPS 转旁路。")
    assert [found.pk for found in search_cases(field_engineer, "旁路")] == [case.pk]

    workflow.update_case(case, by=field_engineer, changes={"title": "NVR 无录像"}, now=at(1))
    workflow.comment(case, by=field_engineer, text="已联系客户。", internal=True, now=at(2))
    case.refresh_from_db()

    assert [found.pk for found in search_cases(field_engineer, "录像")] == [case.pk]
    assert search_cases(field_engineer, "告警") == []
    # The comment left the text alone: the index state simply follows the new version.
    assert not stale_cases().filter(pk=case.pk).exists()


def test_a_case_written_around_the_workflow_is_found_once_the_job_has_run(
    open_case, field_engineer
):
    from tierdesk.knowledge.tasks import index_changed_cases

    case = open_case(field_engineer, title="UPS 旁路告警", description="UPS 转旁路。")
    Case.objects.filter(pk=case.pk).update(title="NVR 无录像", version=F("version") + 1)
    assert search_cases(field_engineer, "录像") == []

    index_changed_cases.call()

    assert [found.pk for found in search_cases(field_engineer, "录像")] == [case.pk]
