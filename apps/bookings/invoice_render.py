"""The invoice as a printable HTML page and as a PDF (WeasyPrint), from its JSON shape.

Both are rendered from the API's own JSON output (InvoiceOutput), through one template
(templates/bookings/invoice.html, autoescaped: every name, address and label is user text),
so the three formats can never disagree. The PDF is the same HTML laid out by WeasyPrint,
which is given a URL fetcher that refuses everything: the page needs nothing from outside.

The renderers plug into DRF's content negotiation: `?format=pdf|html|json` (DRF's
URL_FORMAT_OVERRIDE) or the Accept header choose one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from rest_framework.renderers import BaseRenderer

TEMPLATE = "bookings/invoice.html"


def invoice_html(invoice: dict[str, Any], *, csp_nonce: str = "") -> str:
    """The printable page of an invoice given as its JSON output.

    Its <style> carries the response's CSP nonce when served to a browser (the policy allows
    no other inline style); the PDF renders without one.
    """
    return render_to_string(TEMPLATE, {"invoice": invoice, "csp_nonce": csp_nonce})


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The invoice PDF loads nothing from outside ({url[:60]!r}).")


def invoice_pdf(invoice: dict[str, Any]) -> bytes:
    """The invoice as a PDF document (bytes starting with %PDF)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # no stubs; loaded on use (pango)

    return HTML(string=invoice_html(invoice), url_fetcher=_refuse_fetch).write_pdf()


class InvoiceHtmlRenderer(BaseRenderer):
    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        request = (renderer_context or {}).get("request")
        # django-csp's lazy nonce is falsy until first read: test it against None, not its
        # truth, or the page would go out without its nonce (and its styles be blocked).
        lazy_nonce = getattr(request, "csp_nonce", None) if request is not None else None
        nonce = str(lazy_nonce) if lazy_nonce is not None else ""
        return invoice_html(data, csp_nonce=nonce).encode("utf-8")


class InvoicePdfRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return invoice_pdf(data)
