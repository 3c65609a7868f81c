from django.db.backends.postgresql import base

from clientela.core.backends.rollback import RollbackHooksMixin


class DatabaseWrapper(RollbackHooksMixin, base.DatabaseWrapper):
    pass
