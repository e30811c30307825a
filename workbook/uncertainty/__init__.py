"""Uncertainty and sensitivity on every assumption (issue 7).

The source figures are rough ("3–5 people", "about five times", "9 % in a 2010 survey"). This
package shows how wrong a service-ROI answer could be and which assumption matters most:

- :mod:`~workbook.uncertainty.distributions`: triangular and PERT distributions, mode at the
  value, bounds at the registry's low and high;
- :mod:`~workbook.uncertainty.correlation`: rank correlation between inputs (Gaussian copula);
- :mod:`~workbook.uncertainty.inputs`: which inputs are uncertain, over which range, and their
  seeded draws (:class:`UncertaintyParams`);
- :mod:`~workbook.uncertainty.simulation`: vectorised Monte Carlo of the service-ROI model,
  percentiles and the probability that NPV is positive;
- :mod:`~workbook.uncertainty.sensitivity`: tornado, spider and break-even map.

Charts are in :mod:`workbook.plotting.uncertainty`.
"""

from __future__ import annotations

from workbook.uncertainty.correlation import (
    correlate_uniforms,
    normal_correlation_for_rank,
    rank_correlation,
)
from workbook.uncertainty.distributions import DISTRIBUTION_KINDS, InputDistribution
from workbook.uncertainty.inputs import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    QUALITY_PAIR,
    SERVICE_ROI_FIXED,
    InputRange,
    UncertaintyParams,
    accepted_bounds,
    input_distributions,
    input_ranges,
    sample_inputs,
    service_roi_bounds,
)
from workbook.uncertainty.sensitivity import (
    BreakEvenMap,
    Spider,
    Tornado,
    compute_break_even_map,
    compute_spider,
    compute_tornado,
)
from workbook.uncertainty.simulation import (
    HEADLINE_PERCENTILES,
    RoiSimulation,
    percentile,
    simulate_service_roi,
)

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "DISTRIBUTION_KINDS",
    "HEADLINE_PERCENTILES",
    "QUALITY_PAIR",
    "SERVICE_ROI_FIXED",
    "BreakEvenMap",
    "InputDistribution",
    "InputRange",
    "RoiSimulation",
    "Spider",
    "Tornado",
    "UncertaintyParams",
    "accepted_bounds",
    "compute_break_even_map",
    "compute_spider",
    "compute_tornado",
    "correlate_uniforms",
    "input_distributions",
    "input_ranges",
    "normal_correlation_for_rank",
    "percentile",
    "rank_correlation",
    "sample_inputs",
    "service_roi_bounds",
    "simulate_service_roi",
]
