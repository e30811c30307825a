"""The registered figures: from the source texts, then the inputs each model needs.

Each entry is declared once, here: key (the parameter's name everywhere), label, value,
plausible range, unit, source, seed text and the kind and hard limits
(:mod:`workbook.core.declare`). Nothing is computed or read from disk.
"""

from __future__ import annotations

import math

from workbook.core.declare import count, fraction, number
from workbook.core.registry.assumption import FICTIONAL as _FICTIONAL
from workbook.core.registry.assumption import Assumption

__all__ = ["ENTRIES"]

_PEOPLE = number(low=0, high=1e6, unit="people")
_YEARS_OUT = number(low=0, high=1_000, unit="years")

ENTRIES: tuple[Assumption, ...] = (
    # --- Figures from the source texts -------------------------------------------------------
    Assumption(
        "spend_uplift_excellent_service", "Spend uplift from excellent service",
        0.09, 0.03, 0.15, "fraction of annual spend",
        "American Express Global Customer Service Barometer, Aug 2010", "001",
        note="Customers spend on average 9 % more with a company they believe gives "
        "excellent service.",
        limits=fraction(),
    ),
    Assumption(
        "share_service_more_important", "Customers for whom service matters more now",
        0.61, 0.50, 0.70, "fraction of customers",
        "American Express Global Customer Service Barometer, Aug 2010", "001",
        limits=fraction(),
    ),
    Assumption(
        "acquisition_to_retention_cost_ratio", "Cost of a new customer vs. keeping one",
        5.0, 3.0, 7.0, "ratio",
        "White House Office of Consumer Affairs", "001",
        note="Attracting a new customer costs about five times as much as keeping one.",
        limits=number(low=0, high=100),
    ),
    Assumption(
        "influence_circle", "People each customer influences",
        250, 150, 350, "people", "White House Office of Consumer Affairs", "001",
        limits=count(low=1),
    ),
    Assumption(
        "happy_customer_tells", "People a happy customer tells",
        4, 3, 5, "people", "Common statistic quoted in the article", "001", "source",
        limits=_PEOPLE,
    ),
    Assumption(
        "unhappy_customer_tells", "People an unhappy customer tells",
        12.5, 10, 15, "people",
        "Common statistic quoted in the article; social media multiplies it "
        "(\"United Breaks Guitars\")", "001", "source",
        limits=_PEOPLE,
    ),
    Assumption(
        "complaint_recovery_retention", "Complainers who stay when fixed fast",
        0.70, 0.60, 0.80, "fraction of complaining customers",
        "The article's \"3 P's\": resolved promptly, positively, professionally", "001",
        limits=fraction(),
    ),
    Assumption(
        "phone_answer_ring", "Answer the phone by ring",
        4, 3, 5, "rings", "Service-strategy book (seed 002)", "002",
        note="Answering by the 4th ring with a caring greeting meets or exceeds the average "
        "customer's expectation; later disappoints.",
        limits=count(low=1, high=30),
    ),
    Assumption(
        "imitation_days_price_cut", "Days until a price cut is matched",
        1, 0.5, 2, "days", "Service-strategy book (seed 002)", "002",
        limits=number(low=0, high=1_000, unit="days"),
    ),
    Assumption(
        "imitation_months_product", "Months until a new product is copied",
        9, 6, 12, "months", "Service-strategy book (seed 002)", "002", "source",
        limits=number(low=0, high=1_000, unit="months"),
    ),
    Assumption(
        "imitation_service_strategy", "Years until a service strategy is copied",
        10, 5, 20, "years", "Service-strategy book (seed 002)", "002",
        note="The text says \"never (in practice)\"; 10 years stands in for a span beyond "
        "any plan.",
        limits=_YEARS_OUT,
    ),
    Assumption(
        "first_impression_seconds", "Seconds to form a first impression",
        25, 20, 30, "seconds", "\"3 main laws of customer service\" (seed 000)", "000", "source",
        limits=number(low=0, above_low=True, unit="seconds"),
    ),
    Assumption(
        "harvest_multiplier", "Return on good service (law of harvest)",
        3.5, 3, 4, "ratio", "\"3 main laws of customer service\" (seed 000)", "000", "source",
        limits=number(low=0),
    ),
    Assumption(
        "pareto_revenue_share", "Revenue from the top customers",
        0.80, 0.60, 0.90, "fraction of revenue",
        "Jill Griffin, law 2 (the 80/20 rule)", "003",
        note="About 80 % of revenue comes from the top 20 % of customers "
        "(pareto_top_customer_share).",
        limits=fraction(),
    ),
    Assumption(
        "pareto_top_customer_share", "Top customers in the 80/20 rule",
        0.20, 0.05, 0.50, "fraction of customers",
        "Jill Griffin, law 2 (the 80/20 rule)", "003",
        limits=fraction(above_low=True),
    ),
    Assumption(
        "winback_vs_new_odds", "Win-back vs. new-customer odds",
        2.0, 1.5, 3.0, "ratio", "Jill Griffin, law 7", "003",
        note="Winning back a lost customer is about twice as likely as winning a new one.",
        limits=number(low=0, high=100),
    ),
    # --- Business inputs: a fictional mid-size business -------------------------------------
    Assumption(
        "customers", "Active customers", 10_000, 1_000, 100_000, "customers", _FICTIONAL,
        limits=count(low=1),
    ),
    Assumption(
        "annual_spend_per_customer", "Spend per customer", 1_200, 300, 5_000,
        "currency/customer/year", _FICTIONAL,
        limits=number(low=0),
    ),
    Assumption(
        "gross_margin_rate", "Gross margin", 0.35, 0.10, 0.70, "fraction of revenue",
        _FICTIONAL,
        limits=fraction(),
    ),
    Assumption(
        "annual_retention_rate", "Annual retention", 0.75, 0.50, 0.95, "fraction/year",
        _FICTIONAL,
        note="Share of customers at the start of a year who are still customers at its end.",
        limits=fraction(high=0.99),
    ),
    Assumption(
        "retention_cost_per_customer", "Cost to keep a customer", 50, 10, 200,
        "currency/customer/year", _FICTIONAL,
        note="Yearly cost of keeping one existing customer (account care, service). "
        "Acquiring a new one costs acquisition_to_retention_cost_ratio times this.",
        limits=number(low=0),
    ),
    Assumption(
        "excellent_service_share", "Customers reached by excellent service", 0.50, 0.10, 1.0,
        "fraction of customers", _FICTIONAL,
        note="Share of the customer base that experiences the improved, excellent service.",
        limits=fraction(),
    ),
    Assumption(
        "retention_uplift_rate", "Retention uplift from excellent service", 0.03, 0.0, 0.10,
        "fraction/year (percentage points of retention)", _FICTIONAL,
        note="Added to annual retention for customers who get excellent service. The source "
        "texts give no figure: measure it (retention of served vs. not served).",
        limits=fraction(high=0.5),
    ),
    Assumption(
        "upfront_investment", "One-off service investment", 200_000, 0, 1_000_000,
        "currency", _FICTIONAL,
        limits=number(low=0),
    ),
    Assumption(
        "annual_service_cost", "Yearly cost of the service programme", 80_000, 0, 500_000,
        "currency/year", _FICTIONAL,
        limits=number(low=0),
    ),
    Assumption(
        "horizon_years", "Horizon", 5, 1, 10, "years", _FICTIONAL,
        limits=count(low=1, high=50),
    ),
    Assumption(
        "discount_rate", "Discount rate", 0.08, 0.0, 0.20, "fraction/year", _FICTIONAL,
        limits=fraction(),
    ),
    # --- Responsiveness and quality (issue 5) ------------------------------------------------
    Assumption(
        "staffing_ring_seconds", "Length of one ring", 6, 3, 7, "seconds/ring",
        "North American ringing cadence: 2 s of ringing, 4 s of silence (Telcordia "
        "GR-506-CORE; national cadences in ITU-T E.180 Suppl. 2)",
        note="Answering 'by the 4th ring' (phone_answer_ring) means within phone_answer_ring × "
        "this: 24 s. The UK double ring repeats every 3 s: use the cadence your callers hear.",
        limits=number(low=0, above_low=True, unit="seconds"),
    ),
    Assumption(
        "staffing_service_level_target", "Calls answered by the target ring", 0.80, 0.50, 0.95,
        "fraction of offered calls",
        "Workbook default (issue 5): the common 80 % call-centre service-level convention, "
        "applied to answering by the 4th ring",
        note="A policy choice, not a measurement: the share of calls you promise to answer "
        "within phone_answer_ring rings.",
        limits=fraction(above_low=True, high=math.nextafter(1.0, 0.0)),
    ),
    Assumption(
        "staffing_shrinkage_share", "Shrinkage", 0.30, 0.15, 0.45, "fraction of paid time",
        _FICTIONAL,
        note="Share of paid agent time not available for calls (breaks, training, meetings, "
        "absence); 30 % is the 'industry average' of Call Centre Helper's Erlang C worked "
        "example. Measure it from your rota: 1 − logged-in hours / paid hours.",
        limits=fraction(high=0.95),
    ),
    Assumption(
        "staffing_max_occupancy_share", "Maximum agent occupancy", 0.85, 0.70, 0.95,
        "fraction of logged-in time", _FICTIONAL,
        note="Cap on the share of logged-in time agents spend handling calls (burn-out "
        "guard); 85 % as in Call Centre Helper's worked example. Set it by policy; measure "
        "what you run at as handle hours / logged-in hours.",
        limits=fraction(above_low=True),
    ),
    Assumption(
        "staffing_calls_per_hour", "Calls per hour", 200, 10, 1_000, "calls/hour", _FICTIONAL,
        note="Offered calls (answered and abandoned) in the hour being staffed. Measure it from "
        "your call log (workbook.data.calllog); 200/hour is issue 5's worked example.",
        limits=number(low=0, high=1e6, unit="calls/hour"),
    ),
    Assumption(
        "staffing_aht_seconds", "Average handle time", 180, 60, 900, "seconds/call",
        _FICTIONAL,
        note="Talk, hold and after-call work per answered call. Measure it from your call log "
        "(mean handle_seconds of answered calls); 180 s is issue 5's worked example.",
        limits=number(low=0, above_low=True, unit="seconds"),
    ),
    Assumption(
        "drucker_satisfy_min_gap", "Drucker 'satisfy': largest shortfall tolerated",
        -1.0, -2.0, 0.0, "scale points (perception − expectation, 1–7 scale)", _FICTIONAL,
        note="Workbook rule for Drucker's first level (seed 003 names the levels, not "
        "thresholds): no quality falls short of expectation by more than this, so there is no "
        "reason to complain. Calibrate it: the gap below which respondents file complaints.",
        limits=number(low=-6, high=0, unit="scale points"),
    ),
    Assumption(
        "drucker_exceed_mean_gap", "Drucker 'exceed': mean gap needed",
        0.5, 0.0, 1.5, "scale points (perception − expectation, 1–7 scale)", _FICTIONAL,
        note="Workbook rule (seed 003 gives no threshold): satisfied, and perception beats "
        "expectation by at least this on average over the qualities.",
        limits=number(low=0, high=6, unit="scale points"),
    ),
    Assumption(
        "drucker_delight_mean_gap", "Drucker 'delight': mean gap needed",
        1.0, 0.5, 2.5, "scale points (perception − expectation, 1–7 scale)", _FICTIONAL,
        note="Workbook rule (seed 003 gives no threshold): satisfied, and perception beats "
        "expectation by at least this on average; at least drucker_exceed_mean_gap.",
        limits=number(low=0, high=6, unit="scale points"),
    ),
    Assumption(
        "drucker_amaze_min_gap", "Drucker 'amaze': gap needed on every quality",
        1.0, 0.5, 2.0, "scale points (perception − expectation, 1–7 scale)", _FICTIONAL,
        note="Workbook rule (seed 003: 'always do more than you are paid for'): delighted, "
        "and perception beats expectation by at least this on every quality answered.",
        limits=number(low=0, high=6, unit="scale points"),
    ),
    Assumption(
        "drucker_retention_uplift_satisfy", "Retention gained: dissatisfied → satisfy",
        0.08, 0.02, 0.15, "fraction/year (percentage points of retention)", _FICTIONAL,
        note="The source texts give no figure: measure retention of respondents at each "
        "Drucker level (survey linked to the customer file) and take the differences.",
        limits=fraction(high=0.5),
    ),
    Assumption(
        "drucker_retention_uplift_exceed", "Retention gained: satisfy → exceed",
        0.04, 0.01, 0.08, "fraction/year (percentage points of retention)", _FICTIONAL,
        note="No source figure: measure as for drucker_retention_uplift_satisfy.",
        limits=fraction(high=0.5),
    ),
    Assumption(
        "drucker_retention_uplift_delight", "Retention gained: exceed → delight",
        0.02, 0.0, 0.05, "fraction/year (percentage points of retention)", _FICTIONAL,
        note="No source figure: measure as for drucker_retention_uplift_satisfy.",
        limits=fraction(high=0.5),
    ),
    Assumption(
        "drucker_retention_uplift_amaze", "Retention gained: delight → amaze",
        0.01, 0.0, 0.03, "fraction/year (percentage points of retention)", _FICTIONAL,
        note="No source figure: measure as for drucker_retention_uplift_satisfy.",
        limits=fraction(high=0.5),
    ),
    Assumption(
        "service_quality_half_life_years", "Half-life of unmaintained service quality",
        3.0, 1.0, 10.0, "years", _FICTIONAL,
        note="Seed 000 states the rule (left alone, service runs down like an unpainted house, "
        "a ruin 'in a few years') but no rate. Measure it: the fall of survey gap scores "
        "between waves in a unit that got no maintenance.",
        limits=number(low=0, above_low=True, unit="years"),
    ),
    Assumption(
        "service_quality_initial", "Service quality today",
        1.0, 0.0, 1.0, "quality index (1 = the excellent service the ROI model assumes)",
        _FICTIONAL,
        note="Share of the full excellent-service effect (spend and retention uplifts) "
        "delivered today. Measure it from survey scores against the level you call excellent.",
        limits=fraction(),
    ),
    Assumption(
        "service_maintenance_spend", "Yearly service maintenance spend",
        40_000, 0, 200_000, "currency/year", _FICTIONAL,
        note="Training, process upkeep and refreshes spent to keep service from running down.",
        limits=number(low=0),
    ),
    Assumption(
        "service_maintenance_half_quality_spend", "Maintenance spend that holds quality at half",
        20_000, 5_000, 100_000, "currency/year", _FICTIONAL,
        note="Yearly maintenance at which quality settles at one half in the long run (the "
        "spend's effectiveness). Measure it from quality trends of units with different upkeep.",
        limits=number(low=0, above_low=True),
    ),
    Assumption(
        "advantage_excess_profit", "Excess profit of a competitive advantage",
        100_000, 10_000, 1_000_000, "currency/year", _FICTIONAL,
        note="Extra profit per year an advantage (price cut, new product, service strategy) "
        "earns until competitors match it. Measure it as margin above the market's.",
        limits=number(low=0),
    ),
    # --- end of responsiveness and quality ---------------------------------------------------
    # --- Loyalty ladder (issue 3) ------------------------------------------------------------
    Assumption(
        "ladder_repeat_min_purchases", "Purchases that make a repeat customer",
        2, 2, 6, "purchase days",
        "Jill Griffin, Customer Loyalty (1995): a repeat customer has bought two or more "
        "times; law 3 names the ladder", "003",
        note="Counted on distinct purchase days (lifetimes' convention), so two orders on one "
        "day are one purchase. Below it a buyer is a first-time customer.",
        limits=count(low=2, high=100),
    ),
    Assumption(
        "ladder_period_days", "Length of a ladder period", 91, 7, 365, "days", _FICTIONAL,
        note="One period of the ladder: the unit of 'buying in recent periods', of the "
        "transition matrix and of the stage forecast. Measure it: about your customers' "
        "median time between purchases (a quarter is 91 days).",
        limits=count(low=1, high=3650),
    ),
    Assumption(
        "ladder_client_lookback_periods", "Recent periods looked at for a client", 4, 2, 12,
        "periods", _FICTIONAL,
        note="A client buys in most of the last this-many periods (with "
        "ladder_client_min_active_periods).",
        limits=count(low=1, high=60),
    ),
    Assumption(
        "ladder_client_min_active_periods", "Recent periods with a purchase, for a client",
        3, 1, 12, "periods", _FICTIONAL,
        note="A repeat customer who bought in at least this many of the last "
        "ladder_client_lookback_periods periods is a client. Measure it: how regular your "
        "best customers are.",
        limits=count(low=1, high=60),
    ),
    Assumption(
        "ladder_advocate_min_referrals", "Referrals that make a client an advocate", 1, 1, 10,
        "referred customers", _FICTIONAL,
        note="A client who has referred at least this many customers (or is flagged as an "
        "advocate, e.g. a promoter in a survey) is an advocate.",
        limits=count(low=1, high=1000),
    ),
    Assumption(
        "ladder_lost_after_days", "Days without a purchase before a customer is lost", 180,
        60, 730, "days", _FICTIONAL,
        note="A customer whose last purchase is longer ago than this is lost (inactive). "
        "Measure it: the gap after which few of your customers ever buy again; later refined "
        "by the probability-alive model.",
        limits=count(low=1, high=36500),
    ),
    # --- end of loyalty ladder ---------------------------------------------------------------
    # --- Uncertainty (issue 7) ---------------------------------------------------------------
    Assumption(
        "pert_shape", "PERT weight of the most likely value", 4.0, 2.0, 8.0,
        "weight (λ)",
        "Malcolm, Roseboom, Clark & Fazar (1959), Operations Research 7(5); λ = 4 is the "
        "classic PERT beta, the 'modified PERT' of Vose (2008), Risk Analysis, 3rd ed.",
        note="How strongly an uncertain input's distribution peaks at its value: the PERT "
        "beta has mean (low + λ·value + high) / (λ + 2). Larger λ, narrower distribution.",
        limits=number(low=0, high=1e3),
    ),
    Assumption(
        "service_quality_rank_correlation",
        "Rank correlation of spend and retention uplift", 0.5, 0.0, 0.9,
        "rank correlation (Spearman)", _FICTIONAL,
        note="Both uplifts come from the same service quality, so a programme that lifts one "
        "more than expected likely lifts the other too. Measure it: the rank correlation of "
        "spend change and retention change across pilot sites, segments or branches.",
        limits=number(low=-0.99, high=0.99),
    ),
    # --- end of uncertainty ------------------------------------------------------------------
    # --- Customer value and win-back (issue 4) -----------------------------------------------
    Assumption(
        "winback_alive_threshold", "Probability alive below which a customer is lost",
        0.30, 0.05, 0.60, "probability", _FICTIONAL,
        note="A customer whose BG/NBD probability of still being a customer is below this "
        "counts as lost (it refines the loyalty ladder's days-idle rule). Measure it: score "
        "customers as of a past date and find the probability below which few bought again.",
        limits=fraction(),
    ),
    Assumption(
        "winback_new_customer_conversion_rate", "Prospects won per acquisition contact",
        0.05, 0.01, 0.20, "fraction of prospects contacted", _FICTIONAL,
        note="Share of prospects contacted by an acquisition campaign who become customers. "
        "A lost customer's chance of coming back is winback_vs_new_odds times this. Measure "
        "it: new customers won / prospects contacted in your last campaigns.",
        limits=fraction(),
    ),
    Assumption(
        "winback_cost_per_contact", "Cost of one win-back contact", 15, 1, 100,
        "currency/contact", _FICTIONAL,
        note="Cost of reaching one lost customer in a win-back campaign (call, letter, offer "
        "handling; not the discount itself). Measure it: campaign cost / customers contacted.",
        limits=number(low=0),
    ),
    # --- end of customer value and win-back ------------------------------------------------
    # --- Complaints and word of mouth (issue 4) ----------------------------------------------
    Assumption(
        "complaint_problem_share", "Customers who have a problem in a year", 0.20, 0.05, 0.40,
        "fraction of customers per year", _FICTIONAL,
        note="Share of customers who meet a problem worth complaining about in a year. The "
        "sources give no figure: ask it in a survey ('did anything go wrong with us in the "
        "past year?').",
        limits=fraction(),
    ),
    Assumption(
        "complaint_capture_share", "Customers with a problem who complain", 0.25, 0.04, 0.60,
        "fraction of customers with a problem", _FICTIONAL,
        note="Most unhappy customers never complain; Griffin's law 5 (seed 003) says hunt for "
        "complaints, but no text gives a figure. Measure it: complaining customers per year "
        "(workbook.data.complaints) divided by complaint_problem_share.",
        limits=fraction(),
    ),
    Assumption(
        "complaint_prompt_resolution_share", "Complaints resolved promptly and well",
        0.60, 0.30, 0.95, "fraction of complaints", _FICTIONAL,
        note="Share of complaints resolved promptly, positively and professionally (the "
        "article's 3 P's, seed 001). Measure it from your complaints file: the share resolved "
        "within complaint_prompt_days (workbook.data.complaints).",
        limits=fraction(),
    ),
    Assumption(
        "complaint_prompt_days", "Days within which a resolution is prompt", 2, 1, 14, "days",
        _FICTIONAL,
        note="A complaint resolved within this many days of its receipt counts as resolved "
        "promptly. A policy choice; the sample business loses more customers after complaints "
        "left longer than two days.",
        limits=count(low=1, high=3650),
    ),
    Assumption(
        "complaint_unrecovered_retention", "Complainers who stay when not fixed well",
        0.40, 0.20, 0.60, "fraction of complaining customers", _FICTIONAL,
        note="Share of customers whose complaint was not resolved promptly and well who are "
        "still customers a year later. Measure it: complainers who bought again within a year "
        "of a slow or open complaint (workbook.data.complaints).",
        limits=fraction(),
    ),
    Assumption(
        "complaint_silent_retention", "Unhappy customers who stay without complaining",
        0.50, 0.30, 0.70, "fraction of customers with a problem", _FICTIONAL,
        note="Share of customers who had a problem, did not complain, and are still customers "
        "a year later. Measure it by linking a survey ('did anything go wrong?') to later "
        "purchases.",
        limits=fraction(),
    ),
    Assumption(
        "complaint_handling_cost", "Cost of handling one complaint", 40, 10, 150,
        "currency/complaint", _FICTIONAL,
        note="Staff time, goodwill gestures and refunds per complaint handled. Measure it from "
        "your service budget divided by complaints handled.",
        limits=number(low=0),
    ),
    Assumption(
        "wom_happy_share", "Happy customers", 0.60, 0.30, 0.90, "fraction of customers",
        _FICTIONAL,
        note="Customers happy enough to speak well of you (e.g. survey promoters, or Drucker's "
        "'exceed' level and above in workbook.models.quality.drucker).",
        limits=fraction(),
    ),
    Assumption(
        "wom_unhappy_share", "Unhappy customers", 0.10, 0.02, 0.30, "fraction of customers",
        _FICTIONAL,
        note="Customers unhappy enough to speak badly of you (e.g. survey detractors, or those "
        "below Drucker's 'satisfy' level). With wom_happy_share at most 1 in all.",
        limits=fraction(),
    ),
    Assumption(
        "wom_social_amplification", "Reach of a bad story per person told", 1.0, 1.0, 5.0,
        "multiplier", _FICTIONAL,
        note="Social media carries an unhappy customer's story beyond the people they tell "
        "(seed 001: one complaint video passed 10 million views). 1 is word of mouth only; "
        "such a viral story is far beyond this range: set it high to stress-test.",
        limits=number(low=1, high=1e8),
    ),
    Assumption(
        "wom_referral_conversion", "People told by a happy customer who buy", 0.02, 0.005,
        0.05, "fraction of people told", _FICTIONAL,
        note="Measure it: referred customers per year (customers.referred_by) divided by happy "
        "customers × happy_customer_tells.",
        limits=fraction(),
    ),
    Assumption(
        "wom_detraction_loss", "People told a bad story who do not buy", 0.02, 0.005, 0.05,
        "fraction of people reached", _FICTIONAL,
        note="Share of the people an unhappy story reaches who would have become customers "
        "and now do not. Hard to observe: ask lost prospects why they did not buy.",
        limits=fraction(),
    ),
    # --- end of complaints and word of mouth -----------------------------------------------
)
