"""The 9-indicator evaluation of how a procedure was settled (pure: no database).

Source: Decree 61/2018/ND-CP art. 32 lists the indicators and Circular 01/2018/TT-VPCP gives the
evaluation form, each indicator scored 2, 1 or 0 points (18 in all). Decree 118/2025 replaced
both; the form is still the model centers use.

**The wording below is our paraphrase, not the legal text.** The nine titles follow the decree's
list closely; the meaning given to each of the 2 / 1 / 0 levels is a faithful reading written
for citizens, and should be checked against the circular's annex before being printed as the
official form.

1. Total time to settle the procedure compared with the time limit in law.
2. Time taken by each agency or unit that took part (including those consulted).
3. Number of times the applicant had to contact the reception point to complete the dossier
   (online contacts included).
4. Number of agencies, units or organisations the applicant had to contact to complete it.
5. Reception, handling and return of the result through the one-stop shop.
6. Publication of the procedure (papers, fees, time limit, forms).
7. Attitude of the staff when guiding, receiving and handling the dossier.
8. How the agency took in and answered the citizen's feedback and complaints.
9. Progress and quality of the online public service.

Scores (the formula, documented because the circular is read here, not quoted):

* An indicator the applicant skips ("not applicable / don't know") counts neither points nor
  maximum: it is not a zero.
* Survey points = sum of the answered indicators' points; survey maximum = 2 × answered.
* **Center score** = 100 × Σ points ÷ Σ maximum over all surveys of the center in the period
  (a ratio of sums: every answered indicator weighs the same, whichever survey it is in).
* **Officer score** = the same ratio over the indicators about the officer's own conduct,
  `OFFICER_INDICATORS` = {3 (asked once, completely), 7 (attitude)}, of the surveys whose rating
  named that officer. The other seven indicators are about the agency, the procedure or the
  online service, which one desk officer does not control. This split is our choice.
* No answered indicator: no score (None), never 0 or 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

INDICATOR_COUNT = 9
POINTS = (2, 1, 0)
MAX_POINTS = 2
OFFICER_INDICATORS = frozenset({3, 7})


_DONT_KNOW = _("Not applicable / I don't know")


@dataclass(frozen=True)
class Indicator:
    number: int
    title: str
    levels: tuple[tuple[int, str], ...]  # (points, what the citizen experienced), best first
    skip_label: str = _DONT_KNOW  # the answer that scores nothing and counts for nothing

    @property
    def about_officer(self) -> bool:
        return self.number in OFFICER_INDICATORS


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1,
        _("Total time to settle the procedure, compared with the time limit in law"),
        ((2, _("Earlier than the time limit")), (1, _("On time")), (0, _("Late"))),
    ),
    Indicator(
        2,
        _("Time taken by each agency or unit involved, including those consulted"),
        (
            (2, _("Every agency was early")),
            (1, _("Every agency was on time")),
            (0, _("At least one agency was late")),
        ),
    ),
    Indicator(
        3,
        _("Times you had to contact the reception point to complete the dossier, online included"),
        ((2, _("Once at most")), (1, _("Twice")), (0, _("Three times or more"))),
    ),
    Indicator(
        4,
        _("Agencies or organisations you had to contact to complete the dossier"),
        ((2, _("Only the one-stop shop")), (1, _("One other agency")), (0, _("Two or more other agencies"))),
    ),
    Indicator(
        5,
        _("Reception, handling and return of the result through the one-stop shop"),
        (
            (2, _("All of it through the one-stop shop")),
            (1, _("Partly elsewhere")),
            (0, _("I had to go to the departments myself")),
        ),
    ),
    Indicator(
        6,
        _("Publication of the procedure: papers, fees, time limit and forms"),
        ((2, _("Complete and correct")), (1, _("Incomplete")), (0, _("Not published, or wrong"))),
    ),
    Indicator(
        7,
        _("Attitude of the staff when guiding you, receiving and handling the dossier"),
        (
            (2, _("Polite and helpful")),
            (1, _("Acceptable")),
            (0, _("Rude, or asked for papers or payments the law does not require")),
        ),
    ),
    Indicator(
        8,
        _("How your feedback and complaints were taken in and answered"),
        ((2, _("Answered fully and on time")), (1, _("Answered late or in part")), (0, _("Not answered"))),
        _("I made no complaint"),
    ),
    Indicator(
        9,
        _("Progress and quality of the online public service"),
        ((2, _("It worked well and on time")), (1, _("It worked, with problems")), (0, _("It did not work"))),
        _("I did not use it"),
    ),
)


class SurveyError(ValueError):
    """The answers are not nine values in {2, 1, 0, None}."""


def validate(scores: Sequence) -> tuple[int | None, ...]:
    """Nine answers, each 2, 1, 0 or None (skipped), as a tuple; anything else raises SurveyError."""
    if isinstance(scores, (str, bytes)) or len(scores) != INDICATOR_COUNT:
        raise SurveyError(f"expected {INDICATOR_COUNT} answers")
    clean = []
    for value in scores:
        if value is None:
            clean.append(None)
        elif isinstance(value, int) and not isinstance(value, bool) and value in POINTS:
            clean.append(value)
        else:
            raise SurveyError(f"{value!r} is not 2, 1, 0 or empty")
    return tuple(clean)


@dataclass(frozen=True)
class Tally:
    """Points and maximum, for the whole survey and for the officer's indicators."""

    points: int = 0
    max_points: int = 0
    officer_points: int = 0
    officer_max_points: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.points + other.points,
            self.max_points + other.max_points,
            self.officer_points + other.officer_points,
            self.officer_max_points + other.officer_max_points,
        )

    @property
    def score(self) -> float | None:
        return score(self.points, self.max_points)

    @property
    def officer_score(self) -> float | None:
        return score(self.officer_points, self.officer_max_points)


def tally(scores: Sequence) -> Tally:
    answers = validate(scores)
    points = max_points = officer_points = officer_max = 0
    for number, value in enumerate(answers, start=1):
        if value is None:
            continue
        points += value
        max_points += MAX_POINTS
        if number in OFFICER_INDICATORS:
            officer_points += value
            officer_max += MAX_POINTS
    return Tally(points, max_points, officer_points, officer_max)


def combine(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for item in tallies:
        total = total + item
    return total


def score(points: int, max_points: int) -> float | None:
    """100 × points ÷ maximum, rounded to 2 decimals; None when nothing was answered."""
    if max_points <= 0:
        return None
    if not 0 <= points <= max_points:
        raise SurveyError("points must be between 0 and the maximum")
    return round(100 * points / max_points, 2)
