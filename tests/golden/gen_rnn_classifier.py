"""Sequence classifiers over 28×28 images read as 28 steps of 28 features, from PyTorch.

Usage: /usr/bin/python3 tests/golden/gen_rnn_classifier.py > tests/Descent.Tests/Golden/rnn_classifier.json
"lstm": nn.LSTM(28, 64, batch_first=True) then nn.Linear(64, 10) on the last step's output. "bigru": a 2-layer
bidirectional nn.GRU(28, 16) then nn.Linear(32, 10) on the last layer's final states of both directions (so every
parameter, the _reverse ones too, gets a gradient). Each is built right after torch.manual_seed(0), so its state
dict is also what that seed gives; both see the same batch of 8 images and labels (drawn after the LSTM's model),
in eval mode. Stored: the state dict, logits, cross-entropy loss and every parameter's gradient.
"""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F
from golden_json import enc


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(28, 64, batch_first=True)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        seq, _ = self.rnn(x)
        return self.out(seq[:, -1, :])


class BiGruClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(28, 16, num_layers=2, batch_first=True, dropout=0.0, bidirectional=True)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.out(torch.cat([h[-2], h[-1]], 1))


def case(net, images, labels):
    net.eval()
    state = {k: enc(v) for k, v in net.state_dict().items()}
    logits = net(images)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {"repr": repr(net), "state_dict": state, "logits": enc(logits), "loss": loss.item(),
            "grads": {k: enc(p.grad) for k, p in net.named_parameters()}}


torch.manual_seed(0)
lstm = LstmClassifier()
images = torch.randn(8, 28, 28)
labels = torch.randint(0, 10, (8,))
result = {"images": enc(images), "labels": enc(labels), "lstm": case(lstm, images, labels)}
torch.manual_seed(0)
result["bigru"] = case(BiGruClassifier(), images, labels)
json.dump(result, sys.stdout)
