"""Events of the journey that apps above ``episodes`` act on.

``episodes`` cannot import the apps that build on it (the care plan, the timetable),
so it announces what happened and they listen, connecting in ``AppConfig.ready``.
Signals are sent inside the service's transaction: a receiver that fails rolls the
whole step back, so an admission never lands without what its listeners create.
"""

from django.dispatch import Signal

# Sent by ``services.episode_admit`` with ``stay`` (the new Stay) and ``by`` (User).
admitted = Signal()
