from tests.talking_points.sessions_helpers import closed, live  # noqa: F401 (fixtures)
