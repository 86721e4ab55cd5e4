"""A minimal Django project: one "ok" view, no apps, no middleware, no database.

bench/web.py runs it with gunicorn as it runs the app and measures it in the same run, so
every page's speed is also given as a share of what Django itself costs.
"""
