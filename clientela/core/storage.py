"""The object-store backend for logos and documents (CLIENTELA_STORAGE=s3).

Files are served by streaming them through the access-checked views
(clientela.documents.responses, accounts' logo view), never by a URL into the bucket:
the view sets the headers that make a crafted file harmless (type from the content,
nosniff, a sandbox CSP, the original name) which a bucket URL could not carry, the
bucket can stay on a private network, and a revoked user cannot keep using a link.
So this storage writes private objects and refuses to make a URL at all: a template
that tried `{{ document.file.url }}` fails loudly instead of leaking a link.
"""

from __future__ import annotations

from typing import Any

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def url(
        self,
        name: str | None,
        parameters: Any = None,
        expire: Any = None,
        http_method: Any = None,
    ) -> str:
        raise NotImplementedError(
            "stored files are private: serve them through an access-checked view"
        )
