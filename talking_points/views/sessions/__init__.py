"""Forum sessions: talking points per forum, planning, the live page, decisions, actions,
the summary, and each forum's record.

Trust: every session URL fetches through ``Session.objects.for_members`` (live, planned,
writes) or ``Session.objects.visible_to`` (published summaries), so a person outside the
forum gets a 404 exactly as if the session did not exist. Writes a member may not make
(a participant pressing "Next") are a 403 with a plain explanation.
"""
