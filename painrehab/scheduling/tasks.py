"""Background tasks of the scheduling app (django-tasks, database backend).

``solve_run`` is queued on ``timetable`` when a solve is requested; the worker
(``painrehab db_worker --queue-name timetable``, started by ``make demo``) runs
it. docs/scheduling.md, "Background solves".
"""

from django_tasks import task

from painrehab.scheduling.services.runs import run_execute

QUEUE = "timetable"


@task(queue_name=QUEUE)
def solve_run(run_id: int) -> None:
    """Solve the run and store its timetable (or its repair proposal)."""
    run_execute(run_id)
