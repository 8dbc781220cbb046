"""seed_demo is idempotent: a second run leaves exactly the same data."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.accounts.demo import demo_password
from apps.accounts.models import User
from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck
from apps.pricing.models import PricingConfig

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("id", "email", "phone", "is_staff")),
        "companies": sorted(
            Company.objects.values_list("id", "slug", "verification_status", "registration_number")
        ),
        "memberships": sorted(
            Membership.objects.values_list("id", "company_id", "user_id", "role")
        ),
        "trucks": sorted(Truck.objects.values_list("id", "company_id", "plate", "capacity_m3")),
        "drivers": sorted(Driver.objects.values_list("id", "company_id", "licence_number")),
        "pricing": sorted(PricingConfig.objects.values_list("id", "company_id", "version")),
        "areas": sorted(
            (a.id, a.company_id, a.name, a.area.wkt) for a in ServiceArea.objects.all()
        ),
    }


def test_seed_demo_twice_leaves_the_same_data(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    second = snapshot()

    assert first == second
    assert len(first["companies"]) == 4
    assert all(status == "verified" for _, _, status, _ in first["companies"])
    assert len(first["trucks"]) == 6
    assert len(first["drivers"]) == 5
    assert [version for _, _, version in first["pricing"]] == [1, 1, 1, 1]
    assert User.objects.get(email="admin@movehub.demo").is_superuser
    assert "admin@movehub.demo" in capsys.readouterr().out


def test_seed_demo_areas_cover_lyon():
    call_command("seed_demo")
    from apps.core.geo import point_from_lat_lng

    lyon = point_from_lat_lng(45.7640, 4.8357)
    covering = ServiceArea.objects.filter(area__covers=lyon).values_list("company__slug", flat=True)
    assert set(covering) >= {"rhone-removals", "presquile-movers"}


def test_every_demo_company_has_an_owner_who_signs_in_with_the_demo_password():
    # Given the demo data
    call_command("seed_demo")

    # Then each company has one owner, owner@<slug>.demo, with the demo password
    owners = Membership.objects.filter(role=Membership.Role.OWNER, is_active=True)
    assert sorted((m.company.slug, m.user.email) for m in owners) == [
        ("gerland-logistics", "owner@gerland-logistics.demo"),
        ("presquile-movers", "owner@presquile-movers.demo"),
        ("rhone-removals", "owner@rhone-removals.demo"),
        ("saone-transport", "owner@saone-transport.demo"),
    ]
    assert all(m.user.check_password(demo_password()) for m in owners)
