from django.db.backends.sqlite3 import base

from clientela.core.backends.rollback import RollbackHooksMixin


class DatabaseWrapper(RollbackHooksMixin, base.DatabaseWrapper):
    pass
