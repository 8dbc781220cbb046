"""Tests of apps.demo (seed_demo)."""
