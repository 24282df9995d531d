"""Articles: versions and their diff, the review workflow, who sees drafts, reuse and votes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.knowledge.conftest import FIXED, at
from tierdesk.knowledge import access, services
from tierdesk.knowledge.models import ArticleAction, ArticleState

pytestmark = pytest.mark.django_db


def test_every_saved_version_is_kept_with_its_author_and_note(regional_support, write_article):
    article = write_article(title="FSU 离线", symptom="第一版", published=False)
    services.update_article(
        article, by=regional_support, now=at(1), note="补充原因", cause="天线松动"
    )
    article.refresh_from_db()
    versions = list(article.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].cause == "" and versions[1].cause == "天线松动"
    assert versions[1].note == "补充原因" and versions[1].author == regional_support
    assert article.current_version == 2


def test_saving_without_a_change_makes_no_new_version(regional_support, write_article):
    article = write_article(title="FSU 离线", symptom="现象", published=False)
    services.update_article(article, by=regional_support, now=at(1), title="FSU 离线")
    assert article.versions.count() == 1


def test_the_diff_shows_removed_and_added_lines_per_field(regional_support, write_article):
    article = write_article(
        title="FSU 离线", symptom="现象", solution="第一步\n重启 FSU", published=False
    )
    services.update_article(
        article, by=regional_support, now=at(1), solution="第一步\n更换天线", category="network"
    )
    old, new = article.versions.get(number=1), article.versions.get(number=2)
    diff = {field.name: field.lines for field in services.diff_versions(old, new)}
    assert ("-", "重启 FSU") in diff["solution"]
    assert ("+", "更换天线") in diff["solution"]
    assert (" ", "第一步") in diff["solution"]
    assert "category" in diff and "title" not in diff


def test_line_two_approves_a_regional_article_and_it_is_published(
    regional_support, line2_engineer, write_article
):
    article = write_article(title="FSU 离线", symptom="现象", published=False)
    services.act(article, action=ArticleAction.SUBMIT, by=regional_support, now=at(1))
    article = services.act(article, action=ArticleAction.APPROVE, by=line2_engineer, now=at(2))
    assert article.state == ArticleState.PUBLISHED
    assert article.published_version == 1 and article.published_at == at(2)
    assert article.reviewer == line2_engineer


def test_the_author_cannot_approve_their_own_article(line2_engineer, write_article):
    article = write_article(title="NVR", symptom="现象", by=line2_engineer, published=False)
    services.act(article, action=ArticleAction.SUBMIT, by=line2_engineer, now=at(1))
    with pytest.raises(PermissionDenied):
        services.act(article, action=ArticleAction.APPROVE, by=line2_engineer, now=at(2))


def test_regional_support_cannot_approve(regional_support, write_article, service_manager):
    article = write_article(title="NVR", symptom="现象", by=service_manager, published=False)
    services.act(article, action=ArticleAction.SUBMIT, by=service_manager, now=at(1))
    with pytest.raises(PermissionDenied):
        services.act(article, action=ArticleAction.APPROVE, by=regional_support, now=at(2))


def test_requesting_changes_needs_a_note_and_returns_the_draft(
    regional_support, line2_engineer, write_article
):
    article = write_article(title="FSU 离线", symptom="现象", published=False)
    services.act(article, action=ArticleAction.SUBMIT, by=regional_support, now=at(1))
    with pytest.raises(ValidationError):
        services.act(article, action=ArticleAction.REQUEST_CHANGES, by=line2_engineer, now=at(2))
    article = services.act(
        article,
        action=ArticleAction.REQUEST_CHANGES,
        by=line2_engineer,
        now=at(2),
        note="请写明固件版本",
    )
    assert article.state == ArticleState.DRAFT and article.review_note == "请写明固件版本"


def test_an_action_the_state_does_not_allow_is_refused(line2_engineer, write_article):
    article = write_article(title="FSU 离线", symptom="现象", published=False)
    with pytest.raises(ValidationError):
        services.act(article, action=ArticleAction.APPROVE, by=line2_engineer, now=at(1))


def test_field_engineers_and_vendors_do_not_write_articles(field_engineer, vendor_contact):
    for person in (field_engineer, vendor_contact):
        with pytest.raises(PermissionDenied):
            services.create_article(by=person, now=FIXED, title="x", symptom="x", solution="x")


def test_drafts_are_seen_by_their_author_and_line_two_only(
    write_article,
    regional_support,
    line2_engineer,
    supervisor,
    field_engineer,
    north_field_engineer,
    rd_engineer,
    vendor_contact,
):
    draft = write_article(title="草稿", symptom="现象", published=False)
    for person in (regional_support, line2_engineer, supervisor):
        assert access.access_article(person, draft.pk) == draft
    for person in (field_engineer, north_field_engineer, rd_engineer, vendor_contact):
        with pytest.raises(Http404):
            access.access_article(person, draft.pk)


def test_a_published_article_is_shared_with_every_region_but_not_vendors(
    write_article, north_field_engineer, rd_engineer, vendor_contact
):
    article = write_article(title="FSU 离线", symptom="现象")
    assert access.access_article(north_field_engineer, article.pk) == article
    assert access.access_article(rd_engineer, article.pk) == article
    with pytest.raises(Http404):
        access.access_article(vendor_contact, article.pk)


def test_a_revision_keeps_the_published_text_for_readers_until_approved(
    write_article, regional_support, line2_engineer, north_field_engineer
):
    article = write_article(title="FSU 离线", symptom="旧现象")
    article = services.update_article(article, by=regional_support, now=at(3), symptom="新现象")
    assert article.state == ArticleState.DRAFT and article.has_pending_revision
    assert access.access_article(north_field_engineer, article.pk) == article
    assert services.readers_version(article).symptom == "旧现象"
    services.act(article, action=ArticleAction.SUBMIT, by=regional_support, now=at(4))
    article = services.act(article, action=ArticleAction.APPROVE, by=line2_engineer, now=at(5))
    assert services.readers_version(article).symptom == "新现象"
    assert article.published_version == 2


def test_an_archived_article_is_no_longer_shared(write_article, line2_engineer, field_engineer):
    article = write_article(title="FSU 离线", symptom="现象")
    services.act(article, action=ArticleAction.ARCHIVE, by=line2_engineer, now=at(3))
    with pytest.raises(Http404):
        access.access_article(field_engineer, article.pk)


def test_this_solved_my_case_counts_once_per_case(
    write_article, resolved_case, field_engineer, regional_support, open_case
):
    article = write_article(title="FSU 离线", symptom="现象")
    services.record_reuse(article, case=resolved_case, by=field_engineer, now=at(3))
    services.record_reuse(article, case=resolved_case, by=regional_support, now=at(4))
    other = open_case(field_engineer, title="另一个 FSU 离线")
    services.record_reuse(article, case=other, by=field_engineer, now=at(5))
    assert article.reuses.count() == 2
    assert article.reuses.get(case=resolved_case).user == field_engineer


def test_reuse_needs_a_case_the_person_may_see(write_article, resolved_case, north_field_engineer):
    article = write_article(title="FSU 离线", symptom="现象")
    with pytest.raises(PermissionDenied):
        services.record_reuse(article, case=resolved_case, by=north_field_engineer, now=at(3))
    assert article.reuses.count() == 0


def test_a_draft_cannot_be_marked_as_solving_a_case(write_article, resolved_case, regional_support):
    draft = write_article(title="草稿", symptom="现象", published=False)
    with pytest.raises(ValidationError):
        services.record_reuse(draft, case=resolved_case, by=regional_support, now=at(3))


def test_helpful_votes_count_once_per_person(write_article, field_engineer, north_field_engineer):
    article = write_article(title="FSU 离线", symptom="现象")
    services.vote_helpful(article, by=field_engineer, now=at(3))
    services.vote_helpful(article, by=field_engineer, now=at(4))
    services.vote_helpful(article, by=north_field_engineer, now=at(4))
    assert article.votes.count() == 2


def test_an_article_from_a_case_is_prefilled_from_it(resolved_case):
    fields = services.draft_from_case(resolved_case)
    assert fields["title"] == resolved_case.title
    assert fields["symptom"] == resolved_case.description
    assert fields["solution"] == "更换 4G 模块天线并升级固件到 V2.3 后恢复。"
    assert fields["product"] == resolved_case.product


def test_the_shown_version_is_read_only_for_the_published_text_of_an_article_under_revision(
    write_article, own_product, regional_support, north_field_engineer, django_assert_num_queries
):
    settled = write_article(title="FSU 离线", symptom="旧现象", product=own_product)
    revised = write_article(title="门禁离线", symptom="旧现象")
    revised = services.update_article(revised, by=regional_support, now=at(3), symptom="新现象")
    articles = [settled, revised]
    for person in (north_field_engineer, regional_support):
        person.role_codes  # noqa: B018 (read once, as a signed-in request has)

    with django_assert_num_queries(1):
        readers = services.shown_versions(articles, north_field_engineer)
    with django_assert_num_queries(0):
        authors = services.shown_versions(articles, regional_support)

    assert (readers[settled.pk].title, readers[settled.pk].number) == ("FSU 离线", 1)
    assert readers[settled.pk].product == own_product
    assert (readers[revised.pk].symptom, readers[revised.pk].number) == ("旧现象", 1)
    assert (authors[revised.pk].symptom, authors[revised.pk].number) == ("新现象", 2)
    assert revised.shown_state == ArticleState.DRAFT
