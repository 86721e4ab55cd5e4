"""Conversations between meetings: a forum's or a learning entry's threads, one thread
with its posts, changing one's own post, and what a person is emailed about a thread."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from partnerships import permissions as partnership_permissions
from partnerships.models import Forum
from talking_points.models import LearningEntry

from . import permissions, services
from .forms import PostForm, ThreadStartForm
from .models import Follower, Post, Thread


def _thread_list(
    request: HttpRequest, threads: Any, *, subject: dict[str, Any], create: Any
) -> HttpResponse:
    user: Any = request.user
    form = ThreadStartForm(request.POST or None) if user.is_authenticated else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert form is not None
        if form.is_valid():
            thread = create(form.cleaned_data["title"], form.cleaned_data["body"])
            return redirect(thread)
    page = Paginator(
        threads.select_related("started_by").order_by("-last_posted_at", "-pk"),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "threads/thread_list.html", {**subject, "page_obj": page, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def forum_threads(request: HttpRequest, slug: str) -> HttpResponse:
    """A forum's conversations, for its members only: to anyone else they do not exist."""
    user: Any = request.user
    forum = get_object_or_404(Forum.objects.visible_to(user).select_related("place"), slug=slug)
    if not partnership_permissions.is_forum_member(user, forum):
        raise Http404("No such conversations.")
    return _thread_list(
        request,
        Thread.objects.visible_to(user).filter(forum=forum),
        subject={"forum": forum, "subject_name": forum.name, "back": forum.get_absolute_url()},
        create=lambda title, body: services.thread_start(
            by=user, forum=forum, title=title, body=body
        ),
    )


@require_http_methods(["GET", "POST"])
def entry_threads(request: HttpRequest, pk: int) -> HttpResponse:
    """A learning entry's conversations, for whoever may read the entry."""
    user: Any = request.user
    entry = get_object_or_404(
        LearningEntry.objects.visible_to(user).select_related("place", "organisation"), pk=pk
    )
    return _thread_list(
        request,
        Thread.objects.visible_to(user).filter(entry=entry),
        subject={"entry": entry, "subject_name": entry.title, "back": entry.get_absolute_url()},
        create=lambda title, body: services.thread_start(
            by=user, entry=entry, title=title, body=body
        ),
    )


def _page_of(post: Post) -> int:
    before = Post.objects.filter(thread_id=post.thread_id, pk__lt=post.pk).count()
    return before // settings.PAGE_SIZE + 1


def _post_url(post: Post) -> str:
    url = post.thread.get_absolute_url()
    return f"{url}?page={_page_of(post)}#post-{post.pk}"


@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One conversation, oldest post first, with a reply form for those signed in."""
    user: Any = request.user
    thread = permissions.thread_for(user, pk)
    form = PostForm(request.POST or None) if user.is_authenticated else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        assert form is not None
        if form.is_valid():
            post = services.post_add(thread=thread, by=user, body=form.cleaned_data["body"])
            post.thread = thread
            return HttpResponseRedirect(_post_url(post))
    page = Paginator(
        thread.posts.select_related("author").order_by("created_at", "pk"), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    follower = (
        Follower.objects.filter(thread=thread, user=user).first() if user.is_authenticated else None
    )
    return render(
        request,
        "threads/thread_detail.html",
        {"thread": thread, "page_obj": page, "form": form, "follower": follower},
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """What a person is emailed about one conversation: new posts (follow or stop), and
    whether they may reply by email (turning it off stops their reply address at once)."""
    user: Any = request.user
    thread = permissions.thread_for(user, pk)
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice in {"follow", "unfollow"}:
            services.follow_set(thread=thread, user=user, following=choice == "follow")
        elif choice in {"reply_on", "reply_off"}:
            services.reply_by_email_set(thread=thread, user=user, enabled=choice == "reply_on")
        else:
            return render(
                request,
                "threads/thread_follow.html",
                {"thread": thread, "follower": _follower(thread, user), "error": "Choose one."},
                status=400,
            )
        return redirect("threads:thread_follow", pk=thread.pk)
    return render(
        request,
        "threads/thread_follow.html",
        {"thread": thread, "follower": _follower(thread, user)},
    )


def _follower(thread: Thread, user: Any) -> Follower | None:
    return Follower.objects.filter(thread=thread, user=user).first()


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.own_post(request.user, pk)
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        return HttpResponseRedirect(_post_url(post))
    return render(request, "threads/post_edit.html", {"post": post, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = permissions.own_post(request.user, pk)
    if request.method == "POST":
        thread = post.thread
        services.post_delete(post=post, by=request.user)
        return redirect(thread)
    return render(request, "threads/post_delete.html", {"post": post})
