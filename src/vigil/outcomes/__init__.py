"""Closing the loop: regressions the detectors observed become outcome labels for the releases
that caused them (table ``release_outcome``, ``source = telemetry``), beside the outcomes a user
supplies in releases.csv (``source = file``).

episodes.py    anomaly rows -> regression episodes (one feature, consecutive days)
evidence.py    episode x candidate release: time since rollout, touched the feature,
               dose-response with the release's share of events, version split of bad events
confidence.py  evidence -> confidence (a logistic model fitted on tuning worlds) and the pick
labels.py      attributions -> one telemetry outcome per release (mature once its window closed)
store.py       tables regression_attribution and release_outcome: write and read
training.py    what the patch-risk training reads when ``outcomes.label_source = telemetry``
stage.py       the pipeline stage (after detection, before patches)
"""
