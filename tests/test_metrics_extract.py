"""aomlog.metrics.extract: which numbers of a training log are metrics, under which name, at which step and epoch.

Table-driven from realistic lines of each framework and of ordinary logs; then
the page-level ``Extractor`` (carried Keras epoch, redraws, line indices, the
plan cache by skeleton) against the line-level rules, and the simulator's log.
"""

from __future__ import annotations

import dataclasses
import math
import random
import re

import pytest

from aomlog.metrics import extract as metrics
from aomlog.metrics.extract import Extractor, Sample, extract_line
from aomlog.output.safetext import final_state

TS = "2026-11-27 07:32:38,287"

# (line, step, epoch, [(name, text), ...]): exactly what the line yields.
FOUND = [
    # -- this project's simulator (aomlog/simulator/styles/) --
    (f"{TS} INFO [train] epoch 38 step 120/440 loss=0.1234 acc=0.5678 lr=1.000e-04 (1800.5 samples/s)",
     120, 38.0, [("loss", "0.1234"), ("acc", "0.5678"), ("lr", "1.000e-04")]),
    (f"{TS} INFO [eval] epoch 38 val_loss=0.2261 val_acc=0.7775", None, 38.0,
     [("val_loss", "0.2261"), ("val_acc", "0.7775")]),
    (f"{TS} INFO Epoch 38 finished in 302.67s (2722 samples/s)", None, 38.0, []),
    (f"{TS} INFO ===== Epoch 38 ===== 第 38 轮训练开始", None, 38.0, []),
    (f"{TS} INFO metrics:\tloss_scale=1024\tgrad_norm=nan\tcomment=\u201ctabs\u201d", None, None,
     [("loss_scale", "1024"), ("grad_norm", "nan")]),
    (f"\x1b[32m{TS} INFO\x1b[0m \x1b[1mcolourised by the job itself\x1b[0m step=96", 96, None, []),
    ("Epoch 7:  30%|███       | 30/100 [00:03<00:07, 9.87it/s]", None, 7.0, []),
    (f"{TS} ERROR Exception in training step (epoch 12), skipping batch:", None, 12.0, []),
    (f"{TS} ERROR Training aborted: loss is NaN — 训练失败 ❌", None, None, [("loss", "NaN")]),
    # -- Hugging Face Trainer --
    ("{'loss': 0.41, 'grad_norm': 1.93, 'learning_rate': 4.9e-05, 'epoch': 1.2}", None, 1.2,
     [("loss", "0.41"), ("grad_norm", "1.93"), ("learning_rate", "4.9e-05")]),
    ("{'eval_loss': 0.3, 'eval_accuracy': 0.9, 'eval_runtime': 12.3, 'eval_samples_per_second': 80.0, "
     "'eval_steps_per_second': 10.0, 'epoch': 1.0}", None, 1.0,
     [("eval_loss", "0.3"), ("eval_accuracy", "0.9"), ("eval_runtime", "12.3"),
      ("eval_samples_per_second", "80.0"), ("eval_steps_per_second", "10.0")]),
    ("{'train_runtime': 100.1, 'train_samples_per_second': 40.0, 'train_loss': 0.5, 'epoch': 3.0}", None, 3.0,
     [("train_runtime", "100.1"), ("train_samples_per_second", "40.0"), ("train_loss", "0.5")]),
    ("{'loss': tensor(0.6931, device='cuda:0'), 'grad_norm': tensor(2.5000), 'epoch': 0.5}", None, 0.5,
     [("loss", "0.6931"), ("grad_norm", "2.5000")]),
    ("{'eval_loss': 0.25, 'eval_f1': np.float64(0.875), 'epoch': 2.0}", None, 2.0,
     [("eval_loss", "0.25"), ("eval_f1", "0.875")]),
    ("  epoch                   =        3.0", None, 3.0, []),
    ("  eval_loss               =     0.3456", None, None, [("eval_loss", "0.3456")]),
    ("  eval_samples_per_second =     80.123", None, None, [("eval_samples_per_second", "80.123")]),
    # -- Keras --
    ("Epoch 3/10", None, 3.0, []),
    ("100/100 [==============================] - 2s 20ms/step - loss: 0.4123 - accuracy: 0.8811 - val_loss: "
     "0.3012 - val_accuracy: 0.9001", None, None,
     [("loss", "0.4123"), ("accuracy", "0.8811"), ("val_loss", "0.3012"), ("val_accuracy", "0.9001")]),
    (" 13/100 [==>...........................] - ETA: 1:40 - loss: 2.3026 - accuracy: 0.1000", None, None,
     [("loss", "2.3026"), ("accuracy", "0.1000")]),
    ("100/100 ━━━━━━━━━━━━━━━━━━━━ 2s 20ms/step - accuracy: 0.8811 - loss: 0.4123", None, None,
     [("accuracy", "0.8811"), ("loss", "0.4123")]),
    ("Epoch 00001: val_loss improved from inf to 0.30123, saving model to /tmp/ckpt.h5", None, 1.0, []),
    ("Epoch 00005: ReduceLROnPlateau reducing learning rate to 0.0001.", None, 5.0, []),
    # -- MindSpore (common on ModelArts) --
    ("epoch: 1 step: 100, loss is 0.123", 100, 1.0, [("loss", "0.123")]),
    ("epoch: 2, step: 32, loss is 1.5", 32, 2.0, [("loss", "1.5")]),
    ("epoch: 1 step: 1875, loss is 2.3025851249694824", 1875, 1.0, [("loss", "2.3025851249694824")]),
    ("epoch time: 1234.567 ms, per step time: 12.345 ms", None, None, []),
    # -- PyTorch Lightning / tqdm --
    ("Epoch 3: 100%|██████████| 100/100 [00:05<00:00, 19.80it/s, loss=0.23, v_num=1, val_loss=0.3]", None, 3.0,
     [("loss", "0.23"), ("val_loss", "0.3")]),
    ("Epoch 0:  50%|█████     | 1/2 [00:00<00:00, 10.00it/s, v_num=0, train_loss=2.3]", None, 0.0,
     [("train_loss", "2.3")]),
    ("Epoch 0:  50%|█████     | 1/2 [00:00<00:00, 10.00it/s, loss=2.3]\r"
     "Epoch 0: 100%|██████████| 2/2 [00:00<00:00, 10.00it/s, loss=2.1]", None, 0.0, [("loss", "2.1")]),
    ("Epoch 1: 100%|██████████| 2/2 [00:00<00:00, 10.00it/s, loss=1.9]\r", None, 1.0, [("loss", "1.9")]),
    ("Epoch 0, global step 100: 'val_loss' reached 0.30000 (best 0.30000), saving model to '/ckpt/x.ckpt'",
     100, 0.0, []),
    # -- plain PyTorch scripts --
    ("Epoch [1/10], Step [100/600], Loss: 0.2345", 100, 1.0, [("Loss", "0.2345")]),
    ("Train Epoch: 1 [640/60000 (1%)]\tLoss: 2.301000", None, 1.0, [("Loss", "2.301000")]),
    ("Test set: Average loss: 0.0335, Accuracy: 9890/10000 (99%)", None, None, [("Average loss", "0.0335")]),
    ("Epoch: [0][  10/5005]\tTime  0.123 ( 0.456)\tData  0.010 ( 0.020)\tLoss 6.9077e+00 (6.9104e+00)\t"
     "Acc@1   0.00 (  0.10)", None, 0.0, [("Loss", "6.9077e+00")]),
    ("Test: [   0/48]  Time: 1.234 (1.234)  Loss:  0.7324 (0.7324)  Acc@1: 85.9375 (85.9375)  "
     "Acc@5: 96.8750 (96.8750)", None, None,
     [("Time", "1.234"), ("Loss", "0.7324"), ("Acc@1", "85.9375"), ("Acc@5", "96.8750")]),
    ("Train: 0 [ 100/1251 (  8%)]  Loss: 6.912 (6.93)  Time: 0.123s,  1034.45/s  LR: 1.000e-05  Data: 0.012",
     None, None, [("Loss", "6.912"), ("LR", "1.000e-05"), ("Data", "0.012")]),
    ("epoch 001 | loss 5.432 | ppl 43.2 | wps 12345 | lr 0.0005 | num_updates 100", None, 1.0,
     [("loss", "5.432")]),
    ("Epoch 1 | Train Loss: 0.512 | Val Loss: 0.498 | Val Acc: 91.2%", None, 1.0,
     [("Train Loss", "0.512"), ("Val Loss", "0.498"), ("Val Acc", "91.2")]),
    ("iter 30: loss 0.7 lr 0.01", 30, None, [("loss", "0.7")]),
    ("Iteration 40, lr = 0.001, loss = 0.25", 40, None, [("lr", "0.001"), ("loss", "0.25")]),
    ("Iter [30/100] loss=0.9", 30, None, [("loss", "0.9")]),
    ("global_step=1200 train/loss=0.3 eval.loss: 0.25", 1200, None, [("train/loss", "0.3"), ("eval.loss", "0.25")]),
    ("step: 120 train/global_step=99 train/epoch=2 loss=0.1", 120, 2.0, [("loss", "0.1")]),
    ("INFO loss: 0.5", None, None, [("loss", "0.5")]),
    ("INFO:root:epoch=3 loss=0.5", None, 3.0, [("loss", "0.5")]),
    ("INFO:__main__:step=10 loss=0.3", 10, None, [("loss", "0.3")]),
    ("[1,   100] loss: 2.303", None, None, [("loss", "2.303")]),
    ("Epoch 1/10: loss=0.5", None, 1.0, [("loss", "0.5")]),
    ("Epoch 1/10, Loss: 0.5, Accuracy: 85.3%", None, 1.0, [("Loss", "0.5"), ("Accuracy", "85.3")]),
    ("Epoch: 1 \tTraining Loss: 0.123456 \tValidation Loss: 0.234567", None, 1.0,
     [("Training Loss", "0.123456"), ("Validation Loss", "0.234567")]),
    ("step 100/1000 | loss 2.345 | lr 1.0e-04 | 12.3 ms/step", 100, None, [("loss", "2.345")]),
    ("Loss/train: 0.5 sys/rank=3 acc/val=0.5", None, None, [("Loss/train", "0.5"), ("acc/val", "0.5")]),
    ("loss: 0.5 and acc: 0.9", None, None, [("loss", "0.5")]),  # "and acc": a phrase
    ("[Epoch 1/200] [Batch 10/938] [D loss: 0.6932] [G loss: 0.6995]", None, 1.0,
     [("loss", "0.6932"), ("loss", "0.6995")]),
    ("(loss=0.5, acc=0.75)", None, None, [("loss", "0.5"), ("acc", "0.75")]),
    ("loss=0.5;acc=0.75", None, None, [("loss", "0.5"), ("acc", "0.75")]),
    ("PPL: 21.3 BLEU: 27.1 F1: 0.9 AUC: 0.97", None, None,
     [("PPL", "21.3"), ("BLEU", "27.1"), ("F1", "0.9"), ("AUC", "0.97")]),
    ("mAP: 0.41 mIoU=0.72 top1=76.1 recall@10: 0.8", None, None,
     [("mAP", "0.41"), ("mIoU", "0.72"), ("top1", "76.1"), ("recall@10", "0.8")]),
    # -- values --
    ("lr=1e-4 wd=1.000E-04 delta=-0.5 gain=+3 ratio=.5", None, None,
     [("lr", "1e-4"), ("wd", "1.000E-04"), ("delta", "-0.5"), ("gain", "+3"), ("ratio", ".5")]),
    ("loss=nan grad=inf low=-inf big=Infinity", None, None,
     [("loss", "nan"), ("grad", "inf"), ("low", "-inf"), ("big", "Infinity")]),
    ("acc=91.5% top5: 99%, done.", None, None, [("acc", "91.5"), ("top5", "99")]),
    ("loss=0.5.", None, None, [("loss", "0.5")]),
    ("loss: 0.5 (avg 0.6)", None, None, [("loss", "0.5")]),
    ("val_acc=0.7612 — best so far", None, None, [("val_acc", "0.7612")]),
    # a tqdm bar's description and percentage are no metric, step or epoch; its postfix is
    ("Epoch:  33%|███▎      | 1/3 [00:10<00:20, 10.0s/it, loss=0.5]", None, None, [("loss", "0.5")]),
    ("acc: 90.1% | lr: 0.01", None, None, [("acc", "90.1"), ("lr", "0.01")]),
    ("{'train_runtime': 1234.5678, 'train_samples_per_second': 81.0, 'epoch': 3.0}", None, 3.0,
     [("train_runtime", "1234.5678"), ("train_samples_per_second", "81.0")]),
]

# Lines that yield nothing at all: (step, epoch, metrics) == (None, None, []).
NOTHING = [
    # the simulator's header and ordinary lines
    f"{TS} INFO ============================================================",
    f"{TS} INFO ModelArts training job starting — 训练开始 🚀",
    "[ModelArts Service Log]user: uid=1000(ma-user) gid=100(ma-group) groups=100(ma-group)",
    "[ModelArts Service Log]app_url: s3://bucket-2660/code/",
    "[ModelArts Service Log]command: python train.py --epochs 100 --lr 0.001 --batch_size 32",
    "\tPYTHON_VERSION=3.9.11",
    "\tPYTORCH_VERSION=1.11.0+cu113",
    "\tCUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7",
    "\tRANK=0\tWORLD_SIZE=8\tLOCAL_RANK=0",
    "\tMASTER_ADDR=192.168.0.10\tMASTER_PORT=29500",
    "job-bbbb8d-worker-0:660:667 [0] NCCL INFO Bootstrap : Using eth0:192.168.0.10<0>",
    "job-bbbb8d-worker-0:660:667 [0] NCCL INFO NET/IB : Using [0]mlx5_0:1/RoCE ; OOB eth0:192.168.0.10<0>",
    "job-bbbb8d-worker-0:660:667 [0] NCCL INFO Channel 00/02 :    0   1   2   3   4   5   6   7",
    "job-bbbb8d-worker-0:660:667 [0] NCCL INFO comm 0x55dbbbb8d rank 0 nranks 8 cudaDev 0 busId 1000 - Init COMPLETE",
    f"{TS} WARNING torch.distributed: NCCL watchdog timeout approaching, collective took 54s",
    f"{TS} WARNING DataLoader worker 62 is slow; consider increasing num_workers",
    f"{TS} WARNING Gradient overflow detected, reducing loss scale to 10",
    f"{TS} WARNING 显存使用率偏高 (95%), 建议减小 batch_size",
    f"{TS} WARNING /usr/local/lib/python3.9/site-packages/torch/optim/lr_scheduler.py:131: UserWarning: "
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`.",
    f"{TS} INFO Loading dataset from /cache/data/imagenet ... 1,281,167 images, 1000 classes",
    f"{TS} INFO Model: ResNet-50, 25.6M parameters; optimizer SGD(momentum=0.9)",
    f"{TS} INFO Saving checkpoint to /cache/output/ckpt_epoch_38.pth",
    f"{TS} INFO [bold]checkpoint[/bold] saved :smile: [red]not markup[/red] (42)",
    f"{TS} INFO GPU 温度正常 🔥 64°C — 一切顺利 ✅",
    f"{TS} DEBUG unicode zoo: \u2028line-separator \x0cform-feed \u00a0nbsp \u200dzwj 👩\u200d💻 שלום [7]",
    f"{TS} INFO :rocket: emoji shortcode and [link=http://x]markup[/link] stay literal #3",
    f"{TS} INFO Training finished, best val_acc=0.7612 — 训练完成 ✅",
    f"{TS} INFO Uploading outputs to obs://bucket/output/ ... done",
    "[ModelArts Service Log]Training end with return code: 1",
    "[ModelArts Service Log]Training completed.",
    # a Python traceback
    "Traceback (most recent call last):",
    '  File "/home/ma-user/modelarts/user-job-dir/code/train.py", line 212, in <module>',
    "    loss = criterion(outputs, targets)",
    "    return forward_call(*input, **kwargs)",
    "ValueError: Expected input batch_size (32) to match target batch_size (31).",
    "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 31.75 GiB total capacity)",
    "KeyError: 'label' — 样本缺少标签",
    "ValueError: 3",
    "AssertionError: 1",
    # HTTP, pip, downloads, GPUs
    '10.0.0.1 - - [27/Nov/2026:07:32:38 +0000] "GET /v1/p/training-jobs/10/versions/10/aom-log?lines=500&base_line=0 '
    'HTTP/1.1" 200 5120 "-" "python-requests/2.28.1"',
    "HTTP/1.1 200 OK",
    "send: b'GET /status HTTP/1.1'  reply: 'HTTP/1.1 200 OK'",
    "Looking in indexes: http://repo.myhuaweicloud.com/repository/pypi/simple",
    "Collecting torch==1.11.0",
    "  Downloading torch-1.11.0-cp39-cp39-manylinux1_x86_64.whl (750.6 MB)",
    "     |████████████████████████████████| 750.6 MB 45.6 MB/s eta 0:00:01",
    "Requirement already satisfied: numpy>=1.17 in /usr/local/lib/python3.9/site-packages (from torch) (1.21.0)",
    "Successfully installed numpy-1.21.0 torch-1.11.0",
    "WARNING: Running pip as the 'root' user can result in broken permissions",
    "Downloading 123 files (45.6 MB)",
    "GPU 0: Tesla V100-SXM2-32GB (UUID: GPU-8f6a1b2c-3d4e-5f60-7182-93a4b5c6d7e8)",
    "| NVIDIA-SMI 470.57.02    Driver Version: 470.57.02    CUDA Version: 11.4     |",
    "|   0  Tesla V100-SXM2...  On   | 00000000:1A:00.0 Off |                    0 |",
    "| N/A   34C    P0    56W / 300W |   3000MiB / 32510MiB |      0%      Default |",
    "Listening on 0.0.0.0:8080, pid=1234",
    "user: uid=1000(ma-user) gid=100(ma-group)",
    "[ModelArts Service Log][init] download code_url: s3://bucket/code/",
    "[ModelArts Service Log]current task index: 0",
    "[ModelArts Service Log]modelarts-pipe: total length: 3",
    '{"ts": 1700000000, "level": "info", "msg": "request done", "status": 200, "latency_ms": 12.3}',
    '{"time": "2026-11-27T07:32:38Z", "step": 3, "loss": 0.5}',
    # counters, ids, versions, words
    "pid=1234 rank=0 local_rank=0 world_size=8 node_rank=1 port=29500 seed=42",
    "job_id=7 JOB_ID=7 taskId=3 id=5 v_num=1 version=2 torch_version=1.11 cuda_version: 11",
    "WARNING: 3 workers",
    "ERROR 1: boom",
    "INFO: 5",
    "Warning: 3",
    "ETA: 3",
    "Num Epochs = 3",
    "  Num examples = 5000",
    "  Instantaneous batch size per device = 8",
    "  Total optimization steps = 1875",
    "  Number of trainable parameters = 66955010",
    "Total params: 330",
    "Trainable params: 101,770",
    "Global seed set to 42",
    "GPU available: True (cuda), used: True",
    "TPU available: False, using: 0 TPU cores",
    "Namespace(batch_size=32, epochs=100, lr=0.001, seed=1)",
    "args: Namespace(lr=0.1, momentum=0.9)",
    "optimizer: Adam(lr=0.001, weight_decay=0.0001)",
    "(note) SGD(lr=0.1, momentum=0.9)",
    "epochs: 100 max_steps=1000 batch_size: 32",
    "Train: 3",
    # values that are not values
    "v=1.2.3 t=12:30:01 d=2026-11-27 x=0,1,2 cnt=0x1f",
    "time=0.5s speed=20ms/step rate=19.8it/s mem=3.2GB progress=100/100 temp=64°C",
    "elapsed: 1234.567 ms, memory: 3.2 GB, throughput: 80 samples/s",
    "Elapsed: 0:01:23",
    "saved to /runs/lr=0.1/ckpt, --lr=0.1 --momentum=0.9",
    "loss=0.5abc acc=0.9_1",
    "loss=   ",
    # clock times and parameter shapes
    "{'time': 1700000000.123, 'created_at': 1700000000}",
    "start_time: 1700000000.123, mtime=1699999999",
    "model.layers.0.self_attn.q_proj.weight: 4096",
    # tqdm bars of Hugging Face datasets and evaluation loops
    "Map: 100%|██████████| 1000/1000 [00:00<00:00, 5000.00 examples/s]",
    "Generating train split: 100%|██████████| 1/1 [00:00<00:00, 12.34it/s]",
    "Evaluating: 100%|██████████| 50/50 [00:02<00:00, 21.0it/s]",
    "Iteration: 100%|██████████| 10/10 [00:01<00:00,  9.90it/s]",
    "",
    "   ",
]


def names_texts(found):
    return [(name, text) for name, _, text in found]


@pytest.mark.parametrize("line, step, epoch, expected", FOUND, ids=[repr(c[0][:60]) for c in FOUND])
def test_found(line, step, epoch, expected):
    got_step, got_epoch, found = extract_line(line)
    assert (got_step, got_epoch, names_texts(found)) == (step, epoch, expected)
    for _, value, text in found:  # the value is the text as a number
        assert value == float(text) or (math.isnan(value) and math.isnan(float(text)))
        assert isinstance(value, float)


@pytest.mark.parametrize("line", NOTHING, ids=[repr(line[:60]) for line in NOTHING])
def test_nothing(line):
    assert extract_line(line) == (None, None, [])


def test_types_of_x_values():
    step, epoch, _ = extract_line("epoch 3 step 7 loss=1")
    assert type(step) is int and type(epoch) is float


def test_first_step_and_epoch_count():
    assert extract_line("epoch 1 step 5 loss=0.5 epoch=2 step=6")[:2] == (5, 1.0)


def test_a_step_is_an_integer():
    assert extract_line("step=1.5 loss=0.5") == (None, None, [("loss", 0.5, "0.5")])


def test_a_redraw_counts_by_what_a_terminal_shows():
    line = "loss=3\rloss=4\r\r"
    assert final_state(line) == "loss=4"
    assert extract_line(line)[2] == [("loss", 4.0, "4")]
    assert extract_line("loss=3\r\r") == (None, None, [("loss", 3.0, "3")])
    assert extract_line("\r\r") == (None, None, [])


# -- the page-level Extractor --------------------------------------------------------

BANNER = re.compile(r"[ \t]*Epoch[ \t]+[0-9]+/[0-9]+[ \t]*")


def reference(lines, carried=None):
    """What a page should yield, from extract_line and the banner rule; and the epoch carried after it."""
    samples = []
    for i, line in enumerate(lines):
        step, epoch, found = extract_line(line)
        if epoch is not None and not found and BANNER.fullmatch(final_state(line)):
            carried = epoch
        for name, value, text in found:
            samples.append((i, step, epoch if epoch is not None else carried, name, text))
    return samples, carried


def as_tuples(samples):
    return [(s.line, s.step, s.epoch, s.name, s.text) for s in samples]


def page_text(lines):
    return "".join(line + "\n" for line in lines)


def test_samples_are_frozen_dataclasses():
    sample = Extractor().page(["epoch 2 step 3 loss=0.5%"])[0]
    assert type(sample) is Sample and dataclasses.is_dataclass(sample)
    assert dataclasses.asdict(sample) == {"line": 0, "step": 3, "epoch": 2.0, "name": "loss", "value": 0.5, "text": "0.5"}
    assert sample == Sample(0, 3, 2.0, "loss", 0.5, "0.5")
    assert hash(sample) == hash(Sample(0, 3, 2.0, "loss", 0.5, "0.5"))
    assert repr(sample) == "Sample(line=0, step=3, epoch=2.0, name='loss', value=0.5, text='0.5')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.value = 1.0


def test_line_indices_and_order():
    lines = ["nothing here", "b=2 a=1", "", "{'z': 3, 'y': 4, 'epoch': 1.5}", "loss=5"]
    assert as_tuples(Extractor().page(lines)) == [
        (1, None, None, "b", "2"), (1, None, None, "a", "1"),
        (3, None, 1.5, "z", "3"), (3, None, 1.5, "y", "4"), (4, None, None, "loss", "5")]


def test_keras_epoch_is_carried_across_pages():
    extractor = Extractor()
    first = extractor.page(["Epoch 1/2", " 50/100 [==============>...............] - ETA: 1s - loss: 0.5"])
    second = extractor.page([
        "100/100 [==============================] - 2s 20ms/step - loss: 0.4 - val_loss: 0.3",
        "epoch=9 loss=0.2",  # a line's own epoch wins
        "  Epoch 2/2  ",
        "100/100 [==============================] - 2s 20ms/step - loss: 0.35",
    ])
    assert as_tuples(first) == [(1, None, 1.0, "loss", "0.5")]
    assert as_tuples(second) == [(0, None, 1.0, "loss", "0.4"), (0, None, 1.0, "val_loss", "0.3"),
                                 (1, None, 9.0, "loss", "0.2"), (3, None, 2.0, "loss", "0.35")]
    assert Extractor().page(["loss: 0.1"])[0].epoch is None  # each stream its own


def test_an_epoch_line_with_metrics_is_no_banner():
    lines = ["Epoch 3/10 loss: 0.5", "loss: 0.4", "Epoch 00004: val_loss improved from 0.5 to 0.4", "loss: 0.3"]
    assert [s.epoch for s in Extractor().page(lines)] == [3.0, None, None]


def test_redrawn_lines_count_once():
    lines = [
        "Epoch 0:  50%|█████     | 1/2 [00:00<00:00, 10.00it/s, loss=2.3, v_num=0]\r"
        "Epoch 0: 100%|██████████| 2/2 [00:00<00:00, 10.00it/s, loss=2.1, v_num=0]",
        "Epoch 1:  50%|█████     | 1/2 [00:00<00:00, 10.00it/s, loss=1.7]\r"
        "Epoch 1: 100%|██████████| 2/2 [00:00<00:00, 10.00it/s, loss=1.5]\r",
        "loss=9\r\r",
    ]
    assert as_tuples(Extractor().page(lines, page_text(lines))) == [
        (0, None, 0.0, "loss", "2.1"), (1, None, 1.0, "loss", "1.5"), (2, None, None, "loss", "9")]


def table_lines():
    return [case[0] for case in FOUND] + NOTHING


def test_a_page_equals_its_lines_one_by_one():
    lines = table_lines()
    random.Random(3).shuffle(lines)
    expected, carried = reference(lines)
    for text in (None, page_text(lines)):
        metrics._plans.clear()  # once parsing every line, once by the plans just made
        for _ in range(2):
            extractor = Extractor()
            assert as_tuples(extractor.page(lines, text)) == expected
            assert extractor.epoch == carried


FIND = metrics._find


def test_plans_hold_whatever_the_digits(monkeypatch):
    """A line is parsed once per skeleton (its digits made 0): what the rules find must not depend on the digits."""
    rng = random.Random(7)
    lines = table_lines()
    Extractor().page(lines)  # the plans of these skeletons
    parsed = []
    monkeypatch.setattr(metrics, "_find", lambda line: parsed.append(line) or FIND(line))
    variants = [re.sub(r"[0-9]", lambda _: str(rng.randrange(10)), line) for line in lines for _ in range(3)]
    got = as_tuples(Extractor().page(variants))
    assert len(parsed) < len(variants) // 10  # nearly all found by their skeleton (names with digits are not)
    assert got == reference(variants)[0]


def test_a_name_with_digits_is_parsed_every_time():
    assert as_tuples(Extractor().page(["AP50: 0.5", "AP51: 0.5", "AP75: 0.5"])) == [
        (0, None, None, "AP50", "0.5"), (2, None, None, "AP75", "0.5")]


def test_a_text_that_is_not_the_lines_spoils_no_plan():
    """A caller's mistake: the plan made of the line is kept under the line's own skeleton."""
    metrics._plans.clear()
    assert as_tuples(Extractor().page(["loss=1"], "zzz=5\n")) == [(0, None, None, "loss", "1")]
    assert Extractor().page(["zzz=5"]) == [Sample(0, None, None, "zzz", 5.0, "5")]
    assert as_tuples(Extractor().page(["a=1", "b=2"], "a=1\n")) == [(0, None, None, "a", "1"),
                                                                     (1, None, None, "b", "2")]


def test_text_or_lines_alone():
    lines = ["epoch 1 loss=0.5", "x", "acc=0.25"]
    extractor = Extractor()
    assert as_tuples(extractor.page(lines)) == as_tuples(extractor.page(lines, page_text(lines)))
    assert Extractor().page([]) == []
    assert as_tuples(Extractor().page(["loss=1", "a\nb=2"])) == [(0, None, None, "loss", "1")]


# -- the simulator's log -------------------------------------------------------------

TRAIN = re.compile(r".* INFO \[train\] epoch (\d+) step (\d+)/\d+ loss=(\S+) acc=(\S+) lr=(\S+) \(")
EVAL = re.compile(r".* INFO \[eval\] epoch (\d+) val_loss=(\S+) val_acc=(\S+)$")
TABS = re.compile(r".* INFO metrics:\tloss_scale=(\d+)\tgrad_norm=nan\t")


def test_the_simulators_log():
    from aomlog.simulator import Job, Simulator

    lines = Simulator([Job(10, 10, total_lines=5000, seed=7)]).log_lines(10, 10)
    assert len(lines) == 5000
    extractor = Extractor()
    by_line = {}
    for start in range(0, len(lines), 500):
        page = lines[start:start + 500]
        for sample in extractor.page(page, page_text(page)):
            by_line.setdefault(start + sample.line, []).append(
                (sample.step, sample.epoch, sample.name, sample.value, sample.text))
    counts = {"train": 0, "eval": 0, "tabs": 0}
    for i, line in enumerate(lines):
        found = by_line.pop(i, [])
        train, evaluation, tabs = TRAIN.match(line), EVAL.match(line), TABS.match(line)
        if train:
            epoch, step, loss, acc, lr = train.groups()
            assert found == [(int(step), float(epoch), name, float(text), text)
                             for name, text in (("loss", loss), ("acc", acc), ("lr", lr))], line
            counts["train"] += 1
        elif evaluation:
            epoch, loss, acc = evaluation.groups()
            assert found == [(None, float(epoch), "val_loss", float(loss), loss),
                             (None, float(epoch), "val_acc", float(acc), acc)], line
            counts["eval"] += 1
        elif tabs:
            assert [f[2:3] + f[4:] for f in found] == [("loss_scale", tabs[1]), ("grad_norm", "nan")], line
            counts["tabs"] += 1
        else:  # the header, footer and every ordinary line
            assert found == [], line
    assert counts["train"] > 3000 and counts["eval"] > 50 and counts["tabs"] > 10
    assert not by_line
