"""The pages: review queue (managers and administrators), merge field by field, the
merge's page with its undo, "not duplicates", and the warning while typing."""

import pytest

from clientela.accounts.models import Account
from clientela.core.tests.matrix import database_snapshot
from clientela.duplicates import scan
from clientela.duplicates.models import Candidate, Merge, NotDuplicate

from .helpers import UserFactory, new_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return UserFactory(username="gerente", role="manager")


@pytest.fixture
def pair(manager):
    survivor = new_account(manager)
    merged = new_account(
        manager, name="GRUPO RODRIGUEZ, S.A.", tax_id="155124-1-2019", website="https://gr.pa"
    )
    return survivor, merged


def test_queue_lists_the_pair_with_its_reasons(client, manager, pair):
    scan.scan("account", full=True)
    client.force_login(manager)
    response = client.get("/duplicates/")
    assert response.status_code == 200
    body = response.content.decode()
    assert pair[0].code in body and pair[1].code in body
    assert "nombre parecido" in body
    # Filters: a score above theirs hides them; a salesperson's name keeps them.
    Candidate.objects.update(score=0.7)
    assert pair[0].code not in client.get("/duplicates/?min_score=80").content.decode()
    assert pair[0].code in client.get("/duplicates/?min_score=70").content.decode()
    assert pair[0].code in client.get("/duplicates/?salesperson=gerente").content.decode()
    assert pair[0].code not in client.get("/duplicates/?country=CO").content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("manager", 200), ("sales", 403), ("support", 403), ("viewer", 403)],
)
def test_queue_is_for_managers_and_administrators(client, role, status):
    client.force_login(UserFactory(username=f"u-{role}", role=role))
    assert client.get("/duplicates/").status_code == status


def test_not_duplicates_is_remembered_and_never_proposed_again(client, manager, pair):
    scan.scan("account", full=True)
    assert Candidate.objects.count() == 1
    client.force_login(manager)
    a, b = sorted(p.pk for p in pair)
    response = client.post("/duplicates/not-duplicates/", {"kind": "account", "a": a, "b": b})
    assert response.status_code == 302
    assert NotDuplicate.objects.filter(low_id=a, high_id=b).exists()
    assert not Candidate.objects.exists()
    scan.scan("account", full=True)
    assert not Candidate.objects.exists()
    assert pair[0].code not in client.get("/duplicates/").content.decode()


def test_merge_page_field_by_field_then_undo(client, manager, pair):
    survivor, merged = pair
    client.force_login(manager)
    url = f"/duplicates/merge/?kind=account&survivor={survivor.pk}&merged={merged.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="choice_name"' in page.content.decode()
    response = client.post(
        "/duplicates/merge/",
        {
            "kind": "account",
            "survivor": survivor.pk,
            "merged": merged.pk,
            "choice_name": "merged",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/accounts/{survivor.code}/"
    survivor.refresh_from_db()
    assert survivor.name == "GRUPO RODRIGUEZ, S.A."
    merge = Merge.objects.get()
    # The survivor's history links to the merge, whose page undoes it.
    profile = client.get(f"/accounts/{survivor.code}/").content.decode()
    assert f"/duplicates/merges/{merge.pk}/" in profile
    detail = client.get(f"/duplicates/merges/{merge.pk}/")
    assert detail.status_code == 200 and "/undo/" in detail.content.decode()
    undone = client.post(f"/duplicates/merges/{merge.pk}/undo/")
    assert undone.status_code == 302 and undone["Location"] == f"/accounts/{merged.code}/"
    assert Account.objects.filter(pk=merged.pk).exists()
    survivor.refresh_from_db()
    assert survivor.name == "Grupo Rodríguez Corp."


def test_merge_refused_to_a_salesperson_of_one_of_them_changes_nothing(client, manager, pair):
    survivor, merged = pair
    seller = UserFactory(username="vendedor", role="sales")
    Account.objects.filter(pk=survivor.pk).update(salesperson=seller)
    client.force_login(seller)
    before = database_snapshot()
    response = client.post(
        "/duplicates/merge/", {"kind": "account", "survivor": survivor.pk, "merged": merged.pk}
    )
    assert response.status_code == 404  # the other account is not theirs to see
    assert database_snapshot() == before


def test_warning_while_typing_a_new_account(client, manager, pair):
    client.force_login(manager)
    response = client.get(
        "/duplicates/account-warning/",
        {"name": "grupo rodriguez", "country": "PA", "email": "", "phone": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert pair[0].code in body and pair[1].code in body
    assert "nombre parecido" in body
    by_phone = client.get(
        "/duplicates/account-warning/", {"name": "Otra cosa", "phone": "234-5600", "country": "PA"}
    ).content.decode()
    assert pair[0].code in by_phone and "mismo teléfono" in by_phone
    nothing = client.get("/duplicates/account-warning/", {"name": "Zapatería Luna"})
    assert "duplicate-warning" not in nothing.content.decode()


def test_new_account_form_asks_for_the_warning(client, manager):
    client.force_login(manager)
    body = client.get("/accounts/new/").content.decode()
    assert 'id="duplicate-warning"' in body and "/duplicates/account-warning/" in body
