// The batch loss + gradient (reddy_batch.c), written once for the vector width W and included
// once per instruction set as the function BATCH with the attribute TARGET, under the macros
// V (a vector of doubles), M (a lane mask), LOAD/STORE, ADD/SUB/MUL/DIV/SET, ABS, GE/LE (ordered
// comparisons), AND, ANDNOT(a, b) (= ~a & b), ALL (every lane set), PICK(mask, whenFalse,
// whenTrue) and EXP/EXPM1/LOG1P (SLEEF, 1.0 ulp).
TARGET static void BATCH(const double *beta, const double *alpha, const double *xi, long n, double twoNy, double twoNs,
                         double a1, double a2, double *loss, double *dBeta, double *dAlpha, double *dXi) {
    const V one = SET(1.0), zero = SET(0.0), twoN = SET(twoNs), twoN1 = SET(twoNs + 1), half = SET(0.5);
    const V twoNAttention = SET(twoNy);
    const V logN1 = SET(a1), logLN = SET(a2);
    for (long i = 0; i < n; i += W) {
        V b = LOAD(beta + i), al = LOAD(alpha + i), x = LOAD(xi + i);
        // Layer 1: y(beta) with e = e^{-|beta|} (SoftmaxAttention).
        M bPos = GE(b, zero);
        V E1 = EXP(SUB(zero, ABS(b)));
        V ePos = MUL(twoNAttention, E1), denPos = ADD(one, ePos), denNeg = ADD(E1, twoNAttention);
        V y = PICK(bPos, DIV(E1, denNeg), DIV(one, denPos));
        V omy = PICK(bPos, DIV(twoNAttention, denNeg), DIV(ePos, denPos));
        V dy = MUL(y, omy);
        // Layer 2 at a = alpha y (LayerTwoAttention).
        V a = MUL(al, y), absA = ABS(a);
        M aPos = GE(a, zero), small = LE(absA, half);
        V em1 = EXPM1(SUB(zero, absA)), Ex = EXP(SUB(zero, absA));
        // a >= 0: e = e^{-a}, 1 - e; a < 0: E = e^{a}, E - 1.
        V e = PICK(small, Ex, ADD(one, em1));
        V oneMinusE = PICK(small, SUB(one, Ex), SUB(zero, em1));
        V eMinus1 = PICK(small, SUB(Ex, one), em1);
        V invPos = DIV(one, ADD(one, MUL(twoN, e))), invNeg = DIV(one, ADD(e, twoN));
        V p = PICK(aPos, MUL(e, invNeg), invPos);
        V pmq = PICK(aPos, MUL(eMinus1, invNeg), MUL(oneMinusE, invPos));
        V r = PICK(aPos, MUL(p, invNeg), MUL(MUL(e, invPos), invPos));
        // Log-sum-exp of (0, t1, t2) (LossTerms): the largest term's exponential is 1.
        V t1 = SUB(logN1, MUL(x, pmq)), t2 = SUB(logLN, MUL(x, p));
        M c0 = AND(LE(t1, zero), LE(t2, zero));
        M c1 = ANDNOT(c0, GE(t1, t2));
        M c2 = ANDNOT(c1, ANDNOT(c0, ALL));
        V m = PICK(c1, PICK(c2, zero, t2), t1);
        V e0 = PICK(c0, EXP(SUB(zero, m)), one);
        V e1 = PICK(c1, EXP(SUB(t1, m)), one);
        V e2 = PICK(c2, EXP(SUB(t2, m)), one);
        V rest = PICK(c0, PICK(c1, ADD(e0, e1), ADD(e0, e2)), ADD(e1, e2));
        V inv = DIV(one, ADD(one, rest));
        V w1 = MUL(e1, inv), w2 = MUL(e2, inv);
        V g = ADD(MUL(twoN1, w1), MUL(twoN, w2));
        V la = MUL(MUL(SUB(zero, x), r), g);
        STORE(loss + i, ADD(m, LOG1P(rest)));
        STORE(dBeta + i, MUL(MUL(al, dy), la));
        STORE(dAlpha + i, MUL(y, la));
        STORE(dXi + i, SUB(zero, ADD(MUL(w1, pmq), MUL(w2, p))));
    }
}
