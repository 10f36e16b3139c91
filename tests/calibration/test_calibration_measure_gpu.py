"""The GPU measurement script at toy size on the CPU (skipped without PyTorch)."""

from __future__ import annotations

import pytest

from otr_theory.calibration import measure_gpu as G

torch = pytest.importorskip("torch")


def test_shapes_match_the_model_cards():
    # Llama-3 8B: 8.03e9 parameters; 70B: 70.55e9 (model cards; models/otr.toml uses 70.55)
    assert G.SHAPES["llama-8b"].params / 1e9 == pytest.approx(8.03, abs=0.01)
    assert G.SHAPES["llama-70b"].params / 1e9 == pytest.approx(70.55, abs=0.01)


def test_stack_holds_the_counted_parameters():
    """Independent count: the random tensors' sizes add up to LlamaShape.params (minus the embedding)."""
    sh = G.SHAPES["toy"]
    st = G._Stack(sh, sh.layers, "cpu", torch.float32)
    embedding = sh.vocab * sh.hidden  # counted in params, never read in a step
    assert st.numel() == sh.params - embedding


@pytest.mark.parametrize("phase", ["decode", "prefill"])
def test_toy_measurement_and_scaling(phase):
    m = G.measure("toy", phase=phase, batch=2, context_tokens=8, layers=2, device="cpu", dtype="float32", repeats=2, warmup=1)
    sh = G.SHAPES["toy"]
    assert m.layers_measured == 2
    assert m.step_ms == pytest.approx(m.layers_ms * sh.layers / 2 + m.head_ms)
    n = 2 if phase == "decode" else 16
    assert m.tokens_per_s == pytest.approx(n / (m.step_ms / 1000))
    assert (m.weight_read_gb_per_s is None) == (phase == "prefill")
    assert (m.tflops is None) == (phase == "decode")


def test_decode_step_matches_a_reference_forward():
    """The cached decode path equals a plain causal forward over the same keys and values."""
    sh = G.SHAPES["toy"]
    st = G._Stack(sh, 1, "cpu", torch.float64)
    L = st.layers[0]
    x = torch.randn(1, 5, sh.hidden, generator=st.gen, dtype=torch.float64)
    full = st.layer(L, x)  # causal prefill over 5 tokens
    # build the cache of the first 4 tokens' keys/values, leave the last slot for the new token
    d = sh.head_dim
    y = st._rms(x, L["norm1"])
    k = (y @ L["wk"]).view(1, 5, sh.kv_heads, d).transpose(1, 2).clone()
    v = (y @ L["wv"]).view(1, 5, sh.kv_heads, d).transpose(1, 2).clone()
    k[:, :, -1] = 0
    v[:, :, -1] = 0
    step = st.layer(L, x[:, -1:, :], (k, v))
    torch.testing.assert_close(step[:, 0], full[:, -1])


def test_invalid_arguments():
    with pytest.raises(ValueError, match="phase"):
        G.measure("toy", phase="train", batch=1, context_tokens=4, device="cpu", dtype="float32")
    with pytest.raises(ValueError, match="batch"):
        G.measure("toy", phase="decode", batch=0, context_tokens=4, device="cpu", dtype="float32")
    with pytest.raises(ValueError, match="layers"):
        G.measure("toy", phase="decode", batch=1, context_tokens=4, layers=99, device="cpu", dtype="float32")
    with pytest.raises(ValueError, match="shape"):
        G.measure("llama-9000b", phase="decode", batch=1, context_tokens=4, device="cpu")
