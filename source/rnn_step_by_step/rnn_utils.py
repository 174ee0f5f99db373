"""Activation functions for the assignment. Both work column by column on float64 arrays."""

import numpy as np


def softmax(z):
    """Softmax over axis 0: each column of z (n, m) becomes a probability distribution.

    The column maximum is subtracted before np.exp, so large scores do not overflow.
    """
    exp_z = np.exp(z - np.max(z, axis=0, keepdims=True))
    return exp_z / np.sum(exp_z, axis=0, keepdims=True)


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), element by element."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))
