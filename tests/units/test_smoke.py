import pytest

from tests import factories


@pytest.mark.django_db
def test_a_center_belongs_to_a_commune_of_a_province():
    center = factories.center()
    assert center.commune.province.code == "82"
    assert center.hours().weekly[0]
