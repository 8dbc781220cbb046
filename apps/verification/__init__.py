"""Verification: documents, the review workflow, expiry sweeps and reminders."""
