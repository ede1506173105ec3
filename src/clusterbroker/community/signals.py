"""Re-index organisations and events (other apps' models) when they change."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from clusterbroker.brokering.models import Offer as BrokeringOffer
from clusterbroker.events.models import Event
from clusterbroker.ops.backup import restoring
from clusterbroker.registry.models import Competence, Organisation

from .models import (
    Collection,
    Offer,
    OpenCall,
    SearchDocument,
    SearchIndexState,
    SearchTombstone,
    Story,
)
from .search.index import index_object, unindex_object

COLLECTIONS = {
    OpenCall: Collection.CALL,
    Offer: Collection.OFFER,
    Story: Collection.STORY,
    Organisation: Collection.ORGANISATION,
    Event: Collection.EVENT,
}


def _indexed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index_object(instance)


def _unindexed(sender, instance, **kwargs) -> None:
    unindex_object(COLLECTIONS[sender], instance.pk)


for model in COLLECTIONS:
    post_save.connect(_indexed, sender=model, dispatch_uid=f"community-index-{model.__name__}")
    post_delete.connect(
        _unindexed, sender=model, dispatch_uid=f"community-unindex-{model.__name__}"
    )


@receiver(post_save, sender=Competence, dispatch_uid="community-index-competence")
@receiver(post_delete, sender=Competence, dispatch_uid="community-unindex-competence")
def _competence_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    organisation = Organisation.objects.filter(pk=instance.organisation_id).first()
    if organisation is not None:
        index_object(organisation)


@receiver(post_save, sender=BrokeringOffer, dispatch_uid="community-index-brokering-offer")
@receiver(post_delete, sender=BrokeringOffer, dispatch_uid="community-unindex-brokering-offer")
@receiver(
    m2m_changed, sender=BrokeringOffer.terms.through, dispatch_uid="community-index-offer-terms"
)
def _brokering_offer_changed(sender, instance, raw=False, **kwargs) -> None:
    """An organisation is found by what its brokering offers say."""
    if raw or kwargs.get("action", "post_").split("_")[0] != "post" or restoring():
        return
    if not isinstance(instance, BrokeringOffer):  # terms changed from the term's side
        return
    organisation = Organisation.objects.filter(brokering_profile__pk=instance.profile_id).first()
    if organisation is not None:
        index_object(organisation)


@receiver(post_delete, sender=SearchDocument, dispatch_uid="community-search-tombstone")
def _document_deleted(sender, instance, **kwargs) -> None:
    """Mask the document in the search snapshot until the next one is written."""
    if SearchIndexState.objects.exists():
        SearchTombstone.objects.create(document_id=instance.pk)
