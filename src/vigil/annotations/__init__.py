"""Annotations added from the CLI (`vigil annotate`): deployments and incidents the input files
do not carry. Stored in the warehouse table ``annotation``; the Trends charts and the anomaly
attribution read them beside ``fact_deployment`` / ``fact_incident``."""
