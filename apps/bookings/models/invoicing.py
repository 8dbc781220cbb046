"""Invoices: numbered per company without gaps, immutable once issued (triggers refuse changes).

The number comes from the company's `InvoiceCounter` row, locked and incremented in the same
transaction that issues the invoice: two concurrent completions of one company serialise on
that row, so they get consecutive numbers, never the same one and never a gap (a rolled-back
issue rolls the counter back too).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.companies.models import Company


class InvoiceCounter(models.Model):
    company = models.OneToOneField(
        Company, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.company_id}: {self.last_number}"


class Invoice(models.Model):
    """The bill for a completed booking: the quote's lines, the adjustments, tax and total.

    Seller and buyer details are copied at issue time so the document never changes when a
    company or a customer edits their profile later.
    """

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="invoices")
    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.PROTECT, related_name="invoice"
    )
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    tax_rate_percent = models.DecimalField(max_digits=6, decimal_places=3)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    seller_name = models.CharField(max_length=200)
    seller_legal_name = models.CharField(max_length=200)
    seller_registration_number = models.CharField(max_length=64)
    seller_email = models.CharField(max_length=254)
    buyer_name = models.CharField(max_length=150, blank=True)
    buyer_email = models.CharField(max_length=254, blank=True)
    buyer_phone = models.CharField(max_length=16, blank=True)
    origin_address = models.CharField(max_length=300, blank=True)
    destination_address = models.CharField(max_length=300, blank=True)
    move_date = models.DateField()

    class Meta:
        ordering = ["company", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="bookings_invoice_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="bookings_invoice_number_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.company_id}-{self.number}"


class InvoiceLine(models.Model):
    class Source(models.TextChoices):
        QUOTE = "quote", "Quoted"
        ADJUSTMENT = "adjustment", "Adjustment"

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=16, choices=Source.choices)
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    quantity = models.DecimalField(max_digits=10, decimal_places=3)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="bookings_invoiceline_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} x {self.quantity}"
