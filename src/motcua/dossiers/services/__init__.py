"""Every write to dossiers: intake on every channel (`intake`), each lifecycle action (`acting`),
and the event that records each change (`recording`). One keyword-only function per business
action, all atomic; the dossier row is locked before any change."""

from ..lifecycle.process import processing_steps
from .acting import available_actions, dossier_act, dossier_record
from .intake import (
    ELECTRONIC_CHANNELS,
    Applicant,
    ComponentCheck,
    IntakeResult,
    completeness_problems,
    dossier_intake,
    dossier_submit_online,
)

__all__ = [
    "ELECTRONIC_CHANNELS",
    "Applicant",
    "ComponentCheck",
    "IntakeResult",
    "available_actions",
    "completeness_problems",
    "dossier_act",
    "dossier_intake",
    "dossier_record",
    "dossier_submit_online",
    "processing_steps",
]
