import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from clientela.accounts.tests.factories import UserFactory
from clientela.imports.models import ImportRun


class ImportRunFactory(DjangoModelFactory):
    """A checked import of a small accounts CSV."""

    class Meta:
        model = ImportRun

    kind = ImportRun.Kind.ACCOUNTS
    status = ImportRun.Status.CHECKED
    file = factory.LazyFunction(lambda: ContentFile(b"Nombre;RUC\r\nA;1\r\n", name="upload"))
    file_name = "clientes.csv"
    file_format = "csv"
    headers = factory.LazyFunction(lambda: ["Nombre", "RUC"])
    mapping = factory.LazyFunction(lambda: {"0": "name", "1": "tax_id"})
    total_rows = 1
    created_by = factory.SubFactory(UserFactory)
