"""What several apps share: errors, money, geo helpers, base models, messaging, ops views."""
