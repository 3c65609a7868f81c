"""What a page leads to, for the tests that follow every link of the main pages (the
actions per role, the stored-XSS sweep): its links and htmx GETs, and where it posts."""

import re
from html.parser import HTMLParser


class Targets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()
        self.posts: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a" and attr.get("href"):
            self.links.add(attr["href"] or "")
        if attr.get("hx-get"):
            self.links.add(attr["hx-get"] or "")
        if attr.get("hx-post"):
            self.posts.add(attr["hx-post"] or "")
        if tag == "form" and (attr.get("method") or "").lower() == "post" and attr.get("action"):
            self.posts.add(attr["action"] or "")


def targets_of(html: str) -> Targets:
    found = Targets()
    found.feed(html)
    return found


def internal(url: str, skip: re.Pattern[str]) -> bool:
    """A page of ours (not another site's, not one `skip` names)."""
    return url.startswith("/") and not url.startswith("//") and not skip.search(url)
