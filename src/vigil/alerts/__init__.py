"""Alerts: rules over the warehouse's signals, one alert per problem, delivered to Slack,
PagerDuty, webhooks and apprise channels with bounded retries, every notice in ``alert_log``.

    settings.py      the ``alerts`` config section (rules, destinations, delivery)
    rules.py         the six rules, each reading a table another stage writes
    alert.py         an alert and its stable dedup key
    dedup.py         trigger / duplicate / held (cooldown) / resolve, per key (pure)
    destinations.py  Slack, PagerDuty Events API v2 and webhook payloads
    delivery.py      POST with exponential backoff and jitter
    apprise_channel.py  further channels (Teams, e-mail, ...) through apprise, one attempt a run
    notify.py        evaluate -> decide -> deliver -> record
    store.py         tables alert_state and alert_log, and their read functions
    stage.py         the pipeline stage
"""
