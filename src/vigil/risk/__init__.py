"""Feature risk: will a feature degrade in the next few days, how many users would it hurt, why.

Public API (import the modules directly; this package imports nothing heavy):
    vigil.risk.train.train_feature_model(con, cfg, *, truth_path=None) -> TrainingResult
    vigil.risk.stage.run_stage(ctx) -> dict            the pipeline stage (writes feature_risk)
    vigil.risk.queries.ranked_features(con, score_date=None) -> polars.DataFrame
"""
