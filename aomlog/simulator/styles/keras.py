"""The Keras style: ``model.fit(verbose=1)`` writing to a file.

``Epoch 3/100`` banners, progress lines ``120/469 [====>...] - ETA: 9s - loss:
0.4456 - accuracy: 0.8611`` (some redrawn with ``\\b`` and ``\\r``) and the
epoch's last line with ``val_loss``, ``val_accuracy``, ``lr``.
"""

from __future__ import annotations

import math
from typing import List

from ..hashes import mix64, quick_hash
from .base import UPLOADED, format_ms
from .styled import StyledLogText

KERAS_EPOCH_LINES = 30
KERAS_STEPS = 469  # MNIST: 60000 / 128
KERAS_EPOCHS = 100


def _keras_number(v: float) -> str:
    """How Keras' progress bar prints a metric."""
    return "%.4f" % v if abs(v) > 1e-3 else "%.4e" % v


def _keras_bar(current: int) -> str:
    """Keras' Progbar: ``120/469 [=======>......................]``."""
    width = 30 * current // KERAS_STEPS
    if width:
        bar = "=" * (width - 1) + (">" if current < KERAS_STEPS else "=")
    else:
        bar = ""
    return "%3d/%d [%s]" % (current, KERAS_STEPS, bar + "." * (30 - width))


# The bar of each line of an epoch (line 0 is the banner, the last one the epoch's end).
_KERAS_BARS = tuple(_keras_bar(max(1, o * KERAS_STEPS // (KERAS_EPOCH_LINES - 1)))
                    for o in range(KERAS_EPOCH_LINES))


def _eta(s: int) -> str:
    if s > 3600:
        return "%d:%02d:%02d" % (s // 3600, (s % 3600) // 60, s % 60)
    if s > 60:
        return "%d:%02d" % (s // 60, s % 60)
    return "%ds" % s


class KerasLogText(StyledLogText):
    """A Keras ``model.fit`` of MNIST's convnet, verbose=1 to a file: an ``Epoch N/100``
    banner, progress lines (running means of the epoch), then the epoch's line with
    the validation metrics and the learning rate of ReduceLROnPlateau."""

    style = "keras"
    CRASH_AT = 10
    CRASH = (1, 8)
    BOOT_FILE = "mnist_convnet.py"
    COMMAND = "python mnist_convnet.py --epochs %d --batch_size 128" % KERAS_EPOCHS
    WARNINGS = (
        "%(ts2)s: W tensorflow/core/framework/cpu_allocator_impl.cc:82] Allocation of %(big)d exceeds 10%% of "
        "free system memory.",
        "WARNING:tensorflow:Callback method `on_train_batch_end` is slow compared to the batch time "
        "(batch time: 0.00%(n)ds vs `on_train_batch_end` time: 0.0%(n)ds). Check your callbacks.",
        "%(ts)s WARNING 显存使用率偏高 (%(n)d%%), 建议减小 batch_size",
        "/usr/local/lib/python3.7/site-packages/keras/engine/training.py:2%(n)d: UserWarning: "
        "`Model.state_updates` will be removed in a future version.",
        "%(ts2)s: I tensorflow/stream_executor/cuda/cuda_dnn.cc:369] Loaded cuDNN version 8%(n)d0",
    )
    TRACEBACK = (
        "Traceback (most recent call last):",
        '  File "/home/ma-user/modelarts/user-job-dir/code/mnist_convnet.py", line 71, in on_train_batch_end',
        "    self._upload(batch, logs)",
        '  File "/home/ma-user/modelarts/user-job-dir/code/mnist_convnet.py", line 58, in _upload',
        "    mox.file.append(self.path, json.dumps(logs))",
        '  File "/usr/local/lib/python3.7/site-packages/moxing/framework/file/file_io.py", line 512, in append',
        "    raise OSError(err)",
    )
    ERRORS = (
        "OSError: [Errno 5] 上传到 OBS 失败: Connection reset by peer",
        "tensorflow.python.framework.errors_impl.ResourceExhaustedError: OOM when allocating tensor "
        "with shape[128,32,26,26]",
        "TypeError: Object of type float32 is not JSON serializable",
    )
    FINISHED = ("{ts} INFO Saving the model to /cache/output/saved_model ... done — 训练完成 ✅", UPLOADED)
    EPOCH_SALT = 0x6B72

    def _ts2(self, ts: str, ms: int) -> str:
        """TensorFlow's C++ log time, with microseconds: ``2026-11-27 07:32:39.254123``."""
        return "%s.%s%03d" % (ts[:19], ts[20:], mix64(ms) % 1000)

    def _header(self) -> List[str]:
        r, w = self.rank, max(self.world, 1)
        tf = "{ts2}: I tensorflow/"
        return self._preamble([
            "PYTHON_VERSION=3.7.10",
            "TENSORFLOW_VERSION=2.6.2",
            "CUDA_VISIBLE_DEVICES=0",
            'TF_CONFIG={"cluster": {"worker": [%s]}, "task": {"type": "worker", "index": %d}}' % (
                ", ".join('"192.168.0.%d:2222"' % (10 + i) for i in range(min(w, 4))), r),
        ]) + [
            tf + "stream_executor/platform/default/dso_loader.cc:53] Successfully opened dynamic library "
            "libcudart.so.11.0",
            tf + "core/platform/cpu_feature_guard.cc:142] This TensorFlow binary is optimized with oneAPI Deep "
            "Neural Network Library (oneDNN) to use the following CPU instructions in performance-critical "
            "operations:  AVX2 AVX512F FMA",
            tf + "core/common_runtime/gpu/gpu_device.cc:1510] Created device /job:localhost/replica:0/task:0/"
            "device:GPU:0 with 30987 MB memory:  -> device: 0, name: Tesla V100-SXM2-32GB, pci bus id: "
            "0000:1a:00.0, compute capability: 7.0",
            "x_train shape: (60000, 28, 28, 1)",
            "60000 train samples",
            "10000 test samples",
            'Model: "sequential"',
            "_________________________________________________________________",
            " Layer (type)                Output Shape              Param #   ",
            "=================================================================",
            " conv2d (Conv2D)             (None, 26, 26, 32)        320       ",
            "                                                                 ",
            " max_pooling2d (MaxPooling2D  (None, 13, 13, 32)       0         ",
            " )                                                               ",
            "                                                                 ",
            " conv2d_1 (Conv2D)           (None, 11, 11, 64)        18496     ",
            "                                                                 ",
            " max_pooling2d_1 (MaxPooling  (None, 5, 5, 64)         0         ",
            " 2D)                                                             ",
            "                                                                 ",
            " flatten (Flatten)           (None, 1600)              0         ",
            "                                                                 ",
            " dropout (Dropout)           (None, 1600)              0         ",
            "                                                                 ",
            " dense (Dense)               (None, 10)                16010     ",
            "                                                                 ",
            "=================================================================",
            "Total params: 34,826",
            "Trainable params: 34,826",
            "Non-trainable params: 0",
            "_________________________________________________________________",
            tf + "compiler/mlir/mlir_graph_optimization_pass.cc:185] None of the MLIR Optimization Passes are "
            "enabled (registered 2)",
        ]

    def _epoch_values(self, e: int, he: int) -> tuple:
        # Running means over the epoch (1e-4 units): they start near the last
        # epoch's level and end lower (loss) or higher (accuracy).
        loss0 = int(10000 * (0.012 + 0.3 * math.exp(-0.05 * e)))
        loss1 = int(10000 * (0.012 + 0.3 * math.exp(-0.05 * (e + 1))))
        acc0 = int(10000 * (0.9975 - 0.1 * math.exp(-0.06 * e)))
        acc1 = int(10000 * (0.9975 - 0.1 * math.exp(-0.06 * (e + 1))))
        val_loss = (0.022 + 0.24 * math.exp(-0.06 * (e + 1))) * (0.95 + (he % 1000) / 10000.0)
        val_acc = min(0.9985, 0.9935 - 0.06 * math.exp(-0.07 * (e + 1)) + ((he >> 12) % 30) / 10000.0)
        lr = 1e-3 * 0.5 ** (e // 25)  # ReduceLROnPlateau halves it on each plateau
        ms_step = 5 + (self.key >> 4) % 20 + (he >> 24) % 3  # the epoch's speed
        end = " - %ds %dms/step - loss: %%s - accuracy: %%s - val_loss: %s - val_accuracy: %s - lr: %s" % (
            ms_step * KERAS_STEPS // 1000, ms_step, _keras_number(val_loss), _keras_number(val_acc),
            _keras_number(lr))
        return (he, he % self.CRASH[1] < self.CRASH[0], loss0, loss1 - loss0, acc0, acc1 - acc0, ms_step, end)

    def _body(self, j: int, ms: int) -> str:
        e, o = divmod(j, KERAS_EPOCH_LINES)
        _, he, crashes, loss0, dloss, acc0, dacc, ms_step, end = self._epoch(e)
        if o == 0:
            return "Epoch %d/%d" % (e + 1, KERAS_EPOCHS)
        if crashes and self.CRASH_AT <= o < self.CRASH_AT + 10:
            return self._traceback_line(o - self.CRASH_AT, format_ms(ms), he, e + 1)
        h = quick_hash(self.key, j)
        if e:
            loss = loss0 + dloss * o // KERAS_EPOCH_LINES + (h >> 24) % 60
            acc = min(9999, acc0 + dacc * o // KERAS_EPOCH_LINES + (h >> 34) % 20)
        else:  # the first epoch's running means fall (rise) fast from chance level
            w = math.exp(-o / 4.0)
            loss = int(loss0 + dloss + (23026 - loss0 - dloss) * w) + (h >> 24) % 60
            acc = int(acc0 + dacc - (acc0 + dacc - 1000) * w) + (h >> 34) % 20
        if o == KERAS_EPOCH_LINES - 1:
            return _KERAS_BARS[o] + end % ("%d.%04d" % divmod(loss, 10000), "%d.%04d" % divmod(acc, 10000))
        kind = h % 100
        if kind < 9:
            return self._noise(kind, h, format_ms(ms), ms)
        line = "%s - ETA: %s - loss: %d.%04d - accuracy: %d.%04d" % (
            (_KERAS_BARS[o], _eta((KERAS_STEPS - o * KERAS_STEPS // (KERAS_EPOCH_LINES - 1)) * ms_step // 1000))
            + divmod(loss, 10000) + divmod(acc, 10000))
        if (h >> 40) % 6 == 0 and o > 1:
            # On a terminal Keras redraws its bar: backspaces over the last drawing, then "\r".
            # This line holds a drawing between the last line's and its own.
            mid = ((o - 1) * KERAS_STEPS // (KERAS_EPOCH_LINES - 1) + o * KERAS_STEPS // (KERAS_EPOCH_LINES - 1)) // 2
            prev = "%s - ETA: %s - loss: %d.%04d - accuracy: %d.%04d" % (
                (_keras_bar(mid), _eta((KERAS_STEPS - mid) * ms_step // 1000))
                + divmod(loss + 7, 10000) + divmod(max(0, acc - 3), 10000))
            return prev + "\b" * len(prev) + "\r" + line
        return line
