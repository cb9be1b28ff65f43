"""greenery peers of the `lang-*` scenarios (Sources/Experiments/Bench/LanguageScenarios.swift).

greenery (pip install greenery) is the Python package that parses regexes to minimal automata.
The language is (a|b)*a(a|b)^7 (256-state minimal DFA) in all three; counts and samples run on
greenery's own transition map restricted to the letters a, b, with Python's integers (exact,
arbitrary precision) and `random.randrange` (exact uniform integers), the natural Python way.
"""
import random

from greenery import parse

REGEX = "(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)"
LETTERS = "ab"


def minimal_fsm():
    return parse(REGEX).to_fsm().reduce()


def transition_lists(fsm):
    """States numbered from 0 (the initial state), transitions as lists over LETTERS."""
    symbol = {letter: next(c for c in fsm.alphabet if c.accepts(letter)) for letter in LETTERS}
    order, number = [fsm.initial], {fsm.initial: 0}
    k = 0
    while k < len(order):
        for letter in LETTERS:
            t = fsm.map[order[k]][symbol[letter]]
            if t not in number:
                number[t] = len(order)
                order.append(t)
        k += 1
    delta = [[number[fsm.map[s][symbol[letter]]] for letter in LETTERS] for s in order]
    final = [s in fsm.finals for s in order]
    return delta, final


def prepare_dfa():
    def work():
        return len(minimal_fsm().states)
    return work


def prepare_count():
    delta, final = transition_lists(minimal_fsm())

    def work():
        f = [1 if a else 0 for a in final]
        counts = [f[0]]
        for _ in range(1000):
            f = [f[t0] + f[t1] for t0, t1 in delta]
            counts.append(f[0])
        return counts
    return work


def prepare_sample():
    delta, final = transition_lists(minimal_fsm())
    n, count = 20, 1_000_000

    def work():
        # f[m][q]: strings of length m from q to a final state.
        f = [[1 if a else 0 for a in final]]
        for _ in range(n):
            prev = f[-1]
            f.append([prev[t0] + prev[t1] for t0, t1 in delta])
        rng = random.Random(3)
        total = f[n][0]
        out = []
        for _ in range(count):
            r = rng.randrange(total)
            q, chars = 0, []
            for m in range(n, 0, -1):
                t0, t1 = delta[q]
                c0 = f[m - 1][t0]
                if r < c0:
                    chars.append("a")
                    q = t0
                else:
                    r -= c0
                    chars.append("b")
                    q = t1
            out.append("".join(chars))
        return out
    return work


# The sampling peer takes seconds per run: 3 timed runs instead of BENCH_REPEATS.
SCENARIOS = {
    "lang-dfa-blowup": ("greenery", prepare_dfa),
    "lang-count-1000": ("greenery", prepare_count),
    "lang-sample-1e6": ("greenery", prepare_sample, 3),
}
