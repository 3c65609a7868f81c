"""How an imported record's history entries name their import."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from clientela.audit.sources import Source, source_code

SOURCE_PREFIX = "import"


def import_source(run_id: int) -> str:
    return source_code(SOURCE_PREFIX, run_id)


def describe_import_source(key: str) -> Source:
    label = _("Import #%(number)s") % {"number": key}
    try:
        return Source(label, reverse("import_detail", args=[int(key)]))
    except (ValueError, NoReverseMatch):
        return Source(label)
