"""The pure-Python core: no Django, no app imports (an import-linter contract).

Instrument scoring, timetable solving, eligibility rules and outcome metrics live
here, each testable and benchmarkable alone:
``pytest painrehab/domain -p no:django``.
"""
