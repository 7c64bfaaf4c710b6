"""LightGBM's split thresholds made exact in float32, so that its ONNX graph splits every input as the model does."""

import numpy as np
from lightgbm import LGBMClassifier

from dmlp_jobs import tabular


def test_every_threshold_becomes_a_float32_and_no_prediction_changes():
    random = np.random.default_rng(3)
    x = random.normal(0, 1, (5000, 6)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] * x[:, 2] + random.logistic(0, 0.5, 5000) > 0).astype(int)
    model = LGBMClassifier(random_state=3, verbose=-1).fit(x, y)
    before = model.predict_proba(x)

    tabular.float32_thresholds(model)

    thresholds = np.array([node["threshold"] for tree in model.booster_.dump_model()["tree_info"]
                           for node in _splits(tree["tree_structure"])])
    assert len(thresholds) > 100
    assert np.array_equal(thresholds.astype(np.float32).astype(np.float64), thresholds)
    assert np.array_equal(model.predict_proba(x), before)


def _splits(node):
    if "threshold" in node:
        yield node
        yield from _splits(node["left_child"])
        yield from _splits(node["right_child"])
