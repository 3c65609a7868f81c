"""The cases pages: queue, form, case page with its actions and thread, profile panel."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from clientela.cases.models import Case, CaseComment
from clientela.cases.tests.factories import (
    AccountFactory,
    CaseCommentFactory,
    CaseFactory,
    ContactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def support():
    return UserFactory(username="agente", role="support", first_name="Rita", last_name="Vega")


@pytest.fixture
def agent(client, support):
    client.force_login(support)
    return client


def html(response):
    return response.content.decode()


# ── Queue ───────────────────────────────────────────────────────────────────────────────────────


def test_menu_links_to_the_queue(agent):
    assert 'href="/cases/"' in html(agent.get("/"))


def test_queue_marks_overdue_cases_with_how_late(agent):
    CaseFactory(
        subject="Vencido",
        priority="urgent",
        opened_at=timezone.now() - timedelta(hours=7, minutes=10),
    )
    CaseFactory(subject="A tiempo", priority="low")
    page = html(agent.get("/cases/"))
    assert "Casos pendientes por atender" in page
    assert "vencido hace 3\xa0horas" in page
    assert "vence en 4\xa0días" in page or "vence en 5\xa0días" in page
    assert page.index("Vencido") < page.index("A tiempo")
    assert page.count("is-overdue") == 1


def test_queue_shows_scope_counts_and_filters_in_the_url(agent, support):
    CaseFactory(subject="Caso propio", assignee=support, status="in_progress")
    CaseFactory(subject="Sin dueño")
    page = html(agent.get("/cases/?scope=mine"))
    assert "Caso propio" in page and "Sin dueño" not in page
    assert re.search(r"Todos <span class=\"case-scope-count\">2</span>", page)
    assert re.search(r"Míos <span class=\"case-scope-count\">1</span>", page)
    assert re.search(r"Sin asignar <span class=\"case-scope-count\">1</span>", page)
    fragment = agent.get("/cases/?scope=unassigned", **HX)
    assert 'id="results"' in html(fragment) and "<html" not in html(fragment)
    assert "Sin dueño" in html(fragment) and "Caso propio" not in html(fragment)


def test_queue_account_filter_takes_the_code_or_the_datalist_text(agent):
    account = AccountFactory(name="Ferretería Central")
    CaseFactory(subject="De la ferretería", account=account)
    CaseFactory(subject="De otra cuenta")
    page = html(agent.get("/cases/", {"account": f"{account.code} · Ferretería Central"}))
    assert "De la ferretería" in page and "De otra cuenta" not in page


def test_invalid_filter_values_are_ignored(agent):
    CaseFactory(subject="Visible")
    response = agent.get("/cases/?priority=nope&scope=everything&status=zzz")
    assert response.status_code == 200
    assert "Visible" in html(response)


def test_queue_query_count_does_not_grow_with_rows(agent, django_assert_max_num_queries):
    CaseFactory.create_batch(2, contact=None)
    with django_assert_max_num_queries(12) as few:
        agent.get("/cases/")
    for _ in range(30):
        account = AccountFactory()
        CaseFactory(
            account=account, contact=ContactFactory(account=account), assignee=UserFactory()
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = agent.get("/cases/")
    assert html(response).count('class="case-row') == 32


def test_queue_pages_by_fifty(agent):
    CaseFactory.create_batch(51)
    first = html(agent.get("/cases/"))
    assert first.count('class="case-row') == 50
    assert "Página 1 de 2" in first
    assert html(agent.get("/cases/?page=2")).count('class="case-row') == 1


# ── Opening a case ──────────────────────────────────────────────────────────────────────────────


def test_new_case_page_preselects_the_account_and_lists_only_its_contacts(agent):
    account = AccountFactory(status="suspended")
    ContactFactory(account=account, first_name="Ana", last_name="Propia")
    ContactFactory(first_name="Luis", last_name="Ajeno")
    page = html(agent.get(f"/cases/new/?account={account.code}"))
    assert f'value="{account.code}"' in page
    assert "Ana Propia" in page and "Luis Ajeno" not in page
    assert 'role="alert"' in page  # the suspended account's banner
    assert 'name="account"' in page and '<select name="account"' not in page


def test_new_case_ignores_an_account_the_user_may_not_see(client):
    seller = UserFactory(role="sales")
    foreign = AccountFactory(name="Ajena")
    client.force_login(seller)
    page = html(client.get(f"/cases/new/?account={foreign.code}"))
    assert f'value="{foreign.code}"' not in page


def test_contact_field_follows_the_account(agent):
    account = AccountFactory(status="restricted")
    ContactFactory(account=account, first_name="Eva", last_name="Cuenta")
    response = agent.get("/cases/new/contact-field/", {"account": account.code}, **HX)
    body = html(response)
    assert "Eva Cuenta" in body and 'id="account-dependent"' in body
    assert 'role="alert"' in body
    assert "Eva Cuenta" not in html(agent.get("/cases/new/contact-field/?account=NADA", **HX))


def test_opening_a_case_redirects_to_its_page(agent, support):
    account = AccountFactory()
    contact = ContactFactory(account=account)
    response = agent.post(
        "/cases/new/",
        {
            "account": account.code,
            "contact": str(contact.pk),
            "subject": "No llega la factura electrónica",
            "description": "Desde el lunes.",
            "priority": "high",
            "assignee": "",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/"
    assert case.created_by == support and case.priority == "high"


def test_a_failed_open_keeps_what_was_typed(agent):
    account = AccountFactory()
    stranger = ContactFactory()
    response = agent.post(
        "/cases/new/",
        {
            "account": account.code,
            "contact": str(stranger.pk),
            "subject": "",
            "description": "Texto que no se pierde",
            "priority": "urgent",
        },
    )
    body = html(response)
    assert response.status_code == 422
    assert 'id="id_subject_error"' in body and 'id="id_contact_error"' in body
    assert "Texto que no se pierde" in body
    assert not Case.objects.exists()


def test_assignee_who_cannot_work_the_case_is_reported_beside_the_field(agent):
    UserFactory(username="lector", role="viewer")
    account = AccountFactory()
    response = agent.post(
        "/cases/new/",
        {"account": account.code, "subject": "Asunto", "priority": "normal", "assignee": "lector"},
    )
    assert response.status_code == 422
    assert 'id="id_assignee_error"' in html(response)


# ── The case page ───────────────────────────────────────────────────────────────────────────────


def test_case_page_shows_every_field_and_the_thread_newest_last(agent):
    account = AccountFactory(name="Cliente Uno")
    contact = ContactFactory(account=account, first_name="Marta", last_name="Ruiz")
    case = CaseFactory(account=account, contact=contact, description="Línea 1\nLínea 2")
    CaseCommentFactory(case=case, body="primero", created_at=timezone.now() - timedelta(hours=2))
    CaseCommentFactory(case=case, body="segundo")
    page = html(agent.get(f"/cases/{case.number}/"))
    for text in [case.number, case.subject, "Cliente Uno", "Marta Ruiz", "Línea 1<br>Línea 2"]:
        assert text in page
    assert page.index("primero") < page.index("segundo")
    assert "Asignarme" in page


def test_comment_is_plain_text_with_links_and_line_breaks(agent):
    case = CaseFactory()
    agent.post(
        f"/cases/{case.number}/comments/",
        {"body": '<script>alert("x")</script>\nVer https://ejemplo.com/guia <b>negrita</b>'},
    )
    page = html(agent.get(f"/cases/{case.number}/"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>" in page
    assert "&lt;b&gt;negrita&lt;/b&gt;" in page
    assert (
        '<a href="https://ejemplo.com/guia" rel="nofollow noopener noreferrer" '
        'target="_blank">https://ejemplo.com/guia</a>'
    ) in page


def test_comment_without_htmx_redirects_to_the_comment(agent):
    case = CaseFactory()
    response = agent.post(f"/cases/{case.number}/comments/", {"body": "Llamé."})
    comment = CaseComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/#comment-{comment.pk}"


def test_comment_with_htmx_answers_the_new_comment_and_a_fresh_form(agent):
    case = CaseFactory()
    response = agent.post(f"/cases/{case.number}/comments/", {"body": "Vía htmx"}, **HX)
    body = html(response)
    assert response.status_code == 200
    assert 'class="comment"' in body and "Vía htmx" in body
    assert 'hx-swap-oob="true"' in body
    assert "<html" not in body


def test_blank_comment_is_refused_in_place(agent):
    case = CaseFactory()
    response = agent.post(f"/cases/{case.number}/comments/", {"body": "   "}, **HX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#comment-form"
    assert 'id="id_body_error"' in html(response)
    response = agent.post(f"/cases/{case.number}/comments/", {"body": ""})
    assert response.status_code == 422
    assert not CaseComment.objects.exists()


def test_assign_to_me_with_htmx_updates_the_summary(agent, support):
    case = CaseFactory()
    response = agent.post(f"/cases/{case.number}/assign/", **HX)
    body = html(response)
    assert response.status_code == 200
    assert 'id="case-summary"' in body and "Rita Vega" in body and "Asignarme" not in body
    case.refresh_from_db()
    assert case.assignee == support and case.status == "in_progress"


def test_resolve_without_resolution_is_refused_with_the_reason(agent):
    case = CaseFactory(status="in_progress")
    response = agent.post(
        f"/cases/{case.number}/status/",
        {"status": "resolved", "resolution": "", "version": "1"},
        **HX,
    )
    assert response.status_code == 422
    assert 'id="id_resolution_error"' in html(response)
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_resolve_with_resolution_then_reopen(agent):
    case = CaseFactory(status="in_progress")
    response = agent.post(
        f"/cases/{case.number}/status/",
        {"status": "resolved", "resolution": "Se reenvió la factura.", "version": "1"},
    )
    assert response.status_code == 302
    page = html(agent.get(f"/cases/{case.number}/"))
    assert "Se reenvió la factura." in page and "Reabrir" in page
    response = agent.post(
        f"/cases/{case.number}/status/", {"status": "in_progress", "version": "2"}, **HX
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == "in_progress" and case.resolution == ""


def test_invalid_transition_answers_422_with_a_spanish_message(agent):
    case = CaseFactory(status="closed")
    response = agent.post(
        f"/cases/{case.number}/status/", {"status": "resolved", "version": "1"}, **HX
    )
    assert response.status_code == 422
    assert "no puede pasar" in html(response)


def test_stale_status_change_is_refused(agent):
    case = CaseFactory(status="in_progress")
    response = agent.post(
        f"/cases/{case.number}/status/", {"status": "waiting_customer", "version": "9"}
    )
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.status == "in_progress"


def test_viewer_sees_the_case_without_actions(client):
    client.force_login(UserFactory(role="viewer"))
    case = CaseFactory()
    page = html(client.get(f"/cases/{case.number}/"))
    assert case.subject in page
    for action in ["Asignarme", "Resolver", 'id="comment-form"', "/edit/"]:
        assert action not in page


# ── Editing ─────────────────────────────────────────────────────────────────────────────────────


def test_edit_changes_priority_and_keeps_the_account(agent):
    case = CaseFactory(priority="low")
    response = agent.post(
        f"/cases/{case.number}/edit/",
        {"subject": "Nuevo asunto", "priority": "urgent", "version": "1", "account": "OTRA"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.subject == "Nuevo asunto" and case.priority == "urgent"
    assert case.due_at == case.opened_at + timedelta(hours=4)


def test_edit_with_a_stale_version_keeps_the_typing(agent):
    case = CaseFactory()
    Case.objects.filter(pk=case.pk).update(version=2)
    response = agent.post(
        f"/cases/{case.number}/edit/",
        {"subject": "Lo que escribí", "priority": "normal", "version": "1"},
    )
    assert response.status_code == 422
    assert "Lo que escribí" in html(response)
    case.refresh_from_db()
    assert case.subject != "Lo que escribí"


def test_closed_case_edit_is_refused_in_the_form(agent):
    case = CaseFactory(status="closed")
    response = agent.post(
        f"/cases/{case.number}/edit/", {"subject": "Otro", "priority": "normal", "version": "1"}
    )
    assert response.status_code == 422


# ── Account profile panel ───────────────────────────────────────────────────────────────────────


def test_profile_panel_lists_open_and_done_cases_and_links_a_new_case(agent):
    account = AccountFactory()
    CaseFactory(account=account, subject="Abierto uno", assignee=UserFactory(first_name="Lía"))
    CaseFactory(account=account, subject="Resuelto uno", status="resolved")
    page = html(agent.get(f"/accounts/{account.code}/"))
    panel = page[page.index('id="panel-cases"') :]
    assert panel.index("Abierto uno") < panel.index("Resuelto uno")
    assert f'href="/cases/new/?account={account.code}"' in panel
    assert "Nuevo caso" in panel


def test_profile_panel_hides_new_case_from_viewers(client):
    client.force_login(UserFactory(role="viewer"))
    account = AccountFactory()
    page = html(client.get(f"/accounts/{account.code}/"))
    assert 'id="panel-cases"' in page and "/cases/new/" not in page


def test_profile_panel_query_count_does_not_grow(agent, django_assert_max_num_queries):
    account = AccountFactory()
    CaseFactory(account=account)
    with django_assert_max_num_queries(60) as few:
        agent.get(f"/accounts/{account.code}/")
    for status in ["new", "in_progress", "resolved", "closed"] * 5:
        CaseFactory(account=account, status=status, assignee=UserFactory(role="support"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        agent.get(f"/accounts/{account.code}/")


# ── Deleting ────────────────────────────────────────────────────────────────────────────────────


def test_manager_deletes_a_case_and_returns_to_the_account(client):
    client.force_login(UserFactory(role="manager"))
    case = CaseFactory()
    assert client.get(f"/cases/{case.number}/delete/").status_code == 200
    response = client.post(f"/cases/{case.number}/delete/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{case.account.code}/"
    assert not Case.objects.exists()
