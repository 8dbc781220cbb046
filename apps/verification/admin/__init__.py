"""The admins' review tool: document queue and review page, company verification and suspension."""

from apps.verification.admin import companies, documents

__all__ = ["companies", "documents"]
