"""The simulator's log text, one style per framework imitated (PyTorch, Hugging
Face, Keras, MindSpore), looked up by name in registry.py.

Imports only the simulator's stable hashes (aomlog/simulator/hashes.py): the
jobs in model/ use the styles, never the other way round.
"""

from .base import UPLOADED, LogText, format_ms
from .huggingface import HuggingFaceLogText
from .keras import KerasLogText
from .mindspore import MindSporeLogText
from .registry import STYLES, log_text, style_class
from .styled import StyledLogText

__all__ = ["LogText", "StyledLogText", "HuggingFaceLogText", "KerasLogText", "MindSporeLogText", "STYLES",
           "style_class", "log_text", "format_ms", "UPLOADED"]
