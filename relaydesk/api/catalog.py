"""What a client needs to open a case: categories with their intake fields, and the tiers."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from relaydesk.api.schemas import CategoryOut, TierOut
from relaydesk.org.models import Category, IntakeField, RealtimeTrigger, Tier

router = Router(tags=["catalog"])


@router.get("/categories", response=list[CategoryOut], summary="Categories taking new cases")
def list_categories(request: HttpRequest):
    return Category.objects.filter(active=True).prefetch_related(
        Prefetch("fields", queryset=IntakeField.objects.order_by("position", "id")),
        Prefetch("realtime_triggers", queryset=RealtimeTrigger.objects.order_by("position", "id")),
    )


@router.get("/tiers", response=list[TierOut], summary="The tiers, frontline first")
def list_tiers(request: HttpRequest):
    return Tier.objects.order_by("rank")
