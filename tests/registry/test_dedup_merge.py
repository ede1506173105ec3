"""Merging two organisations keeps every relation of both, and the undo restores them."""

import pytest

from clusterbroker.registry.dedup.merge import MergeError, merge, relation_fields, undo
from clusterbroker.registry.models import (
    Competence,
    Membership,
    Organisation,
    OrganisationIdentifier,
)

from ..factories import (
    ClusterFactory,
    CompetenceFactory,
    MembershipFactory,
    OrganisationFactory,
    TermFactory,
)
from .dedup_rows import make_row

pytestmark = pytest.mark.django_db


def _pointing_at(field, organisation) -> set[int]:
    return set(
        field.model._base_manager.filter(**{field.attname: organisation.pk}).values_list(
            "pk", flat=True
        )
    )


def test_every_reverse_relation_of_an_organisation_is_moved_and_put_back():
    keep = OrganisationFactory(name="Eurecat", country="ES")
    gone = OrganisationFactory(name="FUNDACIO EURECAT", country="ES")
    fields = relation_fields(Organisation)
    assert len(fields) >= 20  # memberships, positions, competences, profiles, applications …
    rows = {}
    for field in fields:
        row = make_row(field.model, **{field.name: gone})
        rows[field] = row.pk
    record = merge(keep, gone)
    assert not Organisation.objects.filter(pk=gone.pk).exists()
    for field, pk in rows.items():
        assert pk in _pointing_at(field, keep), f"{field.model._meta.label}.{field.name}"
    restored = undo(record)
    assert restored.pk == gone.pk and restored.slug == gone.slug
    for field, pk in rows.items():
        assert pk in _pointing_at(field, gone), f"{field.model._meta.label}.{field.name}"
        assert pk not in _pointing_at(field, keep)


def test_a_relation_both_have_is_kept_once_and_comes_back_with_the_undo():
    cluster = ClusterFactory()
    keep, gone = OrganisationFactory(), OrganisationFactory()
    MembershipFactory(cluster=cluster, organisation=keep)
    theirs = MembershipFactory(cluster=cluster, organisation=gone)
    term = TermFactory()
    CompetenceFactory(organisation=keep, term=term)
    CompetenceFactory(organisation=gone, term=term)
    record = merge(keep, gone)
    assert Membership.objects.filter(cluster=cluster).count() == 1
    assert Competence.objects.filter(term=term).count() == 1
    undo(record)
    assert Membership.objects.filter(pk=theirs.pk, organisation_id=gone.pk).exists()
    assert Competence.objects.filter(term=term, organisation_id=gone.pk).exists()


def test_the_kept_organisation_keeps_its_pic_and_the_other_pic_comes_back_with_the_undo():
    keep, gone = OrganisationFactory(), OrganisationFactory()
    OrganisationIdentifier.objects.create(organisation=keep, scheme="pic", value="999999991")
    OrganisationIdentifier.objects.create(organisation=gone, scheme="pic", value="999999992")
    OrganisationIdentifier.objects.create(organisation=gone, scheme="vat", value="ES12345678")
    record = merge(keep, gone)
    assert dict(keep.identifiers.values_list("scheme", "value")) == {
        "pic": "999999991",
        "vat": "ES12345678",
    }
    undo(record)
    assert dict(gone.identifiers.values_list("scheme", "value")) == {
        "pic": "999999992",
        "vat": "ES12345678",
    }


def test_empty_fields_of_the_kept_one_are_filled_and_emptied_again_by_the_undo():
    keep = OrganisationFactory(city="", website="")
    gone = OrganisationFactory(city="Cerdanyola del Vallès", website="https://eurecat.org/")
    record = merge(keep, gone)
    keep.refresh_from_db()
    assert (keep.city, keep.website) == ("Cerdanyola del Vallès", "https://eurecat.org/")
    undo(record)
    keep.refresh_from_db()
    assert (keep.city, keep.website) == ("", "")


def test_the_merge_and_undo_are_in_the_history():
    keep, gone = OrganisationFactory(), OrganisationFactory()
    membership = MembershipFactory(organisation=gone)
    record = merge(keep, gone)
    assert membership.history.first().history_change_reason == "merged duplicate organisation"
    assert gone.history.first().history_type == "-"
    undo(record)
    assert membership.history.first().history_change_reason == "merge undone"
    assert Organisation.history.filter(id=gone.pk).count() >= 3  # created, deleted, back


def test_a_merge_is_undone_once_and_an_organisation_is_not_merged_with_itself():
    keep, gone = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(MergeError):
        merge(keep, keep)
    record = merge(keep, gone)
    undo(record)
    with pytest.raises(MergeError):
        undo(record)
