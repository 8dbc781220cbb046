"""Dashboard page of apps.bookings: the company's reviews, and the one reply each may get."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.bookings.models import Review
from apps.bookings.review_selectors import review_list_for_company
from apps.bookings.review_services import review_reply as review_reply_service
from apps.bookings.selectors import booking_get_for_user
from apps.companies.dashboard import MANAGER_ROLES, form_error_from, staff_object_or_404, staff_page
from apps.core.errors import ApplicationError
from apps.core.limits import MAX_NOTES_LENGTH

PAGE_SIZE = 20


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply",
        max_length=MAX_NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _page(
    request: HttpRequest,
    *,
    failed: Review | None = None,
    form: ReplyForm | None = None,
) -> HttpResponse:
    """The reviews page; `failed` is the review whose reply `form` is shown with its errors."""
    staff = request.staff  # type: ignore[attr-defined]
    reviews = review_list_for_company(user=staff.user, company_id=staff.company.pk)
    if request.GET.get("unanswered"):
        reviews = reviews.filter(replied_at__isnull=True)
    paginator = Paginator(reviews.select_related("replied_by"), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "bookings/dashboard/reviews.html",
        {
            "page": page,
            "failed": failed,
            "failed_form": form,
            "unanswered": bool(request.GET.get("unanswered")),
        },
    )


@staff_page(roles=MANAGER_ROLES)
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    """The company's reviews, newest first (optionally only those without a reply)."""
    return _page(request)


@staff_page(roles=MANAGER_ROLES)
@require_POST
def review_reply(request: HttpRequest, review_id: int) -> HttpResponse:
    """Reply to one review (review_services.review_reply: once, by an owner or dispatcher)."""
    staff = request.staff  # type: ignore[attr-defined]
    review = staff_object_or_404(Review.objects.all(), company=staff.company, pk=review_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        access = booking_get_for_user(user=staff.user, booking_id=review.booking_id)
        try:
            review_reply_service(access=access, reply=form.cleaned_data["reply"])
        except ApplicationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, "Your reply is published.")
            return redirect(f"{reverse('dashboard:reviews')}#review-{review.pk}")
    # 200 like any re-shown form (a 400 document is a console error in browsers)
    return _page(request, failed=review, form=form)
