"""Demo data: `manage.py seed_demo` calls each app's demo module, lowest layer first."""
