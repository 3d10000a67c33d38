"""Probes and Keras callbacks that say *why* training goes wrong.

One module per probe: ``gradients`` (per-layer gradient norms),
``activations`` (activation statistics, dead-ReLU fraction), ``divergence``
(non-finite or exploding loss, with a readable explanation) and ``collapse``
(a model that predicts one class for everything).
"""

from dlcourse.diagnostics.activations import ActivationMonitor, ActivationStats, activation_stats, relu_layers
from dlcourse.diagnostics.collapse import OneClassMonitor, OneClassReport, one_class_check
from dlcourse.diagnostics.divergence import DivergenceDetector
from dlcourse.diagnostics.gradients import GradientNormLogger, StepGradientRecorder, gradient_norms

__all__ = [
    "ActivationMonitor", "ActivationStats", "DivergenceDetector", "GradientNormLogger",
    "OneClassMonitor", "OneClassReport", "StepGradientRecorder", "activation_stats", "gradient_norms",
    "one_class_check", "relu_layers",
]
