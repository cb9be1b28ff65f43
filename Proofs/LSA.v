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
