"""Tracking: driver positions over WebSockets, trip tracks and ETAs."""
