"""Learning logs: write, share, read, search, review, connect and take away learning.

Every read starts from ``LearningEntry.objects.visible_to(user)``; an entry a person may
not see is a 404, exactly as if it did not exist.
"""
