"""Admin screens of the province administrator: channel settings of the province, message
templates (checked and previewed with sample data), webhook subscriptions of their units, and the
portal's state codes (superusers)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.units.models import Province, ServiceCenter
from motcua.units.scoping import user_scope

from . import wording
from .models import MessageTemplate, PortalStateCode, ProvinceIntegration, WebhookSubscription


class ProvinceScoped(admin.ModelAdmin):
    """A province administrator sees and edits only their province's rows."""

    province_field = "province"

    def _codes(self, request):
        return user_scope(request.user).province_codes

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.province_field}__in": self._codes(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "province":
                kwargs["queryset"] = Province.objects.filter(code__in=self._codes(request))
                kwargs["required"] = True
            if db_field.name == "center":
                kwargs["queryset"] = ServiceCenter.objects.filter(commune__province__in=self._codes(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _url(label) -> forms.URLField:
    return forms.URLField(label=label, required=False, assume_scheme="https", max_length=200)


class IntegrationForm(forms.ModelForm):
    zns_url = _url(_("Zalo ZNS endpoint"))
    sms_url = _url(_("SMS brandname endpoint"))
    portal_url = _url(_("national portal endpoint"))

    class Meta:
        model = ProvinceIntegration
        fields = [f.name for f in ProvinceIntegration._meta.fields]
        widgets = {
            "sms_password": forms.PasswordInput(render_value=True),
            "smtp_password": forms.PasswordInput(render_value=True),
            "portal_password": forms.PasswordInput(render_value=True),
        }

    def clean_citizen_channels(self) -> str:
        value = ",".join(c.strip() for c in self.cleaned_data["citizen_channels"].split(",") if c.strip())
        unknown = [c for c in value.split(",") if c not in ("zns", "sms", "email")]
        if unknown or not value:
            raise forms.ValidationError(_("Use zns, sms and email, separated by commas."))
        return value


@admin.register(ProvinceIntegration)
class ProvinceIntegrationAdmin(ProvinceScoped):
    form = IntegrationForm
    list_display = ["province", "citizen_channels", "zns_url", "sms_url", "portal_url"]
    fieldsets = [
        (None, {"fields": ["province", "citizen_channels"]}),
        (_("Zalo ZNS"), {"fields": ["zns_url", "zns_access_token", "zns_cost"]}),
        (
            _("SMS brandname"),
            {"fields": ["sms_url", "sms_username", "sms_password", "sms_brandname", "sms_cost"]},
        ),
        (
            _("E-mail"),
            {
                "fields": [
                    "smtp_host",
                    "smtp_port",
                    "smtp_username",
                    "smtp_password",
                    "smtp_tls",
                    "email_from",
                ]
            },
        ),
        (_("National portal"), {"fields": ["portal_url", "portal_username", "portal_password"]}),
    ]


class TemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["province", "kind", "channel", "subject", "body", "zns_template_id"]

    def clean(self):
        data = super().clean()
        found = wording.problems(
            channel=data.get("channel", ""),
            body=data.get("body", "") or "",
            subject=data.get("subject", "") or "",
            zns_template_id=data.get("zns_template_id", "") or "",
        )
        if found:
            raise forms.ValidationError(found)
        return data


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ProvinceScoped):
    form = TemplateForm
    list_display = ["kind", "channel", "province", "short"]
    list_filter = ["kind", "channel"]
    readonly_fields = ["preview"]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(province__isnull=True) | qs.filter(province__in=self._codes(request))

    def _own(self, request, obj) -> bool:
        return request.user.is_superuser or obj is None or obj.province_id in self._codes(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._own(request, obj)

    @admin.display(description=_("text"))
    def short(self, obj) -> str:
        return obj.body[:80]

    @admin.display(description=_("preview with sample data"))
    def preview(self, obj) -> str:
        if obj is None or not obj.pk:
            return _("Save to see the preview.")
        text = wording.preview(channel=obj.channel, body=obj.body, subject=obj.subject)
        return format_html('<pre class="notify-preview">{}</pre>', text)


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), assume_scheme="https", max_length=200)

    class Meta:
        model = WebhookSubscription
        fields = ["center", "url", "secret", "actions", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ProvinceScoped):
    form = SubscriptionForm
    province_field = "center__commune__province"
    list_display = ["url", "center", "actions", "is_active"]
    list_filter = ["is_active"]


@admin.register(PortalStateCode)
class PortalStateCodeAdmin(admin.ModelAdmin):
    list_display = ["state", "code"]
