"""The modelling core shared by feature risk (``vigil.risk``) and patch risk (``vigil.patches``).

- ``split``: time-ordered train / calibration / test boundaries with a gap of the outcome window
- ``metrics``: ranking, probability and catch metrics (numpy only, as scikit-learn computes them)
- ``intervals``: bootstrap resampling within groups and 90% percentile intervals
- ``contract``: what a risk model offers its trainer, its scorer and the registry
"""
