"""Fees owed, collecting accounts, payments (transfers, cash, PayGov), receipts and their numbers.

Amounts are whole VND in integer columns. Money that arrives is never dropped: a transfer that
cannot be applied to a dossier is kept as an exception until a desk officer resolves it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .fees import Item, PayableAt


class ItemChoice(models.TextChoices):
    FEE = Item.FEE.value, _("Fee (phí)")
    CHARGE = Item.CHARGE.value, _("Charge (lệ phí)")


class PayableAtChoice(models.TextChoices):
    RECEIPT = PayableAt.RECEIPT.value, _("On receipt")
    RETURN = PayableAt.RETURN.value, _("When the result is returned")


class FeeSetting(models.Model):
    """Cách thu: how payments treat one catalog fee row (budget item, when it is payable)."""

    fee = models.OneToOneField(
        "catalog.Fee", on_delete=models.CASCADE, related_name="payment_setting", verbose_name=_("fee")
    )
    item = models.CharField(
        _("budget item"),
        max_length=1,
        choices=ItemChoice.choices,
        blank=True,
        help_text=_("Empty: taken from the name (a name starting with “Lệ phí” is a charge)."),
    )
    payable_at = models.CharField(
        _("payable"), max_length=10, choices=PayableAtChoice.choices, default=PayableAt.RECEIPT
    )

    class Meta:
        verbose_name = _("fee collection setting")
        verbose_name_plural = _("fee collection settings")

    def __str__(self) -> str:
        return str(self.fee)


class CollectingAccount(models.Model):
    """Tài khoản thu: the bank account fees are transferred to, for one center or a whole province."""

    center = models.ForeignKey(
        "units.ServiceCenter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("center"),
    )
    province = models.ForeignKey(
        "units.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    bank_bin = models.CharField(_("bank BIN"), max_length=6, help_text=_("6 digits, e.g. 970416."))
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    account_number = models.CharField(_("account number"), max_length=19)
    account_name = models.CharField(_("account name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("collecting account")
        verbose_name_plural = _("collecting accounts")
        constraints = [
            models.CheckConstraint(
                name="collecting_account_one_owner",
                condition=(
                    models.Q(center__isnull=False, province__isnull=True)
                    | models.Q(center__isnull=True, province__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number} {self.account_name}"


class Charge(models.Model):
    """Khoản phải nộp: one fee line a dossier owes, frozen when the dossier is received."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="charges")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=300)
    item = models.CharField(_("budget item"), max_length=1, choices=ItemChoice.choices)
    payable_at = models.CharField(_("payable"), max_length=10, choices=PayableAtChoice.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"), null=True, blank=True)
    exempt = models.BooleanField(_("exempt"), default=False)
    exemption_reason = models.TextField(_("legal reason for the exemption"), blank=True)
    exempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exempted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier_id", "position"]
        constraints = [models.UniqueConstraint(fields=["dossier", "position"], name="charge_position_unique")]
        verbose_name = _("amount owed")
        verbose_name_plural = _("amounts owed")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class Method(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer (VietQR)")
    CASH = "cash", _("Cash at the counter")
    PAYGOV = "paygov", _("National payment platform")


class PaymentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    EXCEPTION = "exception", _("To be resolved")
    ATTACHED = "attached", _("Attached to a dossier by an officer")
    REFUNDED = "refunded", _("Refunded")


class ExceptionKind(models.TextChoices):
    UNMATCHED = "unmatched", _("Matches no dossier")
    UNDERPAID = "underpaid", _("Pays too little")
    OVERPAID = "overpaid", _("Pays too much")
    DUPLICATE = "duplicate", _("Dossier already paid")
    UNPRICED = "unpriced", _("Amount owed not set yet")


class Payment(models.Model):
    """Khoản tiền đã nhận: money received for fees, by transfer, cash or the national platform.

    `center` is the collecting center (the dossier's receiving center); empty only for a transfer
    that matches no dossier into a province's account, which the province administrators resolve.
    """

    center = models.ForeignKey(
        "units.ServiceCenter", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    account = models.ForeignKey(
        CollectingAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices)
    exception_kind = models.CharField(max_length=10, choices=ExceptionKind.choices, blank=True)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    provider_txn_id = models.CharField(_("provider transaction id"), max_length=100, blank=True)
    purpose = models.CharField(_("transfer purpose"), max_length=300, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("paid at"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_txn_id"],
                condition=~models.Q(provider_txn_id=""),
                name="payment_provider_txn_unique",
            )
        ]
        indexes = [models.Index(fields=["center", "paid_at"], name="payment_center_day")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class ReceiptBook(models.Model):
    """Mẫu và ký hiệu biên lai: the template symbol and series a center issues its receipts under."""

    center = models.OneToOneField(
        "units.ServiceCenter", on_delete=models.CASCADE, related_name="+", verbose_name=_("center")
    )
    template_symbol = models.CharField(_("template symbol"), max_length=20, default="01BLP0-001")
    series = models.CharField(_("series"), max_length=20, default="BL-E")

    class Meta:
        verbose_name = _("receipt book")
        verbose_name_plural = _("receipt books")

    def __str__(self) -> str:
        return f"{self.template_symbol} {self.series}"


class ReceiptCounter(models.Model):
    """Sổ biên lai: the last receipt number of a center's template and series in a year (gap-free)."""

    center = models.ForeignKey("units.ServiceCenter", on_delete=models.CASCADE, related_name="+")
    template_symbol = models.CharField(max_length=20)
    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["center", "template_symbol", "series", "year"], name="receipt_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_symbol} {self.series} {self.year}: {self.last_number}"


class Receipt(models.Model):
    """Biên lai điện tử (Decree 123/2020): issued for a payment, replaced but never edited."""

    center = models.ForeignKey("units.ServiceCenter", on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    template_symbol = models.CharField(_("template symbol"), max_length=20)
    series = models.CharField(_("series"), max_length=20)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("number"))
    lookup_key = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    unit_name = models.CharField(_("collecting unit"), max_length=300)
    payer_name = models.CharField(_("payer"), max_length=200)
    payer_address = models.CharField(_("address"), max_length=300, blank=True)
    lines = models.JSONField(default=list)
    total = models.PositiveBigIntegerField(_("total (VND)"))
    total_words = models.CharField(_("total in words"), max_length=400)
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    collector_name = models.CharField(_("collector"), max_length=200)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    replacement_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "template_symbol", "series", "year", "number"], name="receipt_number_unique"
            )
        ]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.template_symbol} {self.series} {self.number:07d}"


class PayGovTransaction(models.Model):
    """Giao dịch PayGov: a payment started on the national platform, settled by its callback."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("reference"), max_length=50, unique=True)
    amount = models.PositiveBigIntegerField()
    state = models.CharField(max_length=10, default="started")  # started / paid / failed
    pay_url = models.URLField(max_length=500, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    request = models.JSONField(default=dict)
    callback = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.reference


class RejectedNotification(models.Model):
    """A webhook or callback refused (unsigned, wrong signature, malformed): kept for the record."""

    source = models.CharField(max_length=20)
    reason = models.CharField(max_length=200)
    remote_addr = models.CharField(max_length=64, blank=True)
    body = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.source} {self.reason}"
