"""Measure decode and prefill throughput of Llama-shaped transformers with random weights.

Writes rows in the format of ``models/calibration/h100-llama-shaped-throughput.csv``::

    model_shape,params_billion,phase,batch,context_tokens,layers_measured,step_ms,tokens_per_s,
    weight_read_gb_per_s,tflops,source,note

What is timed (ours):

* **decode**: one step of ``batch`` sequences, each attending over a full KV cache of
  ``context_tokens`` (grouped-query attention: the query heads sharing a KV head attend together,
  so the cache is read once; SDPA), then a SwiGLU MLP, per layer; then the final norm and the LM
  head. ``tokens_per_s = batch / step``; ``weight_read_gb_per_s = 2 P / step`` (bf16 weights read
  once per step).
* **prefill**: a forward pass over ``batch x context_tokens`` tokens (causal attention), LM head
  on the last token of each sequence. ``tokens_per_s = batch * context / step``;
  ``tflops = 2 P * tokens / step`` (matmul FLOPs, attention not counted).
* A large shape may be measured on ``layers`` of its layers: the layer-stack time is scaled by
  ``n_layers / layers`` and the LM head (measured whole) added -- one GPU-equivalent of the full
  model. Rotary embeddings are omitted (elementwise, negligible next to the matmuls).
* On CUDA: warm-up, then the median of ``repeats`` timings with CUDA events; decode steps are
  captured in a CUDA graph (``graphs=True``) to remove launch overhead. On the CPU: perf_counter.

PyTorch is the optional extra ``gpu`` (``pip install otr-theory[gpu]``); this module imports it
only when measuring. The command line is ``otr-analyze measure-gpu`` (:mod:`otr_theory.cli.measure_gpu`)::

    otr-analyze measure-gpu --shapes llama-8b,llama-70b --layers-70b 16 \\
        --out models/calibration/h100-llama-shaped-throughput.csv
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import statistics
import subprocess
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["COLUMNS", "SHAPES", "DECODE_GRID", "PREFILL_GRID", "LlamaShape", "Measurement", "describe_device", "measure", "measure_grid", "to_rows", "write_rows"]

COLUMNS = (
    "model_shape",
    "params_billion",
    "phase",
    "batch",
    "context_tokens",
    "layers_measured",
    "step_ms",
    "tokens_per_s",
    "weight_read_gb_per_s",
    "tflops",
    "source",
    "note",
)
"""Columns of the measured-throughput CSV."""


@dataclasses.dataclass(frozen=True)
class LlamaShape:
    """Dimensions of a Llama-style decoder (GQA attention, SwiGLU MLP, untied LM head)."""

    name: str
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    ffn: int
    vocab: int

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads

    @property
    def params_per_layer(self) -> int:
        h, d = self.hidden, self.head_dim
        attn = h * self.heads * d + 2 * h * self.kv_heads * d + self.heads * d * h
        return attn + 3 * h * self.ffn + 2 * h

    @property
    def params(self) -> int:
        """Parameters: layers, embedding, final norm and LM head.

        >>> SHAPES["llama-8b"].params / 1e9 > 8.0, round(SHAPES["llama-70b"].params / 1e9, 1)
        (True, 70.6)
        """
        return self.layers * self.params_per_layer + 2 * self.vocab * self.hidden + self.hidden


SHAPES = {
    "llama-8b": LlamaShape("llama-8b", 4096, 32, 32, 8, 14336, 128256),
    "llama-70b": LlamaShape("llama-70b", 8192, 80, 64, 8, 28672, 128256),
    "toy": LlamaShape("toy", 64, 4, 4, 2, 128, 256),
}
"""Llama-3 8B and 70B shapes (model cards), and a toy shape for tests on the CPU."""

DECODE_GRID = ((256, (1, 16, 64, 256)), (1024, (1, 8, 32, 64, 128)), (4096, (1, 16, 64)))
"""(context, batches) of the decode grid, as in the shipped CSV."""

PREFILL_GRID = ((512, (1, 8)), (2048, (1, 8)))
"""(context, batches) of the prefill grid."""


@dataclasses.dataclass(frozen=True)
class Measurement:
    """One timed configuration (the step time already scaled to the whole model)."""

    shape: str
    params: int
    phase: str
    batch: int
    context_tokens: int
    layers_measured: int
    step_ms: float
    layers_ms: float
    head_ms: float
    repeats: int

    @property
    def tokens_per_s(self) -> float:
        n = self.batch if self.phase == "decode" else self.batch * self.context_tokens
        return n / (self.step_ms / 1000.0)

    @property
    def weight_read_gb_per_s(self) -> float | None:
        return 2.0 * self.params / (self.step_ms / 1000.0) / 1e9 if self.phase == "decode" else None

    @property
    def tflops(self) -> float | None:
        return 2.0 * self.params * self.tokens_per_s / 1e12 if self.phase == "prefill" else None


def _torch():
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError("measure_gpu needs PyTorch: pip install 'otr-theory[gpu]'") from exc
    return torch


class _Stack:
    """Random weights of ``n`` layers plus the final norm and LM head, and their forward passes."""

    def __init__(self, shape: LlamaShape, n: int, device: str, dtype, seed: int = 0):
        torch = _torch()
        g = torch.Generator(device="cpu").manual_seed(seed)
        h, d, s = shape.hidden, shape.head_dim, shape.hidden**-0.5

        def w(*dims):
            return (torch.randn(*dims, generator=g) * s).to(device=device, dtype=dtype)

        self.shape, self.torch = shape, torch
        self.layers = [
            {
                "norm1": torch.ones(h, device=device, dtype=dtype),
                "wq": w(h, shape.heads * d),
                "wk": w(h, shape.kv_heads * d),
                "wv": w(h, shape.kv_heads * d),
                "wo": w(shape.heads * d, h),
                "norm2": torch.ones(h, device=device, dtype=dtype),
                "w1": w(h, shape.ffn),
                "w3": w(h, shape.ffn),
                "w2": w(shape.ffn, h),
            }
            for _ in range(n)
        ]
        self.final_norm = torch.ones(h, device=device, dtype=dtype)
        self.head = w(h, shape.vocab)
        self.gen, self.device, self.dtype = g, device, dtype

    def numel(self) -> int:
        return sum(t.numel() for layer in self.layers for t in layer.values()) + self.final_norm.numel() + self.head.numel()

    def _rms(self, x, weight):
        x32 = x.float()
        return (x32 * self.torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + 1e-5)).to(x.dtype) * weight

    def _attn(self, q, k, v, causal):
        """Grouped-query attention without copying the KV cache per query head."""
        F = self.torch.nn.functional
        rep = self.shape.heads // self.shape.kv_heads
        if rep == 1:
            return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        B, H, T, d = q.shape
        if not causal:  # decode: the query heads of one KV head attend together, the cache is read once
            qg = q.reshape(B, self.shape.kv_heads, rep * T, d)
            return F.scaled_dot_product_attention(qg, k, v).reshape(B, H, T, d)
        try:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        except TypeError:  # PyTorch < 2.5
            return F.scaled_dot_product_attention(q, k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1), is_causal=True)

    def layer(self, L, x, cache=None):
        """One layer on x [B, T, H]; with ``cache`` (k, v [B, kv, ctx, d]) a decode step."""
        F = self.torch.nn.functional
        sh = self.shape
        B, T, _ = x.shape
        d = sh.head_dim
        y = self._rms(x, L["norm1"])
        q = (y @ L["wq"]).view(B, T, sh.heads, d).transpose(1, 2)
        k = (y @ L["wk"]).view(B, T, sh.kv_heads, d).transpose(1, 2)
        v = (y @ L["wv"]).view(B, T, sh.kv_heads, d).transpose(1, 2)
        if cache is not None:
            ck, cv = cache
            ck[:, :, -1:, :].copy_(k)  # the new token's key/value take the last slot
            cv[:, :, -1:, :].copy_(v)
            a = self._attn(q, ck, cv, causal=False)
        else:
            a = self._attn(q, k, v, causal=True)
        x = x + a.transpose(1, 2).reshape(B, T, sh.heads * d) @ L["wo"]
        y = self._rms(x, L["norm2"])
        return x + (F.silu(y @ L["w1"]) * (y @ L["w3"])) @ L["w2"]

    def head_forward(self, x):
        return self._rms(x[:, -1:, :], self.final_norm) @ self.head

    def caches(self, batch: int, context: int):
        sh = self.shape
        mk = lambda: (self.torch.randn(batch, sh.kv_heads, context, sh.head_dim, generator=self.gen) * 0.1).to(self.device, self.dtype)  # noqa: E731
        return [(mk(), mk()) for _ in self.layers]


def _timer(fn, device: str, repeats: int, warmup: int) -> float:
    """Median wall time of fn() in ms."""
    torch = _torch()
    for _ in range(warmup):
        fn()
    times = []
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        for _ in range(repeats):
            a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            a.record()
            fn()
            b.record()
            b.synchronize()
            times.append(a.elapsed_time(b))
    else:
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def _graphed(fn, device: str):
    """fn captured in a CUDA graph (returns a replay function); on the CPU fn itself."""
    if not device.startswith("cuda"):
        return fn
    torch = _torch()
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    return graph.replay


def measure(
    shape: LlamaShape | str,
    *,
    phase: str,
    batch: int,
    context_tokens: int,
    layers: int | None = None,
    device: str = "cuda",
    dtype: str = "bfloat16",
    repeats: int = 20,
    warmup: int = 3,
    graphs: bool = True,
    stack: Any = None,
    seed: int = 0,
) -> Measurement:
    """Time one configuration; the layer stack is scaled to the whole model.

    Parameters
    ----------
    shape : LlamaShape or str
        A shape or a key of :data:`SHAPES`.
    phase : {"decode", "prefill"}
    batch, context_tokens : int
    layers : int, optional
        Layers to instantiate and time (default: all of them).
    device, dtype : str
        Torch device and dtype name (``bfloat16``, ``float16``, ``float32``).
    repeats, warmup : int
    graphs : bool
        Capture decode steps in a CUDA graph (CUDA only).
    stack : optional
        Reuse the weights of an earlier call (from :func:`measure_grid`).

    Raises
    ------
    ValueError
        On an unknown shape or phase, or a non-positive size.
    """
    torch = _torch()
    sh = SHAPES[shape] if isinstance(shape, str) and shape in SHAPES else shape
    if not isinstance(sh, LlamaShape):
        raise ValueError(f"shape: must be one of {', '.join(SHAPES)} or a LlamaShape (got {shape!r})")
    if phase not in ("decode", "prefill"):
        raise ValueError(f"phase: must be 'decode' or 'prefill' (got {phase!r})")
    n = sh.layers if layers is None else layers
    for name, v in (("batch", batch), ("context_tokens", context_tokens), ("layers", n), ("repeats", repeats)):
        if not (isinstance(v, int) and v >= 1):
            raise ValueError(f"{name}: must be an integer >= 1 (got {v!r})")
    if n > sh.layers:
        raise ValueError(f"layers: must be <= {sh.layers} for {sh.name} (got {n})")
    st = stack if stack is not None else _Stack(sh, n, device, getattr(torch, dtype), seed)
    with torch.inference_mode():
        if phase == "decode":
            caches = st.caches(batch, context_tokens)
            x = torch.randn(batch, 1, sh.hidden, generator=st.gen).to(device, st.dtype)

            def run_layers():
                y = x
                for L, c in zip(st.layers, caches):
                    y = st.layer(L, y, c)
                return y

            step = _graphed(run_layers, device) if graphs else run_layers
            layers_ms = _timer(step, device, repeats, warmup)
            head_in = x
            del caches
        else:
            x = torch.randn(batch, context_tokens, sh.hidden, generator=st.gen).to(device, st.dtype)

            def run_layers():
                y = x
                for L in st.layers:
                    y = st.layer(L, y)
                return y

            layers_ms = _timer(run_layers, device, repeats, warmup)
            head_in = x
        head_ms = _timer(lambda: st.head_forward(head_in), device, repeats, warmup)
    step_ms = layers_ms * sh.layers / n + head_ms
    return Measurement(sh.name, sh.params, phase, batch, context_tokens, n, step_ms, layers_ms, head_ms, repeats)


def measure_grid(
    shape: LlamaShape | str,
    *,
    decode: Sequence[tuple[int, Sequence[int]]] = DECODE_GRID,
    prefill: Sequence[tuple[int, Sequence[int]]] = PREFILL_GRID,
    layers: int | None = None,
    device: str = "cuda",
    dtype: str = "bfloat16",
    repeats: int = 20,
    warmup: int = 3,
    graphs: bool = True,
    on_error=None,
) -> list[Measurement]:
    """Measure a decode and prefill grid on one set of weights.

    ``on_error(config, exc)`` is called for a configuration that fails (e.g. out of memory) and the
    grid goes on; without it the error propagates.
    """
    torch = _torch()
    sh = SHAPES[shape] if isinstance(shape, str) and shape in SHAPES else shape
    if not isinstance(sh, LlamaShape):
        raise ValueError(f"shape: must be one of {', '.join(SHAPES)} or a LlamaShape (got {shape!r})")
    st = _Stack(sh, sh.layers if layers is None else layers, device, getattr(torch, dtype))
    out = []
    configs = [("decode", b, ctx) for ctx, bs in decode for b in bs] + [("prefill", b, ctx) for ctx, bs in prefill for b in bs]
    for phase, b, ctx in configs:
        try:
            out.append(measure(sh, phase=phase, batch=b, context_tokens=ctx, layers=len(st.layers), device=device, dtype=dtype, repeats=repeats, warmup=warmup, graphs=graphs, stack=st))
        except (RuntimeError, MemoryError) as exc:
            if on_error is None:
                raise
            on_error((sh.name, phase, b, ctx), exc)
        finally:
            if device.startswith("cuda"):
                torch.cuda.empty_cache()
    return out


def describe_device(device: str, dtype: str, repeats: int, graphs: bool, date: str | None = None) -> str:
    """The ``source`` text of the rows: hardware, driver, PyTorch, dtype, method, date."""
    torch = _torch()
    date = date or _dt.date.today().isoformat()
    if device.startswith("cuda"):
        name = torch.cuda.get_device_name(device)
        try:
            driver = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"], capture_output=True, text=True, timeout=10).stdout.split("\n")[0].strip()
        except (OSError, subprocess.SubprocessError):
            driver = "unknown"
        where = f"one {name}, driver {driver}"
    else:
        where = f"the CPU ({torch.get_num_threads()} threads)"
    short = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}.get(dtype, dtype)
    method = "decode steps in CUDA graphs" if graphs and device.startswith("cuda") else "eager decode steps"
    return f"measured for this project on {where}, PyTorch {torch.__version__}, {short}, random weights, {method}, median of {repeats}; {date}"


def to_rows(measurements: Sequence[Measurement], source: str) -> list[dict[str, Any]]:
    """CSV rows (dicts keyed by :data:`COLUMNS`) for measurements."""
    rows = []
    for m in measurements:
        sh = SHAPES.get(m.shape)
        notes = []
        if sh is not None and m.layers_measured < sh.layers:
            notes.append(
                f"{m.shape.split('-')[-1].upper()} shape measured on {m.layers_measured} of {sh.layers} layers, scaled x{sh.layers / m.layers_measured:g} plus the LM head measured whole; one GPU-equivalent"
            )
        if m.phase == "decode":
            notes.append("decode step attends over a full KV cache of context_tokens")
        wr, tf = m.weight_read_gb_per_s, m.tflops
        rows.append(
            {
                "model_shape": m.shape,
                "params_billion": round(m.params / 1e9, 2) if m.params >= 1e7 else m.params / 1e9,
                "phase": m.phase,
                "batch": m.batch,
                "context_tokens": m.context_tokens,
                "layers_measured": m.layers_measured,
                "step_ms": round(m.step_ms, 4),
                "tokens_per_s": round(m.tokens_per_s, 1),
                "weight_read_gb_per_s": "" if wr is None else round(wr, 1),
                "tflops": "" if tf is None else round(tf, 1),
                "source": source,
                "note": "; ".join(notes),
            }
        )
    return rows


def write_rows(rows: Sequence[dict[str, Any]], out) -> None:
    """Write rows as CSV to a text stream (header included)."""
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
