"""A fitted tabular Pipeline as one ONNX graph (preprocessing included), and the check that the graph and the
native pipeline agree on the hold-out rows.

Inputs: one [N, 1] tensor per feature, named after the column: string for String columns, float otherwise (see
dmlp_jobs.tabular). Outputs: classification `label` (int64 class index) and `probabilities` (float [N, K]);
regression `variable` (float [N, 1]). Opsets: ai.onnx 17, ai.onnx.ml 3.
"""

from __future__ import annotations

import numpy as np
import onnxruntime
import pandas as pd
from lightgbm import LGBMClassifier, LGBMRegressor
from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
from skl2onnx import convert_sklearn, update_registered_converter
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from skl2onnx.common.shape_calculator import (calculate_linear_classifier_output_shapes,
                                              calculate_linear_regressor_output_shapes)
from sklearn.pipeline import Pipeline
from xgboost import XGBClassifier, XGBRegressor

OPSETS = {"": 17, "ai.onnx.ml": 3}
CLASSIFIER_OPTIONS = {"nocl": [True, False], "zipmap": [True, False, "columns"]}

update_registered_converter(XGBClassifier, "XGBoostXGBClassifier", calculate_linear_classifier_output_shapes,
                            convert_xgboost, options=CLASSIFIER_OPTIONS)
update_registered_converter(LGBMClassifier, "LightGbmLGBMClassifier", calculate_linear_classifier_output_shapes,
                            convert_lightgbm, options=CLASSIFIER_OPTIONS)
update_registered_converter(XGBRegressor, "XGBoostXGBRegressor", calculate_linear_regressor_output_shapes,
                            convert_xgboost)
update_registered_converter(LGBMRegressor, "LightGbmLGBMRegressor", calculate_linear_regressor_output_shapes,
                            convert_lightgbm, options={"split": None})


class ParityError(RuntimeError):
    """The exported graph does not compute what the native pipeline does."""


def to_onnx(fitted: Pipeline, features: list[dict], classification: bool) -> bytes:
    inputs = [(f["column_name"], StringTensorType([None, 1]) if f["data_type"] == "String"
               else FloatTensorType([None, 1])) for f in features]
    options = {id(fitted.steps[-1][1]): {"zipmap": False}} if classification else None
    graph = convert_sklearn(fitted, initial_types=inputs, options=options, target_opset=OPSETS)
    return graph.SerializeToString()


def session(graph: bytes) -> onnxruntime.InferenceSession:
    return onnxruntime.InferenceSession(graph, providers=["CPUExecutionProvider"])


def run(graph: bytes | onnxruntime.InferenceSession, x: pd.DataFrame) -> list[np.ndarray]:
    """The graph's outputs for the features `x` (see dmlp_jobs.tabular.feature_frame); a session is reused."""
    runner = graph if isinstance(graph, onnxruntime.InferenceSession) else session(graph)
    return runner.run(None, {name: x[[name]].to_numpy() for name in x.columns})


def parity(graph: bytes, fitted: Pipeline, x: pd.DataFrame, classification: bool, tolerance: float) -> dict:
    """ONNX against native on `x`. Classification: the largest difference of any class probability, and the
    share of rows with the same label. A differing label fails only where the native top two probabilities are
    further apart than 2 x tolerance (elsewhere it is a tie that float32 may break either way). Regression: the
    largest difference, relative to max(1, largest absolute native prediction). Raises ParityError beyond
    `tolerance`; returns the figures otherwise."""
    outputs = run(graph, x)
    if classification:
        native = fitted.predict_proba(x)
        labels, probabilities = outputs[0].ravel(), outputs[1]
        difference = float(np.abs(probabilities - native).max()) if len(x) else 0.0
        agree = labels == native.argmax(axis=1)
        ordered = np.sort(native, axis=1)
        clear = (ordered[:, -1] - ordered[:, -2]) > 2 * tolerance
        figures = {"rows": len(x), "max_abs_diff": difference,
                   "label_agreement": float(agree.mean()) if len(x) else 1.0,
                   "label_agreement_beyond_ties": float(agree[clear].mean()) if clear.any() else 1.0,
                   "tolerance": tolerance}
        problems = [f"probabilities differ by up to {difference:.3g}"] if difference > tolerance else []
        if (~agree & clear).any():
            problems.append(f"{int((~agree & clear).sum())} of {len(x)} labels differ")
    else:
        native = fitted.predict(x)
        difference = float(np.abs(outputs[0].ravel() - native).max()) if len(x) else 0.0
        scale = max(1.0, float(np.abs(native).max())) if len(x) else 1.0
        figures = {"rows": len(x), "max_abs_diff": difference, "max_rel_diff": difference / scale,
                   "tolerance": tolerance}
        problems = [f"predictions differ by up to {difference:.3g} ({difference / scale:.3g} relative)"] \
            if difference / scale > tolerance else []
    if problems:
        raise ParityError(f"the ONNX export disagrees with the trained model on the hold-out rows: "
                          f"{'; '.join(problems)} (tolerance {tolerance})")
    return figures
