#!/usr/bin/env python3
"""Reference minimal DFAs and member counts for Sources/FormalLanguages, made by greenery.

greenery (https://github.com/qntm/greenery, `pip install greenery`) parses a regex, builds
its automaton by its own constructions and minimises it by Brzozowski's double reversal
(`Fsm.reduce`), independently of the Swift code (Thompson, subset construction, Hopcroft).

greenery's alphabet is a partition of all of Unicode (the regex's letters plus one class
for "any other character"), so its minimal DFA is minimal over that larger alphabet. Over
our alphabet Sigma the minimal complete DFA is the part reachable by Sigma-letters: a suffix
containing another character sends every state to the dead state, so two states are told
apart by some suffix exactly when they are told apart by a Sigma-suffix, and the dead state
belongs to the Sigma-part exactly when some Sigma-string reaches it. This script follows
Sigma-letters only from greenery's initial state, numbers the states breadth-first (letters in
order, as the Swift code does), and counts members of each length by dynamic programming on
greenery's transition map.

Syntax: greenery has no `[x]`; it is written `(x)?`.

Usage: python3 Fixtures/languages/make_reference.py > Fixtures/languages/reference.json
"""
import json
import sys
from importlib.metadata import version

from greenery import parse

# (regex in the study's syntax, alphabet, largest length counted)
CASES = [
    ("a*bc*", "abc", 30),
    ("((a|b)c)*", "abc", 30),
    ("(ab[c])*", "abc", 30),
    ("a*bc*", "abcd", 20),
    ("(ab[c])*", "abcd", 20),
    ("(a|b)*", "ab", 20),
    ("(a|b)*", "abc", 20),
    ("(a*b*)*", "ab", 20),
    ("(a|b)*a(a|b)(a|b)", "ab", 30),
    ("(a|b)*a(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)(a|b)", "ab", 200),
    ("(ab|ba)*", "ab", 30),
    ("((a|b)(a|b))*", "ab", 20),
    ("0(0|1)*1", "01", 30),
    ("(a|bc)*", "abc", 40),
    ("a+b?c[d]", "abcd", 10),
    ("((ab)*|c)+[a]", "abc", 30),
    ("(a|b|c)*(ab|c)", "abc", 120),
    ("(aa|b)*(c|a)+b*", "abc", 30),
]


def to_greenery(regex):
    """The study's `[x]` (optional x) as greenery's `(x)?`."""
    return regex.replace("[", "(").replace("]", ")?")


def reference(regex, alphabet, max_length):
    fsm = parse(to_greenery(regex)).to_fsm().reduce()
    letters = sorted(alphabet)

    def step(state, letter):
        (charclass,) = [c for c in fsm.alphabet if c.accepts(letter)]
        return fsm.map[state][charclass]

    number = {fsm.initial: 0}
    order = [fsm.initial]
    transitions = []
    k = 0
    while k < len(order):
        row = []
        for letter in letters:
            t = step(order[k], letter)
            if t not in number:
                number[t] = len(order)
                order.append(t)
            row.append(number[t])
        transitions.append(row)
        k += 1
    accepting = [i for i, s in enumerate(order) if s in fsm.finals]

    # f[q] = strings of length m from q to a final state; counts[m] = f[start].
    f = [1 if s in fsm.finals else 0 for s in order]
    counts = [f[0]]
    for _ in range(max_length):
        f = [sum(f[t] for t in transitions[q]) for q in range(len(order))]
        counts.append(f[0])
    return {
        "regex": regex,
        "greenery": to_greenery(regex),
        "alphabet": "".join(letters),
        "states": len(order),
        "start": 0,
        "accepting": accepting,
        "transitions": transitions,
        "counts": [str(c) for c in counts],
    }


def main():
    out = {
        "source": f"greenery {version('greenery')} (parse -> to_fsm -> reduce), made by Fixtures/languages/make_reference.py",
        "cases": [reference(*case) for case in CASES],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
