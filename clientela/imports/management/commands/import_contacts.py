from clientela.imports.models import ImportRun

from ._import_command import ImportCommand


class Command(ImportCommand):
    help = "Import contacts from a CSV, XLSX or ODS file (all or nothing)."
    kind = ImportRun.Kind.CONTACTS
