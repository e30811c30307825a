"""Uncertainty and sensitivity on every assumption (issue 7).

The source figures are rough ("3–5 people", "about five times", "9 % in a 2010 survey"). This
package shows how wrong a service-ROI answer could be and which assumption matters most:

- :mod:`~workbook.uncertainty.distributions`: triangular and PERT distributions, mode at the
  value, bounds at the registry's low and high;
- :mod:`~workbook.uncertainty.correlation`: rank correlation between inputs (Gaussian copula);
- :mod:`~workbook.uncertainty.inputs`: which inputs are uncertain, over which range (cut to
  each field's declared limits and the model's rules across fields), and their seeded draws
  (:class:`UncertaintyParams`);
- :mod:`~workbook.uncertainty.monte_carlo`: :func:`simulate`, one vectorised Monte Carlo over
  any :class:`~workbook.core.model.Model`, percentiles and probabilities (:class:`Simulation`);
- :mod:`~workbook.uncertainty.simulation`: the service-ROI simulation (NPV, ROI, payback);
  :mod:`~workbook.uncertainty.recovery`: complaint recovery and word of mouth;
- :mod:`~workbook.uncertainty.sensitivity`: tornado, spider and break-even map.

Charts are in :mod:`workbook.plotting.uncertainty`.
"""

from __future__ import annotations

from workbook.models.roi.service_roi import SERVICE_ROI_FIXED
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
    InputRange,
    UncertaintyParams,
    accepted_bounds,
    input_distributions,
    input_ranges,
    sample_inputs,
)
from workbook.uncertainty.monte_carlo import (
    HEADLINE_PERCENTILES,
    Simulation,
    percentile,
    simulate,
)
from workbook.uncertainty.sensitivity import (
    BreakEvenMap,
    Spider,
    Tornado,
    compute_break_even_map,
    compute_spider,
    compute_tornado,
)
from workbook.uncertainty.simulation import RoiSimulation, simulate_service_roi

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
    "Simulation",
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
    "simulate",
    "simulate_service_roi",
]
