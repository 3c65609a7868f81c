"""Duplicates (issue 16): the keys a scan files records under, the pairs it found, the
pairs a person said are not duplicates, and every merge (with what undoing it needs)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ACCOUNT = "account", _("Account")
    CONTACT = "contact", _("Contact")


class MatchKey(models.Model):
    """One blocking key of one record (clientela.duplicates.matching.blocking_keys)."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    record_id = models.BigIntegerField()
    key = models.CharField(max_length=300)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "key", "record_id"], name="dup_key_idx"),
            models.Index(fields=["kind", "record_id"], name="dup_key_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.record_id}:{self.key}"


class Candidate(models.Model):
    """A pair of records that look like one (low id first), with its score and reasons."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    low_id = models.BigIntegerField()
    high_id = models.BigIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    found_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "low_id", "high_id"], name="dup_candidate_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "-score", "id"], name="dup_candidate_score_idx"),
            models.Index(fields=["kind", "high_id"], name="dup_candidate_high_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.low_id}-{self.high_id} ({self.score})"


class NotDuplicate(models.Model):
    """A pair a person said are different records: never proposed again."""

    kind = models.CharField(max_length=10, choices=Kind.choices)
    low_id = models.BigIntegerField()
    high_id = models.BigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "low_id", "high_id"], name="dup_not_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.low_id}≠{self.high_id}"


class Merge(models.Model):
    """One merge: `merged` went into `survivor`. Keeps what undoing it needs: the merged
    record as it was, the survivor's fields the merge changed, and the records it moved.
    An account's merged code answers 301 to the survivor for ever and is never reused."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Not foreign keys: the merged record is gone, and the survivor may go later.
    survivor_id = models.BigIntegerField()
    survivor_label = models.CharField(_("survivor"), max_length=250)
    merged_id = models.BigIntegerField()
    merged_label = models.CharField(_("merged"), max_length=250)
    # The account's code ("" for a contact); unique among accounts: a code is merged once.
    merged_code = models.CharField(_("merged code"), max_length=20, blank=True, default="")
    survivor_code = models.CharField(max_length=20, blank=True, default="")
    merged_row = models.JSONField(default=dict)  # the serialized record, for undo
    survivor_changes = models.JSONField(default=dict)  # {attname: [before, after]} raw
    moved = models.JSONField(default=dict)  # {"app.model.field": [ids]}
    unset_primary = models.JSONField(default=list)  # contact ids that lost is_primary
    history = models.JSONField(default=dict)  # {field: [survivor's, merged's, chosen]}
    at = models.DateTimeField(_("merged at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merged_code"],
                condition=~models.Q(merged_code="") & models.Q(undone_at__isnull=True),
                name="dup_merge_code_once",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "survivor_id"], name="dup_merge_survivor_idx"),
            models.Index(fields=["kind", "merged_id"], name="dup_merge_merged_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_label} → {self.survivor_label}"


class ScanState(models.Model):
    """Progress of the background scan of one kind, and where the next incremental scan
    starts (records changed since `last_started_at`)."""

    kind = models.CharField(max_length=10, choices=Kind.choices, unique=True)
    status = models.CharField(max_length=10, default="idle")  # idle, queued, running, done
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    pairs = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The start of the last complete scan: the next one reads records changed since.
    last_started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind}: {self.status} {self.done}/{self.total}"
