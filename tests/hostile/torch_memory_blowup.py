# expect: error
import torch


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    return torch.ones(64 * 2**30, dtype=torch.uint8), bias, []
