"""A merged account's code keeps answering: 301 to the survivor, in pages and the API."""

import pytest

from clientela.duplicates import services

from .helpers import UserFactory, new_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_pair():
    manager = UserFactory(username="gerente", role="manager")
    survivor = new_account(manager)
    merged = new_account(manager, name="Grupo Rodriguez SA", tax_id="155124-1-2019")
    merge = services.record_merge(user=manager, survivor=survivor, merged=merged)
    return manager, survivor, merged, merge


def test_old_code_page_answers_301_to_the_survivor(client, merged_pair):
    manager, survivor, merged, _merge = merged_pair
    client.force_login(manager)
    response = client.get(f"/accounts/{merged.code}/")
    assert response.status_code == 301
    assert response["Location"] == f"/accounts/{survivor.code}/"
    response = client.get(f"/accounts/{merged.code}/edit/?x=1")
    assert response.status_code == 301
    assert response["Location"] == f"/accounts/{survivor.code}/edit/?x=1"


def test_old_code_api_path_answers_301(client, merged_pair):
    manager, survivor, merged, _merge = merged_pair
    client.force_login(manager)
    response = client.get(f"/api/v1/accounts/{merged.code}")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/accounts/{survivor.code}"
    assert client.get(response["Location"]).status_code == 200


def test_no_redirect_to_an_account_the_user_may_not_see(client, merged_pair):
    _manager, _survivor, merged, _merge = merged_pair
    other = UserFactory(username="vendedor", role="sales")
    client.force_login(other)
    assert client.get(f"/accounts/{merged.code}/").status_code == 404


def test_after_undo_the_code_is_the_account_again(client, merged_pair):
    manager, _survivor, merged, merge = merged_pair
    services.merge_undo(user=manager, merge=merge)
    client.force_login(manager)
    assert client.get(f"/accounts/{merged.code}/").status_code == 200


def test_an_unknown_code_stays_404(client, merged_pair):
    client.force_login(merged_pair[0])
    assert client.get("/accounts/C-999999/").status_code == 404
