"""Ratings, surveys, follow-ups and complaints of citizens about the service they received.

Each row carries the centre it counts for (`center_id`, the dossier's handling centre, copied at
write time) and its instant, indexed together: the report selectors answer from these indexes
alone and never scan dossiers. Rows are written only by `services.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RatingValue(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


class FeedbackChannel(models.TextChoices):
    WEB = "web", _("Web (tracking page)")
    KIOSK = "kiosk", _("Kiosk")
    COUNTER = "counter", _("Counter tablet")


class Rating(models.Model):
    """Đánh giá mức độ hài lòng: the applicant's one rating of a returned (or refused) dossier,
    with an optional rating of the desk officer who served them.

    `center` is the dossier's handling centre; `officer_center` is the centre where the officer
    served the applicant (the receiving centre, which differs for boundary-free dossiers), so an
    officer's counts belong to the centre they work in.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating", verbose_name=_("dossier")
    )
    center = models.ForeignKey("units.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("rating"), max_length=16, choices=RatingValue.choices)
    comment = models.TextField(_("comment"), blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    officer_center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_value = models.CharField(
        _("rating of the officer"), max_length=16, choices=RatingValue.choices, blank=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The staff member whose counter tablet was used."),
    )
    created_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["center", "created_at"], name="rating_center_time"),
            models.Index(fields=["officer_center", "created_at"], name="rating_officer_time"),
        ]
        constraints = [
            models.CheckConstraint(
                name="rating_officer_complete",
                condition=(
                    Q(officer__isnull=True, officer_center__isnull=True, officer_value="")
                    | (Q(officer__isnull=False, officer_center__isnull=False) & ~Q(officer_value=""))
                ),
            ),
        ]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.value}"


class Survey(models.Model):
    """Phiếu đánh giá việc giải quyết thủ tục hành chính: the 9 indicators of Circular 01/2018
    (each 2, 1 or 0 points; empty when the applicant skipped it), filled once per dossier after the
    rating. The totals are stored so that scores are sums over an index (see `survey.py`)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="survey")
    center = models.ForeignKey("units.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicator_1 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_2 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_3 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_4 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_5 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_6 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_7 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_8 = models.PositiveSmallIntegerField(null=True, blank=True)
    indicator_9 = models.PositiveSmallIntegerField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(default=0)
    max_points = models.PositiveSmallIntegerField(default=0)
    officer_points = models.PositiveSmallIntegerField(default=0)
    officer_max_points = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["center", "created_at"], name="survey_center_time"),
            models.Index(fields=["officer_center", "created_at"], name="survey_officer_time"),
        ]
        constraints = [
            models.CheckConstraint(
                name=f"survey_indicator_{n}_range",
                condition=Q(**{f"indicator_{n}__isnull": True}) | Q(**{f"indicator_{n}__lte": 2}),
            )
            for n in range(1, 10)
        ] + [
            models.CheckConstraint(
                name="survey_points_within_max", condition=Q(points__lte=models.F("max_points"))
            ),
        ]
        verbose_name = _("survey (Circular 01/2018)")
        verbose_name_plural = _("surveys (Circular 01/2018)")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.points}/{self.max_points}"

    def scores(self) -> tuple:
        return tuple(getattr(self, f"indicator_{n}") for n in range(1, 10))


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class FollowUp(models.Model):
    """Theo dõi đánh giá không hài lòng: the task a "not satisfied" rating opens for the leaders
    of the dossier's handling centre, closed when a leader records what was done."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="followup")
    center = models.ForeignKey("units.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned leader"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(_("what was done"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["center", "status", "created_at"], name="followup_center_status")]
        constraints = [
            models.CheckConstraint(
                name="followup_done_complete",
                condition=Q(status="open", done_at__isnull=True)
                | (Q(status="done", done_at__isnull=False, done_by__isnull=False) & ~Q(action_taken="")),
            ),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.status}"


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")


class Complaint(models.Model):
    """Phản ánh, kiến nghị: a citizen's complaint or suggestion, about one dossier (proved by its
    code and lookup secret) or about a centre in general, and the leader's answer."""

    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, related_name="+", verbose_name=_("service center")
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("dossier"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    text = models.TextField(_("complaint"))
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["center", "created_at"], name="complaint_center_time"),
            models.Index(fields=["center", "status", "created_at"], name="complaint_center_status"),
        ]
        constraints = [
            models.CheckConstraint(
                name="complaint_answer_complete",
                condition=Q(status="new", answered_at__isnull=True)
                | (Q(status="answered", answered_at__isnull=False) & ~Q(answer="")),
            ),
        ]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"
