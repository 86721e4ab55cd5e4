from .sessions import *  # noqa: F403
