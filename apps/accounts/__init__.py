"""Accounts: the custom User, OTP login for customers, JWT, staff roles, admin 2FA."""
