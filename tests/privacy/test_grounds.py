"""Who may see a customer's whole details, and on what ground (rule 15)."""

import pytest

from relaydesk.org.models import Staff
from relaydesk.privacy.grounds import ground_for, standing
from tests.privacy.conftest import ROLES


@pytest.mark.parametrize(("name", "ground"), ROLES)
def test_each_role_has_its_ground_on_the_case(role, scene, name, ground):
    assert ground_for(role(name), scene.case) == ground


def test_owning_the_case_is_a_ground_only_for_that_case(cast, scene):
    assert ground_for(cast.fran, scene.case) == "owner"
    assert ground_for(cast.fran) is None  # no case: fran is nobody's lead


def test_leading_someone_is_a_ground_whatever_the_tier(cast, scene):
    fiona = Staff.objects.get(user=cast.fiona)
    Staff.objects.filter(user=cast.sam).update(lead=fiona)
    fresh = type(cast.fiona).objects.get(pk=cast.fiona.pk)
    assert standing(fresh) == "lead"


def test_someone_who_left_has_no_ground(cast, scene):
    Staff.objects.filter(user=cast.mia).update(active=False)
    mia = type(cast.mia).objects.get(pk=cast.mia.pk)
    assert ground_for(mia, scene.case) is None
    cast.ed.is_active = False
    assert ground_for(cast.ed, scene.case) is None


def test_the_standing_is_asked_once_per_user_object(cast, scene, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            assert ground_for(cast.mia, scene.case) == "lead"
