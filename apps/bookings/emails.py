"""The words of booking notices, reviews and reminders: in-app titles, e-mails and SMS, plain text.

Customer e-mails say what happened, when (in the company's time zone, named), who (the
company) and how to reach it (phone, e-mail, the booking number to quote). SMS say the same in
one line. Everything here is pure: it reads the booking and returns text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from apps.accounts.models import User
from apps.bookings.models import Booking, BookingMessage, Reminder, Review

# What the customer reads for each booking event (the e-mail's first paragraph).
_CUSTOMER_LINES = {
    "confirmed": "Your booking with {company} is confirmed. {company} will assign a truck and "
    "crew and tell you the exact time.",
    "scheduled": "Your move with {company} is scheduled.",
    "rescheduled": "Your move with {company} has a new time.",
    "started": "{company}'s crew has started your move.",
    "completed": "Your move with {company} is complete. Your invoice is in the app.",
    "cancelled": "Your booking with {company} was cancelled.",
}
# The customer's own step (accepting a quote, cancelling): the notice is their receipt.
_CUSTOMER_RECEIPT_LINES = {
    "confirmed": "You booked {company}. {company} will assign a truck and crew and tell you "
    "the exact time.",
    "cancelled": "You cancelled your booking with {company}.",
}
_STAFF_LINES = {
    "confirmed": "New booking #{id} from {customer}.",
    "scheduled": "Booking #{id} ({customer}) is scheduled.",
    "rescheduled": "Booking #{id} ({customer}) was rescheduled.",
    "started": "Booking #{id} ({customer}) has started.",
    "completed": "Booking #{id} ({customer}) is complete.",
    "cancelled": "Booking #{id} ({customer}) was cancelled.",
}


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice: the in-app title and body, the e-mail subject and body, the SMS text."""

    title: str
    body: str
    email_subject: str
    email_body: str
    sms: str


def _local(booking: Booking, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(booking.company.timezone))


def booking_when(booking: Booking) -> str:
    """When the move happens, in the company's time zone: the schedule, else the window/date."""
    zone = booking.company.timezone
    move_request = booking.move_request
    start, end = booking.scheduled_start, booking.scheduled_end
    if start is None and move_request.window_start is not None:
        start, end = move_request.window_start, move_request.window_end
    if start is None or end is None:
        return f"{move_request.move_date:%A %d %B %Y} (time to be confirmed)"
    local_start, local_end = _local(booking, start), _local(booking, end)
    if local_start.date() == local_end.date():
        return f"{local_start:%A %d %B %Y, %H:%M}-{local_end:%H:%M} ({zone})"
    return f"{local_start:%A %d %B %Y, %H:%M} to {local_end:%A %d %B %Y, %H:%M} ({zone})"


def _short_when(booking: Booking) -> str:
    start = booking.scheduled_start or booking.move_request.window_start
    if start is None:
        return f"{booking.move_request.move_date:%a %d %b}"
    return f"{_local(booking, start):%a %d %b %H:%M}"


def _contact(booking: Booking) -> str:
    company = booking.company
    return (
        f"Questions? Contact {company.name}: {company.phone}, {company.email} "
        f"(quote booking #{booking.pk})."
    )


def _addresses(booking: Booking) -> list[str]:
    move_request = booking.move_request
    return [
        f"From: {move_request.origin_address or 'see the app'}",
        f"To: {move_request.destination_address or 'see the app'}",
    ]


def _customer_name(booking: Booking) -> str:
    customer = booking.customer
    return customer.name or customer.email or customer.phone or f"customer {customer.pk}"


def _email(booking: Booking, *, greeting: str, lead: str, extra: list[str]) -> str:
    lines = [f"Hello {greeting}," if greeting else "Hello,", "", lead, ""]
    lines += [f"When: {booking_when(booking)}", *_addresses(booking)]
    lines += [f"Booking: #{booking.pk}, {booking.total} {booking.currency}", *extra, ""]
    lines.append(_contact(booking))
    return "\n".join(lines) + "\n"


def event_notice(
    *, booking: Booking, kind: str, recipient: User, is_customer: bool, is_actor: bool = False
) -> Notice:
    """The notice of a status change (`kind` is the BookingEvent kind) for one recipient;
    `is_actor`: the customer's receipt of their own step."""
    company = booking.company.name
    extra = []
    if kind == "cancelled" and booking.cancellation_fee:
        extra.append(f"Cancellation fee: {booking.cancellation_fee} {booking.currency}")
    if is_customer:
        lines = _CUSTOMER_RECEIPT_LINES if is_actor else _CUSTOMER_LINES
        lead = lines.get(kind, f"Your booking with {company} is now {kind}.")
        lead = lead.format(company=company)
        title = f"Booking #{booking.pk}: {kind}"
    else:
        template = _STAFF_LINES.get(kind, "Booking #{id} ({customer}) is now " + kind + ".")
        lead = template.format(id=booking.pk, customer=_customer_name(booking))
        title = lead
    subject = f"[MoveHub] Booking #{booking.pk} with {company}: {kind}, {_short_when(booking)}"
    sms = f"MoveHub: {lead} {_short_when(booking)}. Booking #{booking.pk}."
    if is_customer:
        sms += f" {company}: {booking.company.phone}"
    return Notice(
        title=title[:200],
        body=f"{lead} When: {booking_when(booking)}.",
        email_subject=subject,
        email_body=_email(booking, greeting=recipient.name, lead=lead, extra=extra),
        sms=sms,
    )


def message_notice(*, booking: Booking, message: BookingMessage, recipient: User) -> Notice:
    """The notice of a new message in the booking's thread, for the other side."""
    from_customer = message.author_id == booking.customer_id
    author = _customer_name(booking) if from_customer else booking.company.name
    excerpt = message.body if len(message.body) <= 300 else message.body[:299] + "…"
    lead = f"New message from {author} about booking #{booking.pk}:"
    return Notice(
        title=f"New message from {author}"[:200],
        body=excerpt,
        email_subject=f"[MoveHub] Booking #{booking.pk}: new message from {author}",
        email_body=_email(
            booking, greeting=recipient.name, lead=f"{lead}\n\n{message.body}\n", extra=[]
        ),
        sms=f"MoveHub: new message from {author} about booking #{booking.pk}. See the app.",
    )


def unassigned_notice(*, booking: Booking, recipient: User) -> Notice:
    """The notice of a driver taken off a job by a reschedule (in-app only, like the crew's)."""
    lead = f"You are no longer on booking #{booking.pk} ({_customer_name(booking)})."
    when = f"It now takes place {booking_when(booking)} with another crew."
    return Notice(
        title=f"Off booking #{booking.pk}",
        body=f"{lead} {when}",
        email_subject=f"[MoveHub] You are no longer on booking #{booking.pk}",
        email_body=_email(booking, greeting=recipient.name, lead=lead, extra=[]),
        sms=f"MoveHub: {lead}",
    )


def review_notice(*, booking: Booking, review: Review, kind: str, recipient: User) -> Notice:
    """The company's notice of a new review (`reviewed`) or the customer's of the company's
    reply (`review_replied`)."""
    company = booking.company.name
    if kind == "reviewed":
        lead = f"{_customer_name(booking)} rated booking #{booking.pk} {review.rating}/5."
        text = review.comment or "(no comment)"
        tail = "You may reply once, from the booking's review."
        title = f"New review: {review.rating}/5 for booking #{booking.pk}"
    else:
        lead = f"{company} replied to your review of booking #{booking.pk}."
        text = review.reply
        tail = ""
        title = f"{company} replied to your review"
    excerpt = text if len(text) <= 300 else text[:299] + "…"
    body = f"{lead}\n\n{text}\n" + (f"\n{tail}\n" if tail else "")
    return Notice(
        title=title[:200],
        body=f"{lead} {excerpt}",
        email_subject=f"[MoveHub] {title}",
        email_body=_email(booking, greeting=recipient.name, lead=body, extra=[]),
        sms=f"MoveHub: {lead} See the app.",
    )


def reminder_notice(*, reminder: Reminder) -> Notice:
    """The notice of a reminder: the customer's 24 h / 2 h one, the crew's evening one."""
    booking = reminder.booking
    company = booking.company.name
    when = booking_when(booking)
    if reminder.kind == Reminder.Kind.CREW_EVENING:
        lead = f"Tomorrow: booking #{booking.pk} for {_customer_name(booking)}."
        addresses = " ".join(_addresses(booking))
        return Notice(
            title=f"Tomorrow: booking #{booking.pk}",
            body=f"{lead} When: {when}. {addresses}",
            email_subject=f"[MoveHub] Tomorrow: booking #{booking.pk}, {_short_when(booking)}",
            email_body=_email(booking, greeting=reminder.recipient.name, lead=lead, extra=[]),
            sms=f"MoveHub: tomorrow {_short_when(booking)}, booking #{booking.pk}. {addresses}",
        )
    soon = "tomorrow" if reminder.kind == Reminder.Kind.CUSTOMER_DAY_BEFORE else "in 2 hours"
    lead = f"Reminder: your move with {company} starts {soon}."
    return Notice(
        title=f"Your move starts {soon}",
        body=f"{lead} When: {when}.",
        email_subject=f"[MoveHub] Reminder: your move with {company}, {_short_when(booking)}",
        email_body=_email(booking, greeting=reminder.recipient.name, lead=lead, extra=[]),
        sms=(
            f"MoveHub: your move with {company} starts {soon} ({_short_when(booking)}). "
            f"Booking #{booking.pk}. {company}: {booking.company.phone}"
        ),
    )
