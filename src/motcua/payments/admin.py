"""Admin: collecting accounts per center or province, how fee rows are collected, receipt books."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import CollectingAccount, FeeSetting, ReceiptBook
from .vietqr import VietQRError, validate


class CollectingAccountForm(forms.ModelForm):
    class Meta:
        model = CollectingAccount
        fields = [
            "center",
            "province",
            "bank_bin",
            "bank_name",
            "account_number",
            "account_name",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        try:
            validate(data.get("bank_bin", ""), data.get("account_number", ""), None)
        except VietQRError as exc:
            raise ValidationError({FORM_FIELD[exc.field]: exc.message}) from None
        if bool(data.get("center")) == bool(data.get("province")):
            raise ValidationError(_("Choose either a center or a province."))
        return data


FORM_FIELD = {"bin": "bank_bin", "account": "account_number", "amount": "account_number"}


@admin.register(CollectingAccount)
class CollectingAccountAdmin(admin.ModelAdmin):
    form = CollectingAccountForm
    list_display = (
        "account_number",
        "account_name",
        "bank_name",
        "bank_bin",
        "center",
        "province",
        "is_active",
    )
    list_filter = ("is_active", "province")
    search_fields = ("account_number", "account_name", "center__name")
    autocomplete_fields = ("center",)


@admin.register(FeeSetting)
class FeeSettingAdmin(admin.ModelAdmin):
    list_display = ("fee", "item", "payable_at")
    list_filter = ("item", "payable_at")
    raw_id_fields = ("fee",)


@admin.register(ReceiptBook)
class ReceiptBookAdmin(admin.ModelAdmin):
    list_display = ("center", "template_symbol", "series")
    autocomplete_fields = ("center",)
