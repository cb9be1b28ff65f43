#!/usr/bin/env python3
"""Reference trajectories for the Optim module (Adam, AdamW, SGD with momentum, global-norm
clipping, warm-up cosine schedule), written independently of the Swift code from optax's
definitions, in NumPy float64:

  optax.scale_by_adam (eps_root = 0, no Nesterov), optax.add_decayed_weights,
  optax.scale_by_learning_rate, optax.trace (momentum, optional Nesterov),
  optax.clip_by_global_norm, optax.warmup_cosine_decay_schedule (exponent 1),
  optax.apply_updates (p + u).

Each formula is transcribed in optax's own arithmetic form (e.g. the schedule as
peak * ((1 - alpha) * c + alpha) with alpha = end / peak, the clipped gradient as g / norm * max),
which is not always the form the Swift code evaluates: the two agree up to rounding, and the
Swift tests compare them with a forward-error bound.

Gradients are seeded random draws (not gradients of a loss: an optimiser only sees numbers),
with per-step magnitudes from 1e-4 to 1e2 and some exact zeros. Every float is stored as its
repr (shortest string that round-trips), so the Swift test reads exactly these doubles.

Usage: python3 Fixtures/optim/make_reference.py > Fixtures/optim/reference.json
(needs only numpy; seeded, so the output is reproducible).
"""
import json
import math

import numpy as np


def s(x):
    """A float as the shortest string that round-trips."""
    return repr(float(x))


def vec(a):
    return [s(x) for x in np.asarray(a, dtype=np.float64).ravel()]


# --- optax, transcribed -------------------------------------------------------------------

def adam_update(g, mu, nu, count, b1, b2, eps, wd, lr, params):
    """optax.chain(scale_by_adam(b1, b2, eps), add_decayed_weights(wd), scale_by_learning_rate(lr))."""
    mu = (1 - b1) * g + b1 * mu                      # update_moment(order 1)
    nu = (1 - b2) * (g ** 2) + b2 * nu               # update_moment_per_elem_norm(order 2)
    count_inc = count + 1
    mu_hat = mu / (1 - b1 ** count_inc)              # bias_correction
    nu_hat = nu / (1 - b2 ** count_inc)
    updates = mu_hat / (np.sqrt(nu_hat + 0.0) + eps)  # eps_root = 0
    if wd != 0:
        updates = updates + wd * params              # add_decayed_weights
    updates = -lr * updates                          # scale_by_learning_rate
    return params + updates, mu, nu, count_inc       # apply_updates


def sgd_update(g, trace, momentum, nesterov, wd, lr, params):
    """optax.chain(add_decayed_weights(wd), trace(momentum, nesterov), scale_by_learning_rate(lr))."""
    if wd != 0:
        g = g + wd * params
    if momentum == 0:
        updates = g
    else:
        trace = g + momentum * trace
        updates = g + momentum * trace if nesterov else trace
    return params + (-lr * updates), trace


def global_norm(buffers):
    return math.sqrt(sum(float(np.sum(b ** 2)) for b in buffers))


def clip_by_global_norm(buffers, max_norm):
    norm = global_norm(buffers)
    if norm < max_norm:
        return [b.copy() for b in buffers], norm
    return [(b / norm) * max_norm for b in buffers], norm


def warmup_cosine_decay(init, peak, warmup, decay, end):
    alpha = 0.0 if peak == 0.0 else end / peak

    def schedule(count):
        if count < warmup:  # linear_schedule = polynomial_schedule(power 1)
            frac = 1 - count / warmup
            return (init - peak) * frac + peak
        t = min(count - warmup, decay - warmup)  # cosine_decay_schedule, joined at warmup
        cosine = 0.5 * (1 + math.cos(math.pi * t / (decay - warmup)))
        return peak * ((1 - alpha) * cosine + alpha)
    return schedule


# --- cases --------------------------------------------------------------------------------

rng = np.random.default_rng(20240531)
N_PARAMS, STEPS = 6, 24


def gradients(steps, n):
    """Random gradients with a magnitude per step; entry 0 is zero on every third step."""
    out = []
    for t in range(steps):
        g = rng.standard_normal(n) * 10.0 ** rng.uniform(-4, 2)
        if t % 3 == 0:
            g[0] = 0.0
        out.append(g)
    return out


def schedule_function(spec):
    if spec["kind"] == "constant":
        return lambda count: float(spec["value"])
    return warmup_cosine_decay(float(spec["initialValue"]), float(spec["peakValue"]), spec["warmupSteps"],
                               spec["decaySteps"], float(spec["endValue"]))


def schedule_values(spec, steps):
    f = schedule_function(spec)
    return [f(t) for t in range(steps)]


def adam_case(name, b1, b2, eps, wd, schedule, clip=None):
    params = rng.standard_normal(N_PARAMS)
    mu = np.zeros(N_PARAMS)
    nu = np.zeros(N_PARAMS)
    count = 0
    lrs = schedule_values(schedule, STEPS)
    initial = {"parameters": vec(params), "firstMoment": vec(mu), "secondMoment": vec(nu), "stepCount": count}
    steps = []
    for t, raw in enumerate(gradients(STEPS, N_PARAMS)):
        entry = {}
        g = raw
        if clip is not None:
            (g,), norm = clip_by_global_norm([raw], clip)
            entry.update(rawGradient=vec(raw), norm=s(norm))
        entry.update(gradient=vec(g), learningRate=s(lrs[t]))
        params, mu, nu, count = adam_update(g, mu, nu, count, b1, b2, eps, wd, lrs[t], params)
        entry["after"] = {"parameters": vec(params), "firstMoment": vec(mu), "secondMoment": vec(nu), "stepCount": count}
        steps.append(entry)
    return {"name": name, "optimizer": "adam", "beta1": s(b1), "beta2": s(b2), "epsilon": s(eps),
            "weightDecay": s(wd), "schedule": schedule, "clipNorm": None if clip is None else s(clip),
            "initial": initial, "steps": steps}


def sgd_case(name, momentum, nesterov, wd, schedule):
    params = rng.standard_normal(N_PARAMS)
    trace = np.zeros(N_PARAMS)
    lrs = schedule_values(schedule, STEPS)
    initial = {"parameters": vec(params), "firstMoment": vec(trace) if momentum else [], "secondMoment": [], "stepCount": 0}
    steps = []
    for t, g in enumerate(gradients(STEPS, N_PARAMS)):
        entry = {"gradient": vec(g), "learningRate": s(lrs[t])}
        params, trace = sgd_update(g, trace, momentum, nesterov, wd, lrs[t], params)
        entry["after"] = {"parameters": vec(params), "firstMoment": vec(trace) if momentum else [], "secondMoment": [],
                          "stepCount": t + 1}
        steps.append(entry)
    return {"name": name, "optimizer": "sgd", "momentum": s(momentum), "nesterov": nesterov,
            "weightDecay": s(wd), "schedule": schedule, "initial": initial, "steps": steps}


def schedule_spec(init, peak, warmup, decay, end):
    return {"kind": "warmupCosineDecay", "initialValue": s(init), "peakValue": s(peak),
            "warmupSteps": warmup, "decaySteps": decay, "endValue": s(end)}


def constant(value):
    return {"kind": "constant", "value": s(value)}


cases = [
    adam_case("adam-defaults", 0.9, 0.999, 1e-8, 0.0, constant(0.05)),
    # The paper's setting: clip_by_global_norm, then AdamW(lr 1e-3, b1 0.9, b2 0.98, no decay).
    adam_case("adamw-von-oswald-clipped", 0.9, 0.98, 1e-8, 0.0, constant(1e-3), clip=1.0),
    adam_case("adamw-decay-cosine", 0.8, 0.99, 1e-6, 0.1, schedule_spec(0.0, 0.02, 5, 20, 1e-4)),
    sgd_case("sgd-plain", 0.0, False, 0.0, constant(0.1)),
    sgd_case("sgd-momentum-decay", 0.9, False, 0.01, schedule_spec(0.001, 0.05, 3, 18, 0.0)),
    sgd_case("sgd-nesterov", 0.9, True, 0.0, constant(0.05)),
]

clipping = []
for sizes, max_norm in [((5,), 1.0), ((3, 4, 1), 0.5), ((7, 2), 1e3), ((4,), 1e-3), ((2, 0, 3), 2.0)]:
    buffers = [rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 3) for n in sizes]
    clipped, norm = clip_by_global_norm(buffers, max_norm)
    clipping.append({"buffers": [vec(b) for b in buffers], "maxNorm": s(max_norm), "norm": s(norm),
                     "clipped": [vec(b) for b in clipped]})

schedules = []
for spec in [schedule_spec(0.0, 1e-3, 10, 100, 0.0), schedule_spec(1e-4, 3e-3, 7, 50, 1e-5),
             schedule_spec(0.5, 0.1, 4, 9, 0.2), schedule_spec(0.0, 1.0, 0, 13, 0.0)]:
    f = schedule_function(spec)
    schedules.append({"schedule": spec, "values": [s(f(t)) for t in range(spec["decaySteps"] + 4)]})

print(json.dumps({"generator": "Fixtures/optim/make_reference.py", "numpy": np.__version__,
                  "optimizers": cases, "clipping": clipping, "schedules": schedules}, indent=1))
