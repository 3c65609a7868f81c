import re
from datetime import timedelta

import pytest
import vobject
from django.utils import timezone

from clientela.activities.models import Activity, Notification, UserAgenda
from clientela.activities.tests.factories import AccountFactory, ActivityFactory, UserFactory
from clientela.cases.tests.factories import CaseFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return UserFactory(role="sales")


@pytest.fixture
def own_account(seller):
    return AccountFactory(salesperson=seller)


@pytest.fixture
def seller_client(client, seller):
    client.force_login(seller)
    return client


def test_profile_shows_panel_upcoming_first_then_past(seller_client, own_account):
    ActivityFactory(account=own_account, subject="Próxima visita")
    ActivityFactory(
        account=own_account,
        subject="Llamada pasada",
        starts_at=timezone.now() - timedelta(days=2),
        done=True,
        done_at=timezone.now(),
    )
    profile = seller_client.get(f"/accounts/{own_account.code}/").content.decode()
    assert 'id="panel-activities"' in profile
    assert f"/activities/panel/?account={own_account.code}" in profile
    html = seller_client.get(f"/activities/panel/?account={own_account.code}").content.decode()
    assert html.index("Próxima visita") < html.index("Llamada pasada")


def test_quick_call_in_place_via_htmx(seller_client, own_account):
    response = seller_client.post(
        f"/activities/quick/call/?account={own_account.code}",
        {"subject": "Llamada", "result": "answered", "notes": "Pidió cotización"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    activity = Activity.objects.get()
    assert activity.done and activity.kind == "call" and activity.result == "answered"
    assert 'id="panel-activities"' in response.content.decode()


def test_quick_plan_refused_keeps_typing_and_answers_422(seller_client, own_account):
    response = seller_client.post(
        f"/activities/quick/plan/?account={own_account.code}",
        {"kind": "meeting", "subject": "Visita", "starts_at": "99/99/2026"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Visita" in response.content.decode()
    assert not Activity.objects.exists()


def test_panel_on_contact_and_case_pages(seller_client, own_account):
    contact = ContactFactory(account=own_account)
    case = CaseFactory(account=own_account)
    ActivityFactory(account=own_account, contact=contact, subject="Con el contacto")
    ActivityFactory(account=own_account, case=case, subject="Sobre el caso")
    html = seller_client.get(f"/activities/panel/?contact={contact.pk}").content.decode()
    assert "Con el contacto" in html and "Sobre el caso" not in html
    html = seller_client.get(f"/activities/panel/?case={case.number}").content.decode()
    assert "Sobre el caso" in html and "Con el contacto" not in html
    assert (
        "/activities/panel/?contact="
        in seller_client.get(f"/contacts/{contact.pk}/").content.decode()
    )


def test_panel_of_other_account_is_404(seller_client):
    other = AccountFactory()
    assert seller_client.get(f"/activities/panel/?account={other.code}").status_code == 404
    assert (
        seller_client.post(
            f"/activities/quick/call/?account={other.code}", {"subject": "x", "result": "answered"}
        ).status_code
        == 404
    )
    assert not Activity.objects.exists()


def test_profile_panel_query_count_does_not_grow(
    seller_client, own_account, django_assert_max_num_queries
):
    for _ in range(3):
        ActivityFactory(account=own_account)
    panel = f"/activities/panel/?account={own_account.code}"
    with django_assert_max_num_queries(60) as few:
        seller_client.get(panel)
    baseline = len(few.captured_queries)
    for _ in range(15):
        ActivityFactory(account=own_account, contact=ContactFactory(account=own_account))
        ActivityFactory(account=own_account, done=True, done_at=timezone.now())
    with django_assert_max_num_queries(baseline):
        seller_client.get(panel)


def test_my_day_sections_and_done_in_place(seller_client, seller, own_account):
    overdue = ActivityFactory(
        account=own_account, subject="Atrasada", starts_at=timezone.now() - timedelta(days=2)
    )
    today = ActivityFactory(account=own_account, subject="Hoy mismo", starts_at=timezone.now())
    ActivityFactory(account=AccountFactory(), subject="Ajena")
    html = seller_client.get("/today/").content.decode()
    assert "Atrasada" in html and "Hoy mismo" in html and "Ajena" not in html
    response = seller_client.post(
        f"/activities/{today.pk}/done/", {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "is-done" in response.content.decode()
    response = seller_client.post(
        f"/activities/{overdue.pk}/reschedule/",
        {"starts_at": (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y 10:00")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    overdue.refresh_from_db()
    assert timezone.localtime(overdue.starts_at).date() == timezone.localdate() + timedelta(days=1)


def test_my_day_query_count_does_not_grow(
    seller_client, own_account, django_assert_max_num_queries
):
    ActivityFactory(account=own_account, starts_at=timezone.now())
    with django_assert_max_num_queries(40) as few:
        seller_client.get("/today/")
    baseline = len(few.captured_queries)
    for days in range(-5, 6):
        ActivityFactory(account=own_account, starts_at=timezone.now() + timedelta(days=days))
    with django_assert_max_num_queries(baseline):
        seller_client.get("/today/")


def test_my_day_shows_twenty_overdue_and_links_to_all_of_them(seller_client, own_account):
    for n in range(25):
        ActivityFactory(
            account=own_account,
            subject=f"Atrasada {n:02d}",
            starts_at=timezone.now() - timedelta(days=3, minutes=n),
        )
    ActivityFactory(account=own_account, subject="Hecha", done=True, done_at=timezone.now())
    html = seller_client.get("/today/").content.decode()
    overdue = html.split('id="day-overdue"')[1].split("</section>")[0]
    assert overdue.count('class="activity-row') == 20
    assert "(20+)" in overdue
    link = re.search(r'href="(/activities/\?[^"]+)">Ver todas', overdue)
    assert link is not None
    listed = seller_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert all(f"Atrasada {n:02d}" in listed for n in range(25))
    assert "Hecha" not in listed


def test_my_day_without_more_has_no_see_all_link(seller_client, own_account):
    ActivityFactory(account=own_account, starts_at=timezone.now() - timedelta(days=1))
    html = seller_client.get("/today/").content.decode()
    assert "(1)" in html and "Ver todas" not in html


def test_manager_sees_a_salespersons_day_salesperson_cannot(client, seller, own_account):
    ActivityFactory(account=own_account, subject="Del vendedor", starts_at=timezone.now())
    client.force_login(UserFactory(role="manager"))
    assert "Del vendedor" in client.get(f"/today/?user={seller.username}").content.decode()
    client.force_login(UserFactory(role="sales"))
    assert client.get(f"/today/?user={seller.username}").status_code == 403


def test_calendar_feed_parsed_by_another_reader(client, seller, own_account):
    ActivityFactory(account=own_account, subject="Visita a planta", notes="Llevar muestras; ¡sí!")
    token = UserAgenda.objects.create(user=seller).token
    response = client.get(f"/calendar/{token}.ics")  # no login: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = vobject.readOne(response.content.decode())
    events = parsed.contents["vevent"]
    assert len(events) == 1
    assert "Visita a planta" in events[0].summary.value
    assert "Llevar muestras; ¡sí!" in events[0].description.value
    assert events[0].dtstart.value.tzinfo is not None


def test_revoked_feed_token_is_404(seller_client, client, seller):
    old = UserAgenda.objects.create(user=seller).token
    assert seller_client.post("/activities/calendar/revoke/").status_code == 302
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    new = UserAgenda.objects.get(user=seller).token
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert client.get("/calendar/nada.ics").status_code == 404


def test_one_activity_as_ics(seller_client, own_account):
    activity = ActivityFactory(account=own_account, subject="Reunión anual")
    response = seller_client.get(f"/activities/{activity.pk}.ics")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    event = vobject.readOne(response.content.decode()).vevent
    assert "Reunión anual" in event.summary.value


def test_bell_counts_unread_and_marks_read(seller_client, seller, own_account):
    activity = ActivityFactory(account=own_account)
    Notification.objects.create(user=seller, activity=activity, message="Recordatorio: x")
    assert "bell-count" in seller_client.get("/notifications/bell/").content.decode()
    assert "Recordatorio: x" in seller_client.get("/notifications/").content.decode()
    seller_client.post("/notifications/read/")
    assert "bell-count" not in seller_client.get("/notifications/bell/").content.decode()


def test_create_page_and_list(seller_client, own_account):
    response = seller_client.post(
        "/activities/new/",
        {
            "account": own_account.code,
            "kind": "meeting",
            "subject": "Visita comercial",
            "starts_at": "15/01/2027 09:30",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert timezone.localtime(activity.starts_at).strftime("%d/%m/%Y %H:%M") == "15/01/2027 09:30"
    html = seller_client.get(f"/activities/?account={own_account.code}").content.decode()
    assert "Visita comercial" in html


def test_account_list_shows_sorts_and_filters_activity_dates(
    seller_client, seller, django_assert_max_num_queries
):
    from clientela.activities import services

    busy = AccountFactory(salesperson=seller, name="Cuenta Activa")
    AccountFactory(salesperson=seller, name="Cuenta Dormida")
    services.activity_create(user=seller, data={"account": busy, "subject": "Llamé"}, done=True)
    nxt = timezone.now() + timedelta(days=3)
    services.activity_create(
        user=seller, data={"account": busy, "subject": "Volver", "starts_at": nxt}
    )
    busy.refresh_from_db()
    assert busy.last_activity_at is not None and busy.next_activity_at == nxt
    html = seller_client.get("/accounts/?idle=on").content.decode()
    assert "Cuenta Dormida" in html and "Cuenta Activa" not in html
    html = seller_client.get("/accounts/?sort=-last_activity").content.decode()
    assert html.index("Cuenta Activa") < html.index("Cuenta Dormida")
    AccountFactory.create_batch(10, salesperson=seller)
    with django_assert_max_num_queries(12):
        seller_client.get("/accounts/?sort=next_activity")


def test_done_moves_the_accounts_dates(seller, own_account):
    from clientela.activities import services

    activity = ActivityFactory(account=own_account)
    services.refresh_account_dates(own_account.pk)
    own_account.refresh_from_db()
    assert (
        own_account.next_activity_at == activity.agenda_at and own_account.last_activity_at is None
    )
    services.activity_set_done(user=seller, activity=activity, done=True)
    own_account.refresh_from_db()
    assert (
        own_account.next_activity_at is None and own_account.last_activity_at == activity.agenda_at
    )


def test_demo_seeder_makes_activities_and_account_dates():
    import random

    from clientela.accounts.models import Account
    from clientela.activities.demo import seed_activities

    seller = UserFactory(role="sales")
    AccountFactory.create_batch(6, salesperson=seller)
    made = seed_activities(Account.objects.all(), random.Random(3))
    assert made == Activity.objects.count() > 0
    done = Activity.objects.filter(done=True).first()
    if done is not None:
        assert Account.objects.get(pk=done.account_id).last_activity_at is not None
