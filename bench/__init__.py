"""Benchmarks, run by hand and never part of a production install.

With ``BENCH=1`` the settings install this package as a Django app: its yardstick view at
``/bench/ok``, the ``generate_national_data`` command and an ``X-Queries`` header counting
each request's SQL queries. Without it none of that exists.
"""
