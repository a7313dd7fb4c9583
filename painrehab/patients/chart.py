"""The chart's extension points: apps above ``patients`` add header facts and tabs.

``patients`` sits below the apps that own a child's journey, care plan and notes, so
it cannot import them. Instead each of those apps registers, in its ``AppConfig.ready``,
a function that gives the chart header its facts (the phase, the bed…) and the tabs
it contributes. The chart pages call ``header_context`` once per page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from painrehab.patients.models import Patient

HeaderProvider = Callable[[Patient], dict[str, Any]]


@dataclass(frozen=True)
class ChartTab:
    label: str
    url_name: str  # reversed with the patient id as its only argument
    order: int


_header_providers: list[HeaderProvider] = []
_tabs: list[ChartTab] = [ChartTab("Overview", "patients:patient_detail", 0)]


def register_header(provider: HeaderProvider) -> None:
    if provider not in _header_providers:
        _header_providers.append(provider)


def register_tab(tab: ChartTab) -> None:
    if tab not in _tabs:
        _tabs.append(tab)


def header_context(patient: Patient) -> dict[str, Any]:
    """Facts for the chart header from every registered app, and the tabs."""
    context: dict[str, Any] = {"chart_tabs": sorted(_tabs, key=lambda t: t.order)}
    for provider in _header_providers:
        context.update(provider(patient))
    return context
