"""Taking a dossier to its result: reception, the specialist's review, the leader's approval."""

from __future__ import annotations

import io

from motcua.dossiers import services
from motcua.dossiers.models import Dossier

APPLICANT = services.Applicant(
    name="Trần Thị Ánh Nguyệt", id_number="087190001234", phone="0909123456", address="Ấp 3, xã Mỹ An Hưng"
)


def receive(env, version=None, *, applicant=APPLICANT, delivery: str = "electronic") -> Dossier:
    version = version or env.version
    return services.dossier_intake(
        actor=env.desk,
        center=env.center,
        procedure_version=version,
        channel="counter",
        applicant=applicant,
        components=[services.ComponentCheck(c.id, True) for c in version.components.all()],
        result_delivery=delivery,
    ).dossier


def to_leader(env, dossier: Dossier) -> Dossier:
    dossier = services.dossier_act(actor=env.desk, dossier=dossier, action="transfer")
    return services.dossier_act(actor=env.specialist, dossier=dossier, action="forward")


def approve(env, dossier: Dossier, leader=None) -> Dossier:
    return services.dossier_act(actor=leader or env.leader, dossier=dossier, action="approve")


def plain_pdf(text: str = "Kết quả giải quyết") -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()
