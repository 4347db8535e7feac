"""PyTorch reference timing for tools/bench/probe-ntk.ts (optional tooling, not a dependency).

The batched exact probe and the closed-form empirical NTK of the same 2-layer
ReLU net f(x) = a . relu(W x + b) + c (squared loss) on the same examples as
the project's benchmark, in float32 on the CPU, with torch.set_num_threads(2):

    probe:  h = X W^T + b, s = relu(h), m = 1[h > 0], e_i = eta 2 (f_i - y_i),
            G~ = X X^T + 1, Q = L M^T with L_ik = m_ik a_k (a_k - e_i s_ik),
            dz = -e_i (G~ Q + S S^T + 1), plus the exact terms of the units
            a step switches on or off (|h_jk| <= max_i |e_i G~_ij| |a_k|)
    NTK:    K = S S^T + 1 + G~ (B B^T),  B = m a

Reads DIR/meta.json ({"n", "d", "width", "eta"}) and little-endian float32
files DIR/{x,y,W,b,a,c}.bin (x: n x d, W: width x d, row-major) that the
benchmark writes; writes DIR/pytorch-probe.bin and DIR/pytorch-ntk.bin
(float32, n x n) for the benchmark to compare; prints one JSON line with the
seconds of each (the first call, as a fresh process pays it, and the best of
the repeats after it), the PyTorch version, the threads and the BLAS.

    python3 tools/bench/pytorch/probe_ntk.py DIR [--threads 2] [--repeats 3]

Debian: apt-get install -y python3-torch libopenblas0-pthread (without an
optimised BLAS, Debian's PyTorch multiplies with the reference BLAS).
"""
import argparse
import json
import os
import time

import numpy as np
import torch


def load(directory, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(directory, name + '.bin'), dtype='<f4').reshape(shape))


def features(X, W, b):
    h = torch.addmm(b, X, W.t())
    return h, torch.relu(h), (h > 0).to(torch.float32)


def probe(X, y, W, b, a, c, eta):
    h, S, M = features(X, W, b)
    f = S @ a + c
    e = eta * 2 * (f - y)
    G = torch.addmm(torch.ones(1), X, X.t())
    L = M * a * (a - e[:, None] * S)
    dz = -e[:, None] * (G * (L @ M.t()) + S @ S.t() + 1)
    # units whose state a step can change: the exact term replaces the assumed one
    reach = (e[:, None] * G).abs().amax(0)
    j, k = (h.abs() <= reach[:, None] * a.abs()[None, :]).nonzero(as_tuple=True)
    if j.numel() > 0:
        hj, ak = h[j, k], a[k]
        s, moved = S[:, k], M[:, k]
        dh = -(e[:, None] * G[:, j]) * ak * moved
        hp = hj + dh
        on = hj > 0
        flipped = (on != (hp > 0)) & (moved > 0)
        exact_minus_assumed = torch.where(on, -ak * hj - (ak * dh - e[:, None] * s * hp), (ak - e[:, None] * s) * hp)
        dz.index_add_(1, j, torch.where(flipped, exact_minus_assumed, torch.zeros(1)))
    return dz


def ntk(X, W, b, a):
    _, S, M = features(X, W, b)
    B = M * a
    return S @ S.t() + 1 + torch.addmm(torch.ones(1), X, X.t()) * (B @ B.t())


def timed(fn, repeats):
    started = time.perf_counter()
    out = fn()
    first = time.perf_counter() - started
    best = first
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return out, first, best


def blas_name():
    try:
        return os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')
    except OSError:
        return 'unknown'


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('dir')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.dir, 'meta.json')) as fh:
        meta = json.load(fh)
    n, d, width, eta = meta['n'], meta['d'], meta['width'], meta['eta']
    X, y = load(args.dir, 'x', (n, d)), load(args.dir, 'y', (n,))
    W, b, a, c = load(args.dir, 'W', (width, d)), load(args.dir, 'b', (width,)), load(args.dir, 'a', (width,)), load(args.dir, 'c', (1,))
    with torch.no_grad():
        dz, probe_first, probe_best = timed(lambda: probe(X, y, W, b, a, c, eta), args.repeats)
        K, ntk_first, ntk_best = timed(lambda: ntk(X, W, b, a), args.repeats)
    dz.numpy().astype('<f4').tofile(os.path.join(args.dir, 'pytorch-probe.bin'))
    K.numpy().astype('<f4').tofile(os.path.join(args.dir, 'pytorch-ntk.bin'))
    print(json.dumps({
        'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas_name(),
        'probe_seconds': probe_first, 'probe_seconds_best': probe_best,
        'ntk_seconds': ntk_first, 'ntk_seconds_best': ntk_best,
    }))


if __name__ == '__main__':
    main()
