"""Pricing data: per-company versioned rules documents and the inventory catalogue."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from apps.companies.models import Company

# The same shape as item codes in a rules document's heavy_item prices (engine.document.ItemCode).
ITEM_CODE_REGEX = r"^[a-z0-9_]{1,64}$"


class PricingConfig(models.Model):
    """One immutable version of a company's pricing rules.

    Every save is a new row with the next `version`; a database trigger refuses UPDATE and
    DELETE (migration 0002), so a quote that names its version stays explainable for ever.
    `rules` holds the validated document as `PricingRules.model_dump(mode="json")`.

    PROTECT on both foreign keys: the rows cannot be deleted, so neither can the company or
    the user they point to. Companies are suspended, not deleted (apps.verification's documents
    and review history PROTECT them as well); users are deactivated.
    """

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="pricing_configs")
    version = models.PositiveIntegerField()
    rules = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company_id", "-version"]
        verbose_name = "pricing config version"
        constraints = [
            # Also the index that finds a company's latest version (company, version DESC).
            models.UniqueConstraint(
                fields=["company", "version"], name="pricing_config_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="pricing_config_version_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} pricing v{self.version}"

    @property
    def currency(self) -> str:
        return self.rules.get("currency", "")


class InventoryItem(models.Model):
    """A catalogue item a customer can list by `code` without giving its volume.

    Seeded from apps/pricing/engine/catalogue.py (migration 0003) and edited in the admin. Only
    active items are offered to the quote engine; an inactive code is quoted like any unknown item
    (the customer must give its volume_m3).
    """

    code = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(ITEM_CODE_REGEX, "Lower-case letters, digits and _ only.")],
    )
    label = models.CharField(max_length=120)
    volume_m3 = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal(200))],
        help_text="Typical volume of one unit in cubic metres, in (0, 200].",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume_m3__gt=0) & Q(volume_m3__lte=200),
                name="pricing_inventoryitem_volume_range",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=ITEM_CODE_REGEX),
                name="pricing_inventoryitem_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"
