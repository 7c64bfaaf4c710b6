"""The Python side of the Data ML Platform: the jobs Ray runs (training, SHAP, statistics, batch
prediction, forecasting) and what they share. Shipped to Ray as a working_dir package."""

__version__ = "0.1.0"
