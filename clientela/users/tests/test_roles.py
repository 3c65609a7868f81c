import pytest
from django.contrib.auth.models import Group

from clientela.accounts.tests.factories import UserFactory
from clientela.users.roles import Role, role_grants

pytestmark = pytest.mark.django_db


def test_migrations_create_the_five_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


@pytest.mark.parametrize(
    ("role", "perm", "granted"),
    [
        ("admin", "catalogs.change_customertype", True),
        ("manager", "accounts.reassign_account", True),
        ("manager", "catalogs.change_customertype", False),
        ("sales", "accounts.add_account", True),
        ("sales", "accounts.reassign_account", False),
        ("sales", "accounts.delete_account", False),
        ("support", "accounts.change_account", False),
        ("support", "accounts.view_account", True),
        ("viewer", "accounts.view_account", True),
        ("viewer", "accounts.export_account", False),
        ("viewer", "accounts.add_account", False),
        ("sales", "audit.change_historyentry", False),
        ("admin", "audit.view_historyentry", True),
    ],
)
def test_role_groups_carry_the_permissions_of_their_role(role, perm, granted):
    user = UserFactory(role=role)
    assert user.has_perm(perm) is granted


def test_support_works_cases_but_only_reads_contacts():
    assert role_grants("support", "cases", "change_case")
    assert role_grants("support", "cases", "comment_case")
    assert not role_grants("support", "contacts", "change_contact")


def test_viewer_may_download_but_never_write():
    assert role_grants("viewer", "documents", "download_document")
    for action in ["add", "change", "delete", "upload", "export"]:
        assert not role_grants("viewer", "documents", f"{action}_document")


def test_superuser_counts_as_administrator():
    user = UserFactory(is_superuser=True, role="viewer")
    user.__dict__.pop("role", None)
    assert user.role == Role.ADMIN
