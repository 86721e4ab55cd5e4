"""Office hours and visits. Every read goes through a ``visible_to``: what a person may not
see is a 404; what they may see but not do is a 403 with a plain reason."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partnerships.models import CommissionerProfile, Membership
from partnerships.types import AuthenticatedRequest

from . import services
from .forms import BookingForm, SlotForm, VisitAnswerForm, VisitInviteForm, VisitLearningForm
from .models import Booking, OfficeHourSlot, Visit, VisitStatus, may_book

# --- Office hours -------------------------------------------------------------------------


def _own_profile(request: AuthenticatedRequest) -> CommissionerProfile:
    profile = CommissionerProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise PermissionDenied("Only commissioners publish office hours.")
    return profile


@login_required
@require_http_methods(["GET", "POST"])
def slot_new(request: AuthenticatedRequest) -> HttpResponse:
    profile = _own_profile(request)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.slot_create(
            commissioner=profile,
            starts_at=data["starts_at"],
            length_minutes=data["length_minutes"],
            mode=data["mode"],
            address=data["address"],
            online_link=data["online_link"],
            note=data["note"],
        )
        messages.success(request, "Your office hours are published.")
        return redirect(profile.get_absolute_url())
    return render(request, "doors/slot_new.html", {"form": form, "profile": profile})


def _slot_or_404(request: AuthenticatedRequest, pk: int) -> OfficeHourSlot:
    return get_object_or_404(
        OfficeHourSlot.objects.visible_to(request.user)
        .select_related("commissioner__user", "commissioner__organisation")
        .annotate(
            is_booked=Exists(Booking.objects.live().filter(slot=OuterRef("pk"))),
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def slot_book(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    slot = _slot_or_404(request, pk)
    if not may_book(request.user, slot.commissioner):
        raise PermissionDenied(
            "Office hours are for partners from voluntary and community organisations in "
            "the places this commissioner covers."
        )
    form = BookingForm(request.POST or None)
    error = ""
    if slot.starts_at <= timezone.now():
        error = "This time has passed. Choose a later one."
    elif slot.is_booked:  # type: ignore[attr-defined]
        error = "Someone has already booked this time. Choose another."
    elif request.method == "POST" and form.is_valid():
        try:
            services.booking_create(
                slot_id=slot.pk, partner=request.user, topic=form.cleaned_data["topic"]
            )
        except services.SlotNotBookable as exc:
            error = str(exc)
        else:
            messages.success(request, "Booked. You will both get a calendar invite by email.")
            return redirect("doors:bookings")
    status = 409 if error and request.method == "POST" else 200
    return render(
        request,
        "doors/slot_book.html",
        {"slot": slot, "form": form, "error": error, "bookable": not error},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def slot_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    slot = _slot_or_404(request, pk)
    if slot.commissioner.user_id != request.user.pk:
        raise PermissionDenied("Only the commissioner who published this time can remove it.")
    error = ""
    if slot.is_booked:  # type: ignore[attr-defined]
        error = "This time is booked. Cancel the booking first, so the partner is told."
    elif request.method == "POST":
        slot.delete()
        messages.success(request, "The time is removed.")
        return redirect(slot.commissioner.get_absolute_url())
    return render(
        request,
        "doors/slot_remove.html",
        {"slot": slot, "error": error},
        status=409 if error and request.method == "POST" else 200,
    )


@login_required
@require_GET
def bookings(request: AuthenticatedRequest) -> HttpResponse:
    rows = (
        Booking.objects.visible_to(request.user)
        .select_related("slot__commissioner__user", "partner")
        .order_by("-slot__starts_at", "-pk")
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "doors/bookings.html", {"page_obj": page, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.visible_to(request.user).select_related(
            "slot__commissioner__user", "partner"
        ),
        pk=pk,
    )
    if booking.is_cancelled:
        messages.info(request, "This booking was already cancelled.")
        return redirect("doors:bookings")
    if request.method == "POST":
        services.booking_cancel(booking=booking, by=request.user)
        messages.success(request, "Cancelled. We have told the other person by email.")
        return redirect("doors:bookings")
    is_commissioner = booking.slot.commissioner.user_id == request.user.pk
    other = booking.partner if is_commissioner else booking.slot.commissioner.user
    return render(request, "doors/booking_cancel.html", {"booking": booking, "other": other})


# --- Visits ---------------------------------------------------------------------------------


@login_required
@require_GET
def visits(request: AuthenticatedRequest) -> HttpResponse:
    rows = (
        Visit.objects.visible_to(request.user)
        .select_related("organisation", "place", "guest__user")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    can_invite = Membership.objects.filter(user=request.user).exists()
    return render(request, "doors/visits.html", {"page_obj": page, "can_invite": can_invite})


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: AuthenticatedRequest) -> HttpResponse:
    if not Membership.objects.filter(user=request.user).exists():
        raise PermissionDenied("Only people in an organisation can invite someone to visit it.")
    form = VisitInviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = services.visit_invite(
            organisation=data["organisation"],
            place=data["place"],
            guest=data["guest"],
            by=request.user,
            proposed_dates=data["proposed_dates"],
            note=data["note"],
        )
        messages.success(request, f"Invitation sent to {visit.guest.user}.")
        return redirect(visit)
    return render(request, "doors/visit_new.html", {"form": form})


def _visit_or_404(request: AuthenticatedRequest, pk: int) -> Visit:
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "organisation",
            "place",
            "guest__user",
            "guest__organisation",
            "invited_by",
            "learning_entry",
        ),
        pk=pk,
    )


def _is_member(request: AuthenticatedRequest, visit: Visit) -> bool:
    return Membership.objects.filter(user=request.user, organisation=visit.organisation_id).exists()


def _visit_page(
    request: AuthenticatedRequest,
    visit: Visit,
    *,
    answer_form: VisitAnswerForm | None = None,
    learning_form: VisitLearningForm | None = None,
) -> HttpResponse:
    is_guest = visit.guest.user_id == request.user.pk
    is_member = _is_member(request, visit)
    context = {"visit": visit, "is_guest": is_guest, "is_member": is_member}
    if is_guest and visit.status == VisitStatus.INVITED:
        context["form"] = answer_form or VisitAnswerForm()
    elif is_member and visit.status == VisitStatus.ACCEPTED:
        context["form"] = learning_form or VisitLearningForm(instance=visit, user=request.user)
    return render(request, "doors/visit_detail.html", context)


@login_required
@require_GET
def visit_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _visit_page(request, _visit_or_404(request, pk))


@login_required
@require_POST
def visit_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    if visit.guest.user_id != request.user.pk:
        raise PermissionDenied("Only the person invited can answer.")
    if visit.status != VisitStatus.INVITED:
        messages.info(request, "You have already answered.")
        return redirect(visit)
    form = VisitAnswerForm(request.POST)
    if not form.is_valid():
        return _visit_page(request, visit, answer_form=form)
    data = form.cleaned_data
    services.visit_answer(
        visit=visit,
        accept=data["accept"],
        visit_date=data["visit_date"] if data["accept"] else None,
        answer=data["answer"],
    )
    messages.success(request, "Thank you. We have told them your answer.")
    return redirect(visit)


@login_required
@require_POST
def visit_learning(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    if not _is_member(request, visit):
        raise PermissionDenied(f"Only people in {visit.organisation} record what they learned.")
    if visit.status != VisitStatus.ACCEPTED:
        messages.info(request, "You can say what you learned once the visit is agreed.")
        return redirect(visit)
    form = VisitLearningForm(request.POST, instance=visit, user=request.user)
    if not form.is_valid():
        return _visit_page(request, visit, learning_form=form)
    services.visit_record_learning(
        visit=visit,
        learned=form.cleaned_data["learned"],
        learning_entry=form.cleaned_data["learning_entry"],
    )
    messages.success(request, "Saved what you learned.")
    return redirect(reverse("doors:visit_detail", kwargs={"pk": visit.pk}))
