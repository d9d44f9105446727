"""Building blocks for the staff page tests: a staffed center, a two-paper procedure, sign-in."""

from dataclasses import dataclass
from decimal import Decimal

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.catalog.specs import ComponentSpec, StepSpec
from motcua.dossiers import services
from motcua.units.models import Role
from tests import factories

PASSWORD = "pw-12345-test"
CARD = "087190001234|361234567|Trần Thị Ánh Nguyệt|15031990|Nữ|Ấp 3, xã Mỹ An Hưng, tỉnh Đồng Tháp|01072021"
STEPS = (
    StepSpec("Tiếp nhận hồ sơ", "desk_officer", Decimal("0.25")),
    StepSpec("Thẩm định hồ sơ", "specialist", Decimal("1"), "VP"),
    StepSpec("Phê duyệt", "leader", Decimal("0.5"), "VP"),
    StepSpec("Ký, ban hành kết quả", "specialist", Decimal("0.5"), "VP"),
    StepSpec("Trả kết quả", "desk_officer", Decimal("0.25")),
)


@dataclass
class Center:
    center: object
    department: object
    desk: object
    specialist: object
    leader: object
    admin: object


def staffed(commune=None, prefix: str = "") -> Center:
    center = factories.center(commune)
    department = factories.department(center, code="VP", name="Văn phòng HĐND và UBND")
    return Center(
        center=center,
        department=department,
        desk=factories.user(
            Role.DESK_OFFICER, center_obj=center, username=f"{prefix}desk", full_name="Nguyễn Thị Hồng"
        ),
        specialist=factories.user(
            Role.SPECIALIST,
            center_obj=center,
            department_obj=department,
            username=f"{prefix}specialist",
            full_name="Trần Văn Phúc",
        ),
        leader=factories.user(
            Role.LEADER, center_obj=center, username=f"{prefix}leader", full_name="Võ Thành Nhân"
        ),
        admin=factories.user(Role.CENTER_ADMIN, center_obj=center, username=f"{prefix}admin", is_staff=True),
    )


def birth_registration(**overrides):
    """Birth registration ("Đăng ký khai sinh") with two mandatory papers, written through the
    catalog service so that the accent-insensitive search finds it."""
    overrides.setdefault("name", "Đăng ký khai sinh")
    overrides.setdefault(
        "components",
        (
            ComponentSpec("Tờ khai đăng ký khai sinh (theo mẫu)"),
            ComponentSpec("Giấy chứng sinh", "original"),
        ),
    )
    overrides.setdefault("steps", STEPS)
    return factories.catalog_version(field_obj=factories.field(), **overrides)


def verified_client(user, device: TOTPDevice | None = None) -> Client:
    """A signed-in client whose session has passed the TOTP step (needed by leaders and admins)."""
    client = Client()
    client.force_login(user)
    device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def receive(c: Center, version, **kwargs):
    """A dossier received at the counter through the service (all papers provided)."""
    result = services.dossier_intake(
        actor=c.desk,
        center=c.center,
        procedure_version=version,
        channel="counter",
        applicant=kwargs.pop(
            "applicant", services.Applicant(name="Trần Thị Ánh Nguyệt", id_number="087190001234")
        ),
        components=[services.ComponentCheck(comp.id, True) for comp in version.components.all()],
        **kwargs,
    )
    return result.dossier


def at_step(c: Center, version, step_role: str):
    """A dossier transferred and moved to the first step with `step_role`."""
    dossier = receive(c, version)
    dossier = services.dossier_act(actor=c.desk, dossier=dossier, action="transfer")
    if step_role == "leader":
        dossier = services.dossier_act(actor=c.specialist, dossier=dossier, action="forward")
    return dossier


def pdf_bytes(text: str = "Giay chung sinh") -> bytes:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(300, 200))
    page.drawString(20, 100, text)
    page.showPage()
    page.save()
    return out.getvalue()
