"""QR codes of otpauth:// URIs: SVG for the API, text blocks for the terminal (qrcode)."""

from __future__ import annotations

import io

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> str:
    """An SVG document (a single path) encoding `data`."""
    return qrcode.make(data, image_factory=SvgPathImage).to_string(encoding="unicode")


def qr_text(data: str) -> str:
    """`data` as a QR code drawn with Unicode half blocks, for a terminal."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()
