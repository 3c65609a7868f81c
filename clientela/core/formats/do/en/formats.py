# Built from the table in clientela/core/formats/regions.py: edit it there.
from clientela.core.formats.regions import module_constants

globals().update(module_constants("DO", "en"))
