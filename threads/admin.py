from django.contrib import admin

from .models import Follower, InboundMail, Post, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "forum", "entry", "last_posted_at"]
    raw_id_fields = ["forum", "entry", "started_by"]
    search_fields = ["title"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["thread", "author", "source", "created_at"]
    raw_id_fields = ["thread", "author"]
    list_filter = ["source"]


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["thread", "user", "following", "reply_by_email"]
    raw_id_fields = ["thread", "user"]
    # The key signs the person's reply address: never shown.
    exclude = ["reply_key"]


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "outcome", "from_address", "detail"]
    list_filter = ["outcome"]
    raw_id_fields = ["follower", "post"]
