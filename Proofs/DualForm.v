(* ========================================================================= *)
(*  dual-form: gradient descent on a linear layer is linear attention        *)
(*  (Irie et al. 2022; Dai et al. 2023; REFERENCE.md section 3).             *)
(*                                                                           *)
(*  A linear layer y = W x, W : 'M_(dy, d).  Step t uses a batch of B_t      *)
(*  examples: inputs X_t : 'M_(d, B_t) (columns x_{t,i}) and errors          *)
(*  E_t : 'M_(dy, B_t) (columns e_{t,i} = -eta_t dL_t/dy_{t,i}, any          *)
(*  differentiable loss, 1/|B_t| included), so the SGD step is               *)
(*      W_{t+1} = W_t + sum_i e_{t,i} x_{t,i}^T = W_t + E_t X_t^T.           *)
(*  Linear attention with values V, keys K and query q is V (K^T q)          *)
(*  = sum_i v_i (k_i^T q).                                                   *)
(*  Over any comRingType; batch sizes may differ from step to step.          *)
(* ========================================================================= *)

From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section LinearAttention.

Variable R : comRingType.
Variables d dy : nat.

(* Linear attention: values V (columns v_i), keys K (columns k_i), query q. *)
Definition linear_attn B (V : 'M[R]_(dy, B)) (K : 'M[R]_(d, B)) (q : 'cV[R]_d)
  : 'cV[R]_dy := V *m (K^T *m q).

(* ... is  sum_i (k_i^T q) v_i. *)
Lemma linear_attn_sum B (V : 'M[R]_(dy, B)) (K : 'M[R]_(d, B)) (q : 'cV[R]_d) :
  linear_attn V K q = \sum_(i < B) ((col i K)^T *m q) 0 0 *: col i V.
Proof.
apply/matrixP => r c; rewrite !mxE summxE; apply: eq_bigr => i _.
by rewrite !mxE [c]ord1 mulrC; congr (_ * _); apply: eq_bigr => l _; rewrite !mxE.
Qed.

(* E X^T = sum_i e_i x_i^T. *)
Lemma mul_tr_sum_col B (E : 'M[R]_(dy, B)) (X : 'M[R]_(d, B)) :
  E *m X^T = \sum_(i < B) col i E *m (col i X)^T.
Proof.
apply/matrixP => r c; rewrite !mxE summxE; apply: eq_bigr => i _.
by rewrite !mxE big_ord1 !mxE.
Qed.

(* dual-form, one step:  (W0 + E X^T) x = W0 x + LinearAttn(E, X, x). *)
Theorem dual_form_step B (W0 : 'M[R]_(dy, d)) (E : 'M[R]_(dy, B)) (X : 'M[R]_(d, B))
    (x : 'cV[R]_d) :
  (W0 + E *m X^T) *m x = W0 *m x + linear_attn E X x.
Proof. by rewrite mulmxDl -mulmxA. Qed.

End LinearAttention.

Section DualForm.

Variable R : comRingType.
Variables d dy : nat.
Variable W0 : 'M[R]_(dy, d).
Variable B : nat -> nat.                      (* batch size of step t *)
Variable E : forall t, 'M[R]_(dy, B t).       (* errors e_{t,i} (values) *)
Variable Xs : forall t, 'M[R]_(d, B t).       (* inputs x_{t,i} (keys)   *)

Local Notation G t := (E t *m (Xs t)^T).

(* ---- plain SGD ---- *)
Fixpoint sgd (T : nat) : 'M[R]_(dy, d) :=
  if T is t.+1 then sgd t + G t else W0.

Theorem dual_form T (x : 'cV[R]_d) :
  sgd T *m x = W0 *m x + \sum_(t < T) linear_attn (E t) (Xs t) x.
Proof.
elim: T => [|T IH] /=; first by rewrite big_ord0 addr0.
by rewrite mulmxDl IH big_ord_recr /= addrA -mulmxA.
Qed.

(* Fully unrolled:  W_T x = W0 x + sum_t sum_i (x_{t,i}^T x) e_{t,i}. *)
Corollary dual_form_unrolled T (x : 'cV[R]_d) :
  sgd T *m x
  = W0 *m x + \sum_(t < T) \sum_(i < B t) ((col i (Xs t))^T *m x) 0 0 *: col i (E t).
Proof. by rewrite dual_form; congr (_ + _); apply: eq_bigr => t _; rewrite linear_attn_sum. Qed.

(* ---- general per-step scalars: W_{t+1} = a_t W_t + b_t E_t X_t^T ---- *)
(*  a_t = 1 - eta_t lambda : coupled L2 weight decay;                       *)
(*  b_t = clipping factor min(1, c/||G_t||) : global-norm clipping.         *)
Variables a b : nat -> R.

Fixpoint sgd_scaled (T : nat) : 'M[R]_(dy, d) :=
  if T is t.+1 then a t *: sgd_scaled t + b t *: G t else W0.

Theorem dual_form_scaled T (x : 'cV[R]_d) :
  sgd_scaled T *m x
  = (\prod_(t < T) a t) *: (W0 *m x)
    + \sum_(t < T) ((\prod_(t.+1 <= s < T) a s) * b t) *: linear_attn (E t) (Xs t) x.
Proof.
elim: T => [|T IH] /=; first by rewrite big_ord0 big_ord0 scale1r addr0.
rewrite mulmxDl -!scalemxAl IH scalerDr scalerA big_ord_recr /= [a T * _]mulrC.
rewrite -addrA; congr (_ + _).
rewrite big_ord_recr /= big_geq // mul1r -mulmxA; congr (_ + _).
rewrite scaler_sumr; apply: eq_bigr => t _; rewrite scalerA; congr (_ *: _).
by rewrite big_nat_recr //= mulrAC mulrC.
Qed.

End DualForm.

Section DualFormVariants.

Variable R : comRingType.
Variables d dy : nat.
Variable W0 : 'M[R]_(dy, d).
Variable B : nat -> nat.
Variable E : forall t, 'M[R]_(dy, B t).
Variable Xs : forall t, 'M[R]_(d, B t).

Local Notation G t := (E t *m (Xs t)^T).

(* ---- coupled L2 weight decay: W_{t+1} = (1 - eta lambda) W_t + E_t X_t^T ---- *)
Variables eta lambda : R.

Fixpoint sgd_weight_decay (T : nat) : 'M[R]_(dy, d) :=
  if T is t.+1 then (1 - eta * lambda) *: sgd_weight_decay t + G t else W0.

Theorem dual_form_weight_decay T (x : 'cV[R]_d) :
  sgd_weight_decay T *m x
  = (1 - eta * lambda) ^+ T *: (W0 *m x)
    + \sum_(t < T) (1 - eta * lambda) ^+ (T - t.+1) *: linear_attn (E t) (Xs t) x.
Proof.
have -> : sgd_weight_decay T
          = sgd_scaled W0 E Xs (fun=> 1 - eta * lambda) (fun=> 1) T.
  by elim: T => //= T ->; rewrite scale1r.
rewrite dual_form_scaled prodr_const card_ord; congr (_ + _).
by apply: eq_bigr => t _; rewrite prodr_const_nat mulr1.
Qed.

(* ---- global-norm clipping (or any per-step scalar s_t on the update) ---- *)
Variable s : nat -> R.

Fixpoint sgd_clipped (T : nat) : 'M[R]_(dy, d) :=
  if T is t.+1 then sgd_clipped t + s t *: G t else W0.

Theorem dual_form_clipped T (x : 'cV[R]_d) :
  sgd_clipped T *m x = W0 *m x + \sum_(t < T) s t *: linear_attn (E t) (Xs t) x.
Proof.
have -> : sgd_clipped T = sgd_scaled W0 E Xs (fun=> 1) s T.
  by elim: T => //= T ->; rewrite scale1r.
rewrite dual_form_scaled prodr_const card_ord expr1n scale1r; congr (_ + _).
by apply: eq_bigr => t _; rewrite prodr_const_nat expr1n mul1r.
Qed.

(* ---- heavy-ball momentum: v_{t+1} = mu v_t + G_t, W_{t+1} = W_t + v_{t+1}, v_0 = 0 ---- *)
Variable mu : R.

Fixpoint momentum (T : nat) : 'M[R]_(dy, d) * 'M[R]_(dy, d) :=
  if T is t.+1 then
    let v := mu *: (momentum t).2 + G t in ((momentum t).1 + v, v)
  else (W0, 0).

Lemma momentum_velocity T :
  (momentum T).2 = \sum_(t < T) mu ^+ (T - t.+1) *: G t.
Proof.
elim: T => [|T IH] /=; first by rewrite big_ord0.
rewrite IH big_ord_recr /= subnn expr0 scale1r; congr (_ + _).
rewrite scaler_sumr; apply: eq_bigr => t _; rewrite scalerA -exprS.
by rewrite subSS -subSn.
Qed.

Lemma momentum_weights T :
  (momentum T).1 = W0 + \sum_(t < T) (\sum_(t <= u < T) mu ^+ (u - t)) *: G t.
Proof.
elim: T => [|T IH]; first by rewrite big_ord0 addr0.
rewrite [momentum _]/= -[mu *: _ + _]/((momentum T.+1).2) momentum_velocity IH.
rewrite -addrA; congr (_ + _).
rewrite [in RHS]big_ord_recr /= big_nat1 subnn expr0 scale1r.
rewrite [in LHS]big_ord_recr /= subnn expr0 scale1r addrA; congr (_ + _).
rewrite -big_split /=; apply: eq_bigr => t _.
by rewrite big_nat_recr 1?ltnW //= scalerDl subSS.
Qed.

Theorem dual_form_momentum T (x : 'cV[R]_d) :
  (momentum T).1 *m x
  = W0 *m x + \sum_(t < T) (\sum_(t <= u < T) mu ^+ (u - t)) *: linear_attn (E t) (Xs t) x.
Proof.
rewrite momentum_weights mulmxDl mulmx_suml; congr (_ + _).
by apply: eq_bigr => t _; rewrite -scalemxAl -mulmxA.
Qed.

End DualFormVariants.
