"""The knowledge pages: search with snippets, detail with versions and diff, writing from a case,
review queue, reuse and votes, and the case page's panel."""

import pytest
from django.urls import reverse

from tests.knowledge.conftest import at
from tierdesk.knowledge import services
from tierdesk.knowledge.models import Article, ArticleState

pytestmark = pytest.mark.django_db


def test_search_page_lists_ranked_articles_with_escaped_highlighted_snippets(
    browse, write_article, north_field_engineer
):
    write_article(title="FSU <b>离线</b>", symptom="FSU 频繁离线 <img src=x>。")
    write_article(title="门禁", symptom="门禁控制器离线。")
    page = browse(north_field_engineer).get(reverse("knowledge:search"), {"q": "掉线"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("FSU &lt;b&gt;<mark>离线</mark>") < html.index("门禁")
    assert "&lt;img src=x&gt;" in html and "<img src=x>" not in html


def test_search_results_name_the_shown_versions_state_product_category_and_author(
    browse, write_article, own_product, north_field_engineer
):
    powered = write_article(
        title="FSU 离线", symptom="FSU 离线。", product=own_product, category="power"
    )
    bare = write_article(title="门禁离线", symptom="门禁离线。")

    html = browse(north_field_engineer).get(reverse("knowledge:search"), {"q": "离线"}).text

    item = html[html.index(f'data-article="{powered.pk}"') :].split("</li>")[0]
    assert (
        f'<a href="/knowledge/{powered.pk}/">{powered.reference} FSU <mark>离线</mark></a>' in item
    )
    assert 'data-state="published">Published</span>' in item
    assert f"{own_product.name} · Power and environment · 李博</div>" in item
    bare_item = html[html.index(f'data-article="{bare.pk}"') :].split("</li>")[0]
    assert "— · Other · 李博</div>" in bare_item


def test_article_page_shows_versions_and_an_escaped_diff(browse, write_article, regional_support):
    article = write_article(title="FSU 离线", symptom="现象", solution="重启", published=False)
    services.update_article(article, by=regional_support, now=at(1), solution="<script>x</script>")
    page = browse(regional_support).get(
        reverse("knowledge:detail", args=[article.pk]), {"from": 1, "to": 2}
    )
    html = page.content.decode()
    assert "data-diff" in html
    assert "- 重启" in html and "+ &lt;script&gt;x&lt;/script&gt;" in html


def test_a_draft_page_is_not_found_for_another_region(browse, write_article, north_field_engineer):
    draft = write_article(title="草稿", symptom="现象", published=False)
    page = browse(north_field_engineer).get(reverse("knowledge:detail", args=[draft.pk]))
    assert page.status_code == 404


def test_writing_from_a_resolved_case_prefills_and_links_it(
    browse, resolved_case, regional_support
):
    client = browse(regional_support)
    case_page = client.get(reverse("cases:detail", args=[resolved_case.pk])).content.decode()
    url = reverse("knowledge:from_case", args=[resolved_case.pk])
    assert url in case_page
    form = client.get(url).content.decode()
    assert resolved_case.description in form and "更换 4G 模块天线" in form
    response = client.post(
        url,
        {
            "title": resolved_case.title,
            "symptom": resolved_case.description,
            "cause": "天线松动",
            "solution": resolved_case.resolution,
            "product": resolved_case.product_id,
            "category": "network",
            "language": "zh-hans",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert list(article.source_cases.all()) == [resolved_case]
    assert article.state == ArticleState.DRAFT


def test_the_review_queue_lists_submitted_articles_for_line_two_only(
    browse, write_article, regional_support, line2_engineer
):
    article = write_article(title="待审核", symptom="现象", published=False)
    browse(regional_support).post(reverse("knowledge:act", args=[article.pk]), {"action": "submit"})
    assert browse(regional_support).get(reverse("knowledge:review")).status_code == 403
    queue = browse(line2_engineer).get(reverse("knowledge:review")).content.decode()
    assert "待审核" in queue
    browse(line2_engineer).post(reverse("knowledge:act", args=[article.pk]), {"action": "approve"})
    article.refresh_from_db()
    assert article.state == ArticleState.PUBLISHED


def test_request_changes_without_a_note_shows_the_error(
    browse, write_article, regional_support, line2_engineer
):
    article = write_article(title="待审核", symptom="现象", published=False)
    services.act(article, action="submit", by=regional_support, now=at(1))
    page = browse(line2_engineer).post(
        reverse("knowledge:act", args=[article.pk]), {"action": "request_changes"}
    )
    assert page.status_code == 400
    assert "Say what should change." in page.content.decode()


def test_reuse_and_vote_from_the_article_page_and_the_case_panel_lists_it(
    browse, write_article, resolved_case, field_engineer
):
    article = write_article(title="FSU 离线", symptom="现象")
    client = browse(field_engineer)
    client.post(reverse("knowledge:reuse", args=[article.pk]), {"case": resolved_case.pk})
    client.post(reverse("knowledge:vote", args=[article.pk]))
    page = client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert "data-reuse-count>1<" in page and "data-vote-count>1<" in page
    case_page = client.get(reverse("cases:detail", args=[resolved_case.pk])).content.decode()
    assert "data-knowledge-panel" in case_page and article.reference in case_page


def test_reuse_of_a_case_the_person_cannot_see_is_refused(
    browse, write_article, resolved_case, north_field_engineer
):
    article = write_article(title="FSU 离线", symptom="现象")
    page = browse(north_field_engineer).post(
        reverse("knowledge:reuse", args=[article.pk]), {"case": resolved_case.pk}
    )
    assert page.status_code == 400
    assert article.reuses.count() == 0


def test_case_scope_searches_visible_cases(browse, open_case, field_engineer):
    case = open_case(field_engineer, title="摄像头掉线", description="IPC 每晚掉线。")
    page = browse(field_engineer).get(reverse("knowledge:search"), {"scope": "cases", "q": "离线"})
    html = page.content.decode()
    assert f'data-case="{case.pk}"' in html and "<mark>掉线</mark>" in html


def test_vendor_contacts_search_only_their_cases_and_read_no_article(
    browse, write_article, vendor_contact
):
    article = write_article(title="FSU 离线", symptom="现象")
    client = browse(vendor_contact)
    page = client.get(reverse("knowledge:articles"), {"q": "离线"}).content.decode()
    assert 'data-results="cases"' in page and "FSU 离线" not in page
    assert client.get(reverse("knowledge:detail", args=[article.pk])).status_code == 404


def test_a_reader_of_an_article_under_revision_sees_it_as_published(
    browse, write_article, regional_support, north_field_engineer
):
    article = write_article(title="FSU 离线", symptom="旧现象")
    services.update_article(article, by=regional_support, now=at(3), symptom="新现象")
    page = browse(north_field_engineer).get(reverse("knowledge:detail", args=[article.pk]))
    html = page.content.decode()
    assert 'data-state="published"' in html and "旧现象" in html and "新现象" not in html
    page = browse(regional_support).get(reverse("knowledge:detail", args=[article.pk]))
    assert 'data-state="draft"' in page.content.decode()
