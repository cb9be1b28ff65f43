(* ========================================================================= *)
(*  Linear self-attention (LSA) layers that perform gradient descent.        *)
(*                                                                           *)
(*  Theorem ids (REFERENCE.md section 1):                                    *)
(*    lsa-gd        : Proposition 1 of von Oswald et al. 2023                *)
(*    lsa-pgd       : preconditioned GD (Ahn et al. 2023)                    *)
(*    lsa-multistep : K layers = K steps of preconditioned GD                *)
(*    gd-plus-plus  : GD++ (von Oswald et al. 2023, appendix A.10)           *)
(*                                                                           *)
(*  Conventions (exactly those of REFERENCE.md):                             *)
(*   - tokens are COLUMNS  e = col_mx x y  with x : 'cV_d, y : 'cV_dy;       *)
(*   - the context is the matrix  E_ctx = col_mx X Y : 'M_(d + dy, N)        *)
(*     whose columns are the N context tokens; keys and values come from     *)
(*     E_ctx only; every token (context or query) is updated by              *)
(*        e  <-  e + P W_V E_ctx (E_ctx^T W_K^T W_Q e);                      *)
(*   - there is no 1/N inside the attention: the 1/N lives in P.             *)
(*  A block of tokens  Z = col_mx Xz Yz : 'M_(d + dy, m)  (m columns) is     *)
(*  updated column by column by the same formula, which is right             *)
(*  multiplication; so every statement below is stated for an arbitrary     *)
(*  block of m tokens (m = 1: a single token, Z = E_ctx: the whole context). *)
(*                                                                           *)
(*  The weight constructions are written as one-line Definitions in a        *)
(*  restricted syntax (block_mx of 0, 1%:M, -1%:M, W0, Gamma, (s)%:M with s  *)
(*  a scalar expression in eta, gamma, N%:R) so that                         *)
(*  extract_constructions.py can parse and evaluate them.                    *)
(* ========================================================================= *)

From mathcomp Require Import all_ssreflect all_algebra ring.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

(* ------------------------------------------------------------------------- *)
(*  The layer and the one-layer block computation, over any comRingType.     *)
(* ------------------------------------------------------------------------- *)

Section LSALayer.

Variable R : comRingType.
Variables d dy N : nat.
Local Notation D := (d + dy)%N.

(* One LSA head with residual connection, applied to a block Z of m tokens,  *)
(* keys and values taken from the context Ectx only.                         *)
Definition lsa (P WV WK WQ : 'M[R]_D) (Ectx : 'M[R]_(D, N)) m
    (Z : 'M[R]_(D, m)) : 'M[R]_(D, m) :=
  Z + P *m WV *m Ectx *m (Ectx^T *m WK^T *m WQ *m Z).

(* H heads: the sum of the heads' updates (residual added once). *)
Definition lsa_multihead H (P WV WK WQ : 'I_H -> 'M[R]_D) (Ectx : 'M[R]_(D, N))
    m (Z : 'M[R]_(D, m)) : 'M[R]_(D, m) :=
  Z + \sum_(h < H) P h *m WV h *m Ectx *m (Ectx^T *m (WK h)^T *m WQ h *m Z).

Lemma lsa_multihead1 (P WV WK WQ : 'I_1 -> 'M[R]_D) Ectx m (Z : 'M_(D, m)) :
  lsa_multihead P WV WK WQ Ectx Z = lsa (P ord0) (WV ord0) (WK ord0) (WQ ord0) Ectx Z.
Proof. by rewrite /lsa_multihead big_ord1. Qed.

(* The core block computation.  With                                        *)
(*    W_K = [[I,0],[0,0]],  W_Q = [[Gam,0],[0,0]],  W_V = [[0,0],[A,-I]],   *)
(*    P = c I,                                                               *)
(* a block of tokens (Xz, Yz) becomes (Xz, Yz + c (A X - Y) X^T Gam Xz).     *)
Lemma lsa_block_value (c : R) (A : 'M[R]_(dy, d)) (Gam : 'M[R]_d)
    (X : 'M[R]_(d, N)) (Y : 'M[R]_(dy, N)) m (Xz : 'M[R]_(d, m)) (Yz : 'M[R]_(dy, m)) :
  lsa c%:M (block_mx 0 0 A (-1%:M)) (block_mx 1%:M 0 0 0) (block_mx Gam 0 0 0)
      (col_mx X Y) (col_mx Xz Yz)
  = col_mx Xz (Yz + c *: ((A *m X - Y) *m X^T *m Gam *m Xz)).
Proof.
rewrite /lsa -!mulmxA tr_block_mx !trmx0 trmx1 tr_col_mx.
rewrite !(mul_block_col, mul_row_col, mul_col_mx).
rewrite !(mul0mx, mulmx0, mul1mx, addr0, add0r, mulNmx).
rewrite mul_scalar_mx scale_col_mx scaler0 add_col_mx addr0.
by rewrite mulmxA -mulmxBl.
Qed.

(* The GD++ block computation.  With W_K = W_Q = [[I,0],[0,0]],             *)
(*    W_V = [[I,0],[A,-I]],  P = [[a I, 0],[0, c I]],                        *)
(* a block (Xz, Yz) becomes (Xz + a X X^T Xz, Yz + c (A X - Y) X^T Xz).      *)
Lemma lsa_block_gdpp (a c : R) (A : 'M[R]_(dy, d))
    (X : 'M[R]_(d, N)) (Y : 'M[R]_(dy, N)) m (Xz : 'M[R]_(d, m)) (Yz : 'M[R]_(dy, m)) :
  lsa (block_mx a%:M 0 0 c%:M) (block_mx 1%:M 0 A (-1%:M)) (block_mx 1%:M 0 0 0)
      (block_mx 1%:M 0 0 0) (col_mx X Y) (col_mx Xz Yz)
  = col_mx (Xz + a *: (X *m X^T *m Xz)) (Yz + c *: ((A *m X - Y) *m X^T *m Xz)).
Proof.
rewrite /lsa -!mulmxA tr_block_mx !trmx0 trmx1 tr_col_mx.
rewrite !(mul_block_col, mul_row_col, mul_col_mx).
rewrite !(mul0mx, mulmx0, mul1mx, addr0, add0r, mulNmx).
by rewrite !mul_scalar_mx add_col_mx [A *m (X *m _)]mulmxA -mulmxBl.
Qed.

End LSALayer.

(* ------------------------------------------------------------------------- *)
(*  Gradient descent on the least-squares loss, over any fieldType.          *)
(*     L(W) = 1/(2N) sum_i ||W x_i - y_i||^2 = 1/(2N) tr((WX - Y)(WX - Y)^T)*)
(*     grad L(W) = (1/N) (W X - Y) X^T                                       *)
(*  1/N is N%:R^-1 ; mathcomp's convention 0^-1 = 0 makes every statement    *)
(*  below true for all N (for N = 0 both sides are trivially the same), so   *)
(*  no hypothesis N != 0 is needed.                                          *)
(* ------------------------------------------------------------------------- *)

Section GradientDescent.

Variable F : fieldType.
Variables d dy N : nat.
Variables (X : 'M[F]_(d, N)) (Y : 'M[F]_(dy, N)).

Definition lsq_loss (W : 'M[F]_(dy, d)) : F :=
  (2 * N)%:R^-1 * \tr ((W *m X - Y) *m (W *m X - Y)^T).

Definition gradL (W : 'M[F]_(dy, d)) : 'M[F]_(dy, d) :=
  N%:R^-1 *: ((W *m X - Y) *m X^T).

(* gradL is the gradient of lsq_loss: exact second-order expansion          *)
(*   L(W + t H) = L(W) + t <grad L(W), H> + t^2 L_2(H),  <A,B> = tr(A^T B). *)
Lemma gradL_is_gradient (two_neq0 : (2%:R : F) != 0) (W H : 'M[F]_(dy, d)) (t : F) :
  lsq_loss (W + t *: H)
  = lsq_loss W + t * \tr ((gradL W)^T *m H)
    + t ^+ 2 * ((2 * N)%:R^-1 * \tr ((H *m X) *m (H *m X)^T)).
Proof.
rewrite /lsq_loss /gradL.
have -> : (W + t *: H) *m X - Y = (W *m X - Y) + t *: (H *m X).
  by rewrite mulmxDl -scalemxAl addrAC.
have -> : \tr ((N%:R^-1 *: ((W *m X - Y) *m X^T))^T *m H)
          = N%:R^-1 * \tr ((H *m X) *m (W *m X - Y)^T).
  rewrite linearZ /= -scalemxAl linearZ /= trmx_mul trmxK.
  by rewrite mxtrace_mulC mulmxA.
move: (W *m X - Y) (H *m X) => Rm HX.
have hC : \tr (Rm *m HX^T) = \tr (HX *m Rm^T).
  by rewrite -mxtrace_tr trmx_mul trmxK.
rewrite linearD /= linearZ /= !(mulmxDl, mulmxDr) !mxtraceD.
rewrite -!scalemxAl -!scalemxAr !linearZ /= hC.
set a := \tr (Rm *m Rm^T); set b := \tr (HX *m Rm^T); set q := \tr (HX *m HX^T).
rewrite natrM invfM.
have h2 : 2%:R^-1 * 2%:R = 1 :> F by rewrite mulVf.
move: (2%:R^-1 : F) h2 => i2 h2'.
move: (N%:R^-1 : F) => iN.
rewrite /a /b /q; move: (\tr _) (\tr _) (\tr _) => a' b' q'.
have -> : t * (iN * b') = (i2 * 2%:R) * (t * (iN * b')) by rewrite h2' mul1r.
ring.
Qed.


End GradientDescent.

(* ------------------------------------------------------------------------- *)
(*  The weight constructions.  Each is a one-line Definition; the right-hand *)
(*  sides are parsed by extract_constructions.py (keep the syntax:           *)
(*  block_mx of  0 | 1%:M | -1%:M | W0 | Gamma | (scalar)%:M  with scalar in *)
(*  eta, gamma, N%:R, + - * / and parentheses).                              *)
(* ------------------------------------------------------------------------- *)

Section Constructions.

Variable F : fieldType.
Variables d dy N : nat.
Variables (W0 : 'M[F]_(dy, d)) (Gamma : 'M[F]_d) (eta gamma : F).

(* lsa-gd (Proposition 1) *)
Definition lsa_gd_WK : 'M[F]_(d + dy) := block_mx 1%:M 0 0 0.
Definition lsa_gd_WQ : 'M[F]_(d + dy) := block_mx 1%:M 0 0 0.
Definition lsa_gd_WV : 'M[F]_(d + dy) := block_mx 0 0 W0 (-1%:M).
Definition lsa_gd_P : 'M[F]_(d + dy) := (eta / N%:R)%:M.

(* lsa-pgd (right preconditioner Gamma in the x-block of W_K^T W_Q) *)
Definition lsa_pgd_WK : 'M[F]_(d + dy) := block_mx 1%:M 0 0 0.
Definition lsa_pgd_WQ : 'M[F]_(d + dy) := block_mx Gamma 0 0 0.
Definition lsa_pgd_WV : 'M[F]_(d + dy) := block_mx 0 0 W0 (-1%:M).
Definition lsa_pgd_P : 'M[F]_(d + dy) := (eta / N%:R)%:M.

(* gd-plus-plus (von Oswald et al. A.10) *)
Definition gd_plus_plus_WK : 'M[F]_(d + dy) := block_mx 1%:M 0 0 0.
Definition gd_plus_plus_WQ : 'M[F]_(d + dy) := block_mx 1%:M 0 0 0.
Definition gd_plus_plus_WV : 'M[F]_(d + dy) := block_mx 1%:M 0 W0 (-1%:M).
Definition gd_plus_plus_P : 'M[F]_(d + dy) := block_mx (- gamma)%:M 0 0 (eta / N%:R)%:M.

End Constructions.

(* ------------------------------------------------------------------------- *)
(*  lsa-gd, lsa-pgd, gd-plus-plus                                            *)
(* ------------------------------------------------------------------------- *)

Section OneLayer.

Variable F : fieldType.
Variables d dy N : nat.
Variables (X : 'M[F]_(d, N)) (Y : 'M[F]_(dy, N)).
Variables (W0 : 'M[F]_(dy, d)) (Gamma : 'M[F]_d) (eta gamma : F).

Local Notation Ectx := (col_mx X Y).
Local Notation gradL := (gradL X Y).

(* The GD increment of REFERENCE.md: dW = -(eta/N) (W0 X - Y) X^T. *)
Definition gd_dW : 'M[F]_(dy, d) := - eta *: gradL W0.
(* Preconditioned: dW = -(eta/N) (W0 X - Y) X^T Gamma = -eta grad L(W0) Gamma. *)
Definition pgd_dW : 'M[F]_(dy, d) := - eta *: (gradL W0 *m Gamma).

Lemma gd_dWE : gd_dW = - (eta / N%:R) *: ((W0 *m X - Y) *m X^T).
Proof. by rewrite /gd_dW /gradL scalerA mulNr. Qed.

Lemma pgd_dWE : pgd_dW = - (eta / N%:R) *: ((W0 *m X - Y) *m X^T *m Gamma).
Proof. by rewrite /pgd_dW /gradL -scalemxAl scalerA mulNr. Qed.

(* lsa-pgd: every token block (Xz, Yz) becomes (Xz, Yz - dW Xz),            *)
(*          dW = -eta grad L(W0) Gamma.                                     *)
Theorem lsa_pgd m (Xz : 'M[F]_(d, m)) (Yz : 'M[F]_(dy, m)) :
  lsa (@lsa_pgd_P F d dy N eta) (@lsa_pgd_WV F d dy W0) (@lsa_pgd_WK F d dy) (@lsa_pgd_WQ F d dy Gamma)
      Ectx (col_mx Xz Yz)
  = col_mx Xz (Yz - pgd_dW *m Xz).
Proof.
rewrite /lsa_pgd_P /lsa_pgd_WV /lsa_pgd_WK /lsa_pgd_WQ lsa_block_value.
by congr col_mx; rewrite pgd_dWE -scalemxAl scaleNr opprK.
Qed.

(* lsa-gd (Proposition 1): every token block (Xz, Yz) becomes (Xz, Yz - dW Xz). *)
Theorem lsa_gd m (Xz : 'M[F]_(d, m)) (Yz : 'M[F]_(dy, m)) :
  lsa (@lsa_gd_P F d dy N eta) (@lsa_gd_WV F d dy W0) (@lsa_gd_WK F d dy) (@lsa_gd_WQ F d dy)
      Ectx (col_mx Xz Yz)
  = col_mx Xz (Yz - gd_dW *m Xz).
Proof.
rewrite /lsa_gd_P /lsa_gd_WV /lsa_gd_WK /lsa_gd_WQ lsa_block_value mulmx1.
by congr col_mx; rewrite gd_dWE -scalemxAl scaleNr opprK.
Qed.

(* The same, token by token. *)
Corollary lsa_gd_token (x : 'cV[F]_d) (y : 'cV[F]_dy) :
  lsa (@lsa_gd_P F d dy N eta) (@lsa_gd_WV F d dy W0) (@lsa_gd_WK F d dy) (@lsa_gd_WQ F d dy)
      Ectx (col_mx x y)
  = col_mx x (y - gd_dW *m x).
Proof. exact: lsa_gd. Qed.

(* The context itself: every context token becomes (x_i, y_i - dW x_i). *)
Corollary lsa_gd_context :
  lsa (@lsa_gd_P F d dy N eta) (@lsa_gd_WV F d dy W0) (@lsa_gd_WK F d dy) (@lsa_gd_WQ F d dy) Ectx Ectx
  = col_mx X (Y - gd_dW *m X).
Proof. exact: lsa_gd. Qed.

(* Readout: query started at (x_q, -W0 x_q); minus its y-part after the layer *)
(* is W0 x_q + dW x_q, the prediction of the GD iterate W0 + dW.              *)
Theorem lsa_gd_readout (xq : 'cV[F]_d) :
  - dsubmx (lsa (@lsa_gd_P F d dy N eta) (@lsa_gd_WV F d dy W0) (@lsa_gd_WK F d dy) (@lsa_gd_WQ F d dy)
                Ectx (col_mx xq (- (W0 *m xq))))
  = W0 *m xq + gd_dW *m xq.
Proof. by rewrite lsa_gd col_mxKd opprB addrC opprK. Qed.

Corollary lsa_gd_readout_step (xq : 'cV[F]_d) :
  - dsubmx (lsa (@lsa_gd_P F d dy N eta) (@lsa_gd_WV F d dy W0) (@lsa_gd_WK F d dy) (@lsa_gd_WQ F d dy)
                Ectx (col_mx xq (- (W0 *m xq))))
  = (W0 - eta *: gradL W0) *m xq.
Proof. by rewrite lsa_gd_readout -mulmxDl /gd_dW scaleNr. Qed.

Theorem lsa_pgd_readout (xq : 'cV[F]_d) :
  - dsubmx (lsa (@lsa_pgd_P F d dy N eta) (@lsa_pgd_WV F d dy W0) (@lsa_pgd_WK F d dy) (@lsa_pgd_WQ F d dy Gamma)
                Ectx (col_mx xq (- (W0 *m xq))))
  = (W0 - eta *: (gradL W0 *m Gamma)) *m xq.
Proof.
by rewrite lsa_pgd col_mxKd opprB addrC opprK -mulmxDl /pgd_dW scaleNr.
Qed.

(* gd-plus-plus: x_j <- (I - gamma X X^T) x_j and y_j <- y_j - dW x_j, with  *)
(* dW = -(eta/N)(W0 X - Y) X^T (W0 is the matrix in W_V), both computed from *)
(* the tokens as they were before the layer.                                 *)
Theorem gd_plus_plus m (Xz : 'M[F]_(d, m)) (Yz : 'M[F]_(dy, m)) :
  lsa (@gd_plus_plus_P F d dy N eta gamma) (@gd_plus_plus_WV F d dy W0)
      (@gd_plus_plus_WK F d dy) (@gd_plus_plus_WQ F d dy) Ectx (col_mx Xz Yz)
  = col_mx ((1%:M - gamma *: (X *m X^T)) *m Xz) (Yz - gd_dW *m Xz).
Proof.
rewrite /gd_plus_plus_P /gd_plus_plus_WV /gd_plus_plus_WK /gd_plus_plus_WQ.
rewrite lsa_block_gdpp; congr col_mx.
  by rewrite mulmxBl mul1mx scaleNr -scalemxAl.
by rewrite gd_dWE -scalemxAl scaleNr opprK.
Qed.

End OneLayer.

Lemma oppr_two_layers (V : zmodType) (a b p q : V) :
  - (- a - (b - a) + (p + q)) = b - p - q.
Proof. by rewrite opprD opprB opprK subrK opprD addrA. Qed.

Lemma subr_resid (V : zmodType) (a b c : V) : a - (b - (c - a)) = c - b.
Proof. by rewrite opprB addrC addrAC subrK. Qed.

(* ------------------------------------------------------------------------- *)
(*  lsa-multistep: K layers = K steps of preconditioned GD.                  *)
(*                                                                           *)
(*  Layer k (k = 0 .. K-1) has  P_k = (eta_k / N) I,  W_K = [[I,0],[0,0]],   *)
(*  W_Q = [[Gamma_k,0],[0,0]]  and  W_V = [[0,0],[W0,-I]]  with the INITIAL  *)
(*  W0 in every layer.  Each layer reads the context tokens it receives      *)
(*  (the output of the previous layer) and updates context and query tokens. *)
(*  Invariant: after k layers every token (x, y) has become                  *)
(*     (x, y - (W_k - W0) x),  W_k the k-th preconditioned-GD iterate,       *)
(*  so the residual a layer sees is  W0 x_i - (y_i - (W_k - W0) x_i)          *)
(*  = W_k x_i - y_i, the true residual at W_k.  Putting the current iterate  *)
(*  W_k into W_V instead double counts (see lsa_multistep_current_iterate_*  *)
(*  below): the layer then computes the gradient at 2 W_k - W0.              *)
(* ------------------------------------------------------------------------- *)

Section MultiStep.

Variable F : fieldType.
Variables d dy N : nat.
Variables (X : 'M[F]_(d, N)) (Y : 'M[F]_(dy, N)) (W0 : 'M[F]_(dy, d)).
Variables (eta : nat -> F) (Gam : nat -> 'M[F]_d).

Local Notation D := (d + dy)%N.
Local Notation gradL := (gradL X Y).

(* Layer k's weights (one-line Definitions, parsed by extract_constructions.py). *)
Definition lsa_multistep_WK (k : nat) : 'M[F]_(d + dy) := block_mx 1%:M 0 0 0.
Definition lsa_multistep_WQ (k : nat) : 'M[F]_(d + dy) := block_mx (Gam k) 0 0 0.
Definition lsa_multistep_WV (k : nat) : 'M[F]_(d + dy) := block_mx 0 0 W0 (-1%:M).
Definition lsa_multistep_P (k : nat) : 'M[F]_(d + dy) := (eta k / N%:R)%:M.

(* Preconditioned GD iterates: W_{k+1} = W_k - eta_k grad L(W_k) Gamma_k. *)
Fixpoint pgd_iter (k : nat) : 'M[F]_(dy, d) :=
  if k is k'.+1 then pgd_iter k' - eta k' *: (gradL (pgd_iter k') *m Gam k')
  else W0.

Definition lsa_layer_k (k : nat) (Ectx : 'M[F]_(D, N)) m (Z : 'M[F]_(D, m)) :=
  lsa (lsa_multistep_P k) (lsa_multistep_WV k) (lsa_multistep_WK k)
      (lsa_multistep_WQ k) Ectx Z.

(* The context after k layers. *)
Fixpoint lsa_ctx (k : nat) : 'M[F]_(D, N) :=
  if k is k'.+1 then lsa_layer_k k' (lsa_ctx k') (lsa_ctx k') else col_mx X Y.

(* Any block of tokens Z (e.g. the query) after k layers. *)
Fixpoint lsa_run m (Z : 'M[F]_(D, m)) (k : nat) : 'M[F]_(D, m) :=
  if k is k'.+1 then lsa_layer_k k' (lsa_ctx k') (lsa_run Z k') else Z.

Lemma lsa_run_ctx k : lsa_run (col_mx X Y) k = lsa_ctx k.
Proof. by elim: k => //= k ->. Qed.

Lemma pgd_iterS k :
  pgd_iter k.+1
  = pgd_iter k - (eta k / N%:R) *: ((pgd_iter k *m X - Y) *m X^T *m Gam k).
Proof. by rewrite /= /gradL -scalemxAl scalerA. Qed.

(* One layer on the invariant. *)
Lemma lsa_layer_k_step k m (Xz : 'M[F]_(d, m)) (Yz : 'M[F]_(dy, m)) :
  lsa_layer_k k (col_mx X (Y - (pgd_iter k - W0) *m X))
              (col_mx Xz (Yz - (pgd_iter k - W0) *m Xz))
  = col_mx Xz (Yz - (pgd_iter k.+1 - W0) *m Xz).
Proof.
rewrite /lsa_layer_k /lsa_multistep_P /lsa_multistep_WV /lsa_multistep_WK.
rewrite /lsa_multistep_WQ lsa_block_value; congr col_mx.
have -> : W0 *m X - (Y - (pgd_iter k - W0) *m X) = pgd_iter k *m X - Y.
  by rewrite mulmxBl subr_resid.
have -> : pgd_iter k.+1 - W0 = (pgd_iter k - W0)
           - (eta k / N%:R) *: ((pgd_iter k *m X - Y) *m X^T *m Gam k).
  by rewrite /= /gradL -scalemxAl scalerA addrAC.
by rewrite [in RHS]mulmxBl -scalemxAl opprB addrA addrAC.
Qed.

Lemma lsa_ctx_invariant k : lsa_ctx k = col_mx X (Y - (pgd_iter k - W0) *m X).
Proof.
elim: k => [|k IH] /=; first by rewrite subrr mul0mx subr0.
by rewrite IH lsa_layer_k_step.
Qed.

(* lsa-multistep: after K layers every token block (Xz, Yz) -- context or   *)
(* query -- is (Xz, Yz - (W_K - W0) Xz).                                     *)
Theorem lsa_multistep K m (Xz : 'M[F]_(d, m)) (Yz : 'M[F]_(dy, m)) :
  lsa_run (col_mx Xz Yz) K = col_mx Xz (Yz - (pgd_iter K - W0) *m Xz).
Proof.
elim: K => [|K IH] /=; first by rewrite subrr mul0mx subr0.
by rewrite IH lsa_ctx_invariant lsa_layer_k_step.
Qed.

(* Readout: the query started at (x_q, -W0 x_q); minus its y-part after K   *)
(* layers is W_K x_q, the prediction of the K-th preconditioned-GD iterate. *)
Theorem lsa_multistep_readout K (xq : 'cV[F]_d) :
  - dsubmx (lsa_run (col_mx xq (- (W0 *m xq))) K) = pgd_iter K *m xq.
Proof.
by rewrite lsa_multistep col_mxKd mulmxBl opprB addrA addNr add0r opprK.
Qed.

(* ---- The alternative reading "W_V built from the current iterate" ----- *)

Definition lsa_multistep_current_WV (k : nat) : 'M[F]_(d + dy) :=
  block_mx 0 0 (pgd_iter k) (-1%:M).

(* A layer with the current iterate W_k in W_V, fed the tokens that the     *)
(* correct stack has produced after k layers, computes the update with      *)
(* the residual (W_k + (W_k - W0)) X - Y instead of W_k X - Y: the increment       *)
(* W_k - W0 is counted twice (once in the tokens, once in W_V).              *)
Lemma lsa_multistep_current_iterate_overshoots k m (Xz : 'M[F]_(d, m)) (Yz : 'M[F]_(dy, m)) :
  lsa (lsa_multistep_P k) (lsa_multistep_current_WV k) (lsa_multistep_WK k)
      (lsa_multistep_WQ k) (lsa_ctx k) (col_mx Xz Yz)
  = col_mx Xz (Yz + (eta k / N%:R) *:
        ((pgd_iter k + (pgd_iter k - W0)) *m X - Y) *m X^T *m Gam k *m Xz).
Proof.
rewrite lsa_ctx_invariant /lsa_multistep_P /lsa_multistep_current_WV.
rewrite /lsa_multistep_WK /lsa_multistep_WQ lsa_block_value -!scalemxAl.
have -> : pgd_iter k *m X - (Y - (pgd_iter k - W0) *m X)
          = (pgd_iter k + (pgd_iter k - W0)) *m X - Y.
  by rewrite [in RHS]mulmxDl opprB addrA.
by [].
Qed.

(* The stack that uses the current iterate in every layer. *)
Definition lsa_layer_cur_k (k : nat) (Ectx : 'M[F]_(D, N)) m (Z : 'M[F]_(D, m)) :=
  lsa (lsa_multistep_P k) (lsa_multistep_current_WV k) (lsa_multistep_WK k)
      (lsa_multistep_WQ k) Ectx Z.

Fixpoint lsa_ctx_cur (k : nat) : 'M[F]_(D, N) :=
  if k is k'.+1 then lsa_layer_cur_k k' (lsa_ctx_cur k') (lsa_ctx_cur k')
  else col_mx X Y.

Fixpoint lsa_run_cur m (Z : 'M[F]_(D, m)) (k : nat) : 'M[F]_(D, m) :=
  if k is k'.+1 then lsa_layer_cur_k k' (lsa_ctx_cur k') (lsa_run_cur Z k') else Z.

(* Two layers of the current-iterate stack: the prediction is the GD one    *)
(* minus an extra term (eta_1/N) (W_1 - W0) X X^T Gamma_1 x_q.              *)
Lemma lsa_multistep_current_iterate_two_layers (xq : 'cV[F]_d) :
  - dsubmx (lsa_run_cur (col_mx xq (- (W0 *m xq))) 2)
  = pgd_iter 2 *m xq
    - (eta 1 / N%:R) *: ((pgd_iter 1 - W0) *m X *m X^T *m Gam 1 *m xq).
Proof.
have e0 k (Ectx : 'M[F]_(D, N)) m (Z : 'M[F]_(D, m)) :
  k = 0%N -> lsa_layer_cur_k k Ectx Z = lsa_layer_k k Ectx Z by move->.
have c1 : lsa_ctx_cur 1 = lsa_ctx 1 by rewrite /= e0.
have r1 m (Z : 'M[F]_(D, m)) : lsa_run_cur Z 1 = lsa_run Z 1 by rewrite /= e0.
have -> : lsa_run_cur (col_mx xq (- (W0 *m xq))) 2
          = lsa_layer_cur_k 1 (lsa_ctx_cur 1) (lsa_run_cur (col_mx xq (- (W0 *m xq))) 1).
  by [].
rewrite c1 r1.
rewrite lsa_multistep /lsa_layer_cur_k lsa_multistep_current_iterate_overshoots col_mxKd.
rewrite (pgd_iterS 1); move: (pgd_iter 1) => W1.
have -> : (W1 + (W1 - W0)) *m X - Y = (W1 *m X - Y) + (W1 - W0) *m X.
  by rewrite mulmxDl addrAC.
rewrite -!scalemxAl !mulmxDl scalerDr !mulNmx -scalemxAl mulmxDl.
by rewrite mulNmx oppr_two_layers.
Qed.

End MultiStep.

(* A concrete instance (d = dy = N = 1, over rat) in which the current-iterate *)
(* stack does NOT reproduce two GD steps: X = Y = x_q = 1, W0 = 0,             *)
(* eta_k = Gamma_k = 1.  GD gives W_1 = W_2 = 1 (prediction 1); the stack with  *)
(* W_V = [[0,0],[W_k,-I]] predicts 0.                                          *)
Lemma lsa_multistep_current_iterate_wrong :
  exists (X Y W0 : 'M[rat]_1) (eta : nat -> rat) (Gam : nat -> 'M[rat]_1)
         (xq : 'cV[rat]_1),
    - dsubmx (@lsa_run_cur [fieldType of rat] 1 1 1 X Y W0 eta Gam 1 (col_mx xq (- (W0 *m xq))) 2)
    != @pgd_iter [fieldType of rat] 1 1 1 X Y W0 eta Gam 2 *m xq.
Proof.
exists 1%:M, 1%:M, 0, (fun _ => 1), (fun _ => 1%:M), 1%:M.
rewrite lsa_multistep_current_iterate_two_layers.
rewrite -subr_eq0 addrAC subrr add0r oppr_eq0.
rewrite /= /gradL mul0mx sub0r trmx1 !mulmx1 invr1 !scale1r subr0 sub0r opprK.
by apply/eqP => /matrixP /(_ 0 0); rewrite !mxE.
Qed.
