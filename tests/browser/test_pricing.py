"""Browser: an owner edits pricing, sees an inline error, then a valid change updates it."""

from __future__ import annotations

import pytest

from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_sees_an_inline_error_then_a_valid_change_updates_the_preview(alice, browser_page):
    # Given alice's owner on the pricing editor (the sample move costs 530.40 EUR)
    PricingConfigFactory(company=alice.company, version=1, rules=stored_rules(SMALL_LOCAL_MOVER))
    sign_in(browser_page, email=alice.owner.email, password=TEST_PASSWORD)
    browser_page.goto("/dashboard/pricing/")
    page = browser_page.page
    total = page.get_by_test_id("preview-total")
    assert total.inner_text() == "530.40 EUR"
    assert_accessible(page)

    # When they type a negative minimum charge
    page.get_by_label("Minimum charge").fill("-5")

    # Then the error appears next to that field and the preview has no price
    errors = page.locator("#id_minimum_charge-errors")
    errors.get_by_text("Input should be greater than or equal to 0").wait_for()
    assert page.get_by_text("No price: fix the errors marked on the form.").is_visible()

    # When they make it a valid 600.00
    page.get_by_label("Minimum charge").fill("600.00")

    # Then the error is gone and the preview shows the new total (600 + 20 % tax)
    total.get_by_text("720.00 EUR").wait_for()
    assert errors.inner_text() == ""
    assert_accessible(page)

    # And saving stores it as version 2
    page.get_by_role("button", name="Save as a new version").click()
    page.get_by_text("Pricing saved as version 2.").wait_for()
    saved = PricingConfig.objects.get(company=alice.company, version=2)
    assert saved.rules["minimum_charge"] == "600.00"
    browser_page.goto("/dashboard/pricing/history/")
    assert page.get_by_text('+  "minimum_charge": "600.00",').is_visible()
    assert_accessible(page)
