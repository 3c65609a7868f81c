import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from clientela.accounts import services
from clientela.accounts.models import Account
from clientela.accounts.tests.factories import AccountFactory, CustomerTypeFactory, UserFactory
from clientela.audit.models import HistoryEntry
from clientela.audit.selectors import change_lines
from clientela.users.models import User

pytestmark = pytest.mark.django_db


def create_account(user):
    return services.account_create(
        user=user,
        data={
            "person_kind": "legal",
            "name": "Ferretería El Progreso",
            "tax_id": "155596713-2-2015",
            "contact_name": "Rosa Pérez",
            "email": "info@progreso.com.pa",
            "phone": "+5072345678",
            "country": "PA",
            "customer_type": CustomerTypeFactory(),
        },
    ).record


def test_creating_an_account_records_who_and_every_value():
    user = UserFactory()
    account = create_account(user)
    (entry,) = _account_history(account.pk)
    assert entry.action == HistoryEntry.Action.CREATE
    assert entry.user == user
    assert entry.changes["name"] == [None, "Ferretería El Progreso"]
    assert entry.changes["customer_type"] == [None, "Corporativo"]
    assert "search_text" not in entry.changes and "version" not in entry.changes


def test_an_edit_records_one_entry_with_old_and_new_values_as_labels():
    user = UserFactory()
    account = create_account(user)
    services.account_update(
        user=user, account=account, data={"status": "suspended", "city": "David"}, version=1
    )
    entry = _account_history(account.pk).first()
    assert entry.action == HistoryEntry.Action.UPDATE
    assert entry.changes == {"city": [None, "David"], "status": ["active", "suspended"]}
    with translation.override("es"):
        lines = {line.label: (line.old, line.new) for line in change_lines(entry)}
    assert lines["estatus"] == ("Activa", "Suspendida")
    assert lines["ciudad"] == ("—", "David")


def test_foreign_keys_are_recorded_by_name():
    user = UserFactory()
    account = create_account(user)
    seller = UserFactory(first_name="Ana", last_name="Gómez")
    services.account_update(user=user, account=account, data={"salesperson": seller}, version=1)
    entry = _account_history(account.pk).first()
    assert entry.changes["salesperson"][1] == "Ana Gómez"


def test_saving_without_changes_records_nothing():
    user = UserFactory()
    account = create_account(user)
    services.account_update(user=user, account=account, data={"name": account.name}, version=1)
    assert _account_history(account.pk).count() == 1


def test_a_refused_change_records_nothing():
    user = UserFactory()
    account = create_account(user)
    with pytest.raises(ValidationError):
        services.account_update(user=user, account=account, data={"email": "mal"}, version=1)
    assert _account_history(account.pk).count() == 1


def test_history_outlives_a_deleted_account():
    user = UserFactory(role="manager")
    account = create_account(user)
    pk = account.pk
    services.account_delete(user=user, account=account)
    assert not Account.objects.filter(pk=pk).exists()
    actions = list(_account_history(pk).values_list("action", flat=True))
    assert actions == ["delete", "create"]


def test_history_cannot_be_edited_or_deleted_through_the_orm():
    account = create_account(UserFactory())
    entry = _account_history(account.pk).first()
    entry.object_repr = "falsificado"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        HistoryEntry.objects.filter(pk=entry.pk).update(object_repr="x")
    with pytest.raises(PermissionError):
        HistoryEntry.objects.all().delete()


def test_the_database_refuses_to_rewrite_history():
    account = create_account(UserFactory())
    entry = _account_history(account.pk).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_historyentry SET object_repr = %s WHERE id = %s", ["x", entry.pk]
        )
    entry.refresh_from_db()
    assert entry.object_repr != "x"


def test_profile_history_panel_shows_related_records_newest_first(client):
    user = UserFactory()
    account = create_account(user)
    services.account_update(user=user, account=account, data={"city": "Colón"}, version=1)
    # A related record's entry (any module writes account_id the same way).
    HistoryEntry.objects.create(
        user=user,
        action="create",
        content_type=ContentType.objects.get_for_model(User),
        object_id="1",
        object_repr="Contacto de prueba",
        account_id=account.pk,
        changes={},
    )
    client.force_login(user)
    html = client.get(f"/accounts/{account.code}/").content.decode()
    panel = html[html.index('id="panel-history"') :]
    # The account is "creada", the contact "creado" (the participle agrees with the record).
    assert panel.index("Contacto de prueba") < panel.index("Colón") < panel.rindex("Creada")


def test_history_panel_pages_with_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    account = create_account(user)
    client.force_login(user)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/accounts/{account.code}/history/")
    for n in range(45):
        services.account_update(
            user=user, account=account, data={"city": f"Ciudad {n}"}, version=n + 1
        )
    # A first page that holds the whole history needs no COUNT; a second page adds one.
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        response = client.get(f"/accounts/{account.code}/history/?history_page=2")
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('class="history-entry"') == 20
    assert "Página 2 de 3" in html


def test_sales_user_cannot_read_another_accounts_history(client):
    account = AccountFactory()
    client.force_login(UserFactory(role="sales"))
    assert client.get(f"/accounts/{account.code}/history/").status_code == 404


def test_amounts_and_times_show_in_the_regional_format():
    user = UserFactory()
    account = create_account(user)
    services.account_update(
        user=user,
        account=account,
        data={"payment_terms": "credit", "credit_days": 30, "credit_limit": "12345.5"},
        version=1,
    )
    entry = _account_history(account.pk).first()
    with translation.override("es"):
        lines = {line.label: line.new for line in change_lines(entry)}
    assert lines["límite de crédito"] == "12,345.50"


def _account_history(account_id):
    """An account's entries, newest first, also once the account is gone."""
    return HistoryEntry.objects.filter(account_id=account_id).order_by("-at", "-id")
