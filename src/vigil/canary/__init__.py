"""Canary judge: compare a candidate release's telemetry with its baseline's over the same window.

Each metric gets the test that fits it (latency: Mann-Whitney U with a Hodges-Lehmann shift;
crash and error rates: an exact conditional binomial test with a relative-risk interval; feedback:
Mann-Whitney on scores), then Kayenta's structure turns the metric verdicts into one score and a
Pass / Marginal / Fail / NoData verdict.
"""
