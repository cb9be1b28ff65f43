(* ========================================================================= *)
(*  reddy-origin, reddy-saddle: Reddy's three-parameter induction-head loss  *)
(*  (REFERENCE.md section 4), over Coq's classical reals, with Coquelicot.   *)
(*                                                                           *)
(*    Loss(beta, alpha, xi) = log(1 + (N-1) e^{-u} + (L-N) e^{-u'})          *)
(*    u  = xi (e^{alpha y} - 1) / (e^{alpha y} + 2N)                         *)
(*    u' = xi e^{alpha y}       / (e^{alpha y} + 2N),   y = y(beta)          *)
(*                                                                           *)
(*  y is an ARBITRARY function R -> R in every statement below (not even     *)
(*  continuity is needed: at the points considered the loss does not depend  *)
(*  on y, or only on the single value y(0)).  The documented default is      *)
(*  reddy_y_default: y(beta) = e^beta / (e^beta + 2N).                        *)
(*  Partial derivatives are derivatives of the one-variable restrictions     *)
(*  (Coquelicot's is_derive).                                                *)
(* ========================================================================= *)

Require Import Reals Lra Psatz.
From Coquelicot Require Import Coquelicot.

Local Open Scope R_scope.

Section Reddy.

Variables N L : nat.
Variable y : R -> R.

Definition reddy_y_default (beta : R) : R := exp beta / (exp beta + 2 * INR N).

Definition reddy_u (beta alpha xi : R) : R :=
  xi * (exp (alpha * y beta) - 1) / (exp (alpha * y beta) + 2 * INR N).

Definition reddy_u' (beta alpha xi : R) : R :=
  xi * exp (alpha * y beta) / (exp (alpha * y beta) + 2 * INR N).

Definition reddy_loss (beta alpha xi : R) : R :=
  ln (1 + (INR N - 1) * exp (- reddy_u beta alpha xi)
        + (INR L - INR N) * exp (- reddy_u' beta alpha xi)).

(* At xi = 0 the loss is log L whatever beta and alpha. *)
Lemma reddy_loss_xi0 beta alpha : reddy_loss beta alpha 0 = ln (INR L).
Proof.
unfold reddy_loss, reddy_u, reddy_u'.
rewrite !Rmult_0_l; unfold Rdiv; rewrite !Rmult_0_l, Ropp_0, exp_0.
f_equal; ring.
Qed.

(* At alpha = 0 the loss does not depend on beta (nor on y). *)
Lemma reddy_loss_alpha0 beta xi :
  reddy_loss beta 0 xi = ln (INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))).
Proof.
unfold reddy_loss, reddy_u, reddy_u'.
rewrite !Rmult_0_l, exp_0.
replace (1 - 1) with 0 by ring.
unfold Rdiv; rewrite Rmult_0_r, Rmult_0_l, Ropp_0, exp_0, Rmult_1_r.
f_equal; rewrite Rmult_1_r; ring.
Qed.

(* reddy-origin: value at the origin = log L (chance). *)
Theorem reddy_origin_value : reddy_loss 0 0 0 = ln (INR L).
Proof. apply reddy_loss_xi0. Qed.

(* Positivity facts used below. *)
Lemma INR_2N1_pos : 0 < 1 + 2 * INR N.
Proof. generalize (pos_INR N); lra. Qed.

(* alpha feels no gradient while xi = 0 (any beta, alpha). *)
Theorem reddy_dalpha_xi0 beta alpha :
  is_derive (fun a => reddy_loss beta a 0) alpha 0.
Proof.
apply (is_derive_ext (fun _ => ln (INR L))).
  intro a; symmetry; apply reddy_loss_xi0.
apply (is_derive_const (ln (INR L))).
Qed.

(* beta feels no gradient while xi = 0 ... *)
Theorem reddy_dbeta_xi0 beta alpha :
  is_derive (fun b => reddy_loss b alpha 0) beta 0.
Proof.
apply (is_derive_ext (fun _ => ln (INR L))).
  intro b; symmetry; apply reddy_loss_xi0.
apply (is_derive_const (ln (INR L))).
Qed.

(* ... nor while alpha = 0: beta is learned only once alpha * xi <> 0. *)
Theorem reddy_dbeta_alpha0 beta xi :
  is_derive (fun b => reddy_loss b 0 xi) beta 0.
Proof.
apply (is_derive_ext
  (fun _ => ln (INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))))).
  intro b; symmetry; apply reddy_loss_alpha0.
apply (is_derive_const (ln (INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))))).
Qed.

(* d/dxi at alpha = 0, any beta and xi. *)
Lemma reddy_dxi_alpha0 beta xi :
  0 < INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N))) ->
  is_derive (fun x => reddy_loss beta 0 x) xi
    (- (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))
     / ((1 + 2 * INR N) * (INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))))).
Proof.
intro Hpos.
apply (is_derive_ext
  (fun x => ln (INR N + (INR L - INR N) * exp (- (x / (1 + 2 * INR N)))))).
  intro x; symmetry; apply reddy_loss_alpha0.
generalize INR_2N1_pos; intro H2N.
auto_derive.
  exact Hpos.
unfold Rdiv in *; set (E := exp (- (xi * / (1 + 2 * INR N)))) in *.
field; split; lra.
Qed.

(* At alpha = 0 the loss tends to log N as xi -> +infinity (the model picks *)
(* one of the N context labels at random).  Needs N >= 1.                   *)
Theorem reddy_alpha0_limit beta :
  (1 <= N)%nat -> is_lim (fun xi => reddy_loss beta 0 xi) p_infty (ln (INR N)).
Proof.
intro HN; apply (le_INR 1) in HN; simpl in HN.
generalize INR_2N1_pos; intro H2N.
apply (is_lim_ext
  (fun xi => ln (INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))))).
  intro xi; symmetry; apply reddy_loss_alpha0.
replace (ln (INR N)) with (ln (INR N + (INR L - INR N) * 0)) by (f_equal; ring).
apply (is_lim_comp_continuous
  (fun xi => INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N)))) ln).
- apply (is_lim_plus' (fun _ => INR N)
    (fun xi => (INR L - INR N) * exp (- (xi / (1 + 2 * INR N))))).
    apply is_lim_const.
  apply (is_lim_scal_l (fun xi => exp (- (xi / (1 + 2 * INR N)))) (INR L - INR N) p_infty 0).
  apply (is_lim_comp exp (fun xi => - (xi / (1 + 2 * INR N))) p_infty 0 m_infty).
  + apply is_lim_exp_m.
  + intros P [M HM]; exists (- M * (1 + 2 * INR N)); intros x Hx; apply HM.
    apply (Rmult_lt_reg_r (1 + 2 * INR N)); [exact H2N |].
    unfold Rdiv; rewrite Ropp_mult_distr_l, Rmult_assoc, Rinv_l by lra.
    lra.
  + exists 0; intros x _; discriminate.
- apply continuity_pt_filterlim, derivable_continuous_pt.
  exists (/ (INR N + (INR L - INR N) * 0)).
  apply derivable_pt_lim_ln; lra.
Qed.

(* d/dalpha at alpha = 0 (any beta, xi):                                    *)
(*   -xi y(beta) [ (N-1)/(1+2N) + (L-N) e^{-w} 2N/(1+2N)^2 ] / (N + (L-N) e^{-w}), *)
(* w = xi/(1+2N).                                                            *)
Lemma reddy_dalpha_alpha0 beta xi :
  (1 <= N)%nat -> (N <= L)%nat ->
  is_derive (fun a => reddy_loss beta a xi) 0
    (- (xi * y beta) *
       ((INR N - 1) / (1 + 2 * INR N)
        + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N))) * (2 * INR N)
          / ((1 + 2 * INR N) * (1 + 2 * INR N)))
     / (INR N + (INR L - INR N) * exp (- (xi / (1 + 2 * INR N))))).
Proof.
intros HN HL; apply (le_INR 1) in HN; apply le_INR in HL; simpl in HN.
assert (H2N : 0 < 1 + 2 * INR N) by lra.
assert (He : 0 < exp (- (xi / (1 + 2 * INR N)))) by apply exp_pos.
unfold reddy_loss, reddy_u, reddy_u'.
assert (Hz : forall a b : R, a * (1 + - (1)) * b = 0) by (intros; ring).
auto_derive; rewrite !Rmult_0_l, !exp_0, ?Hz, ?Ropp_0, ?exp_0, !Rmult_1_r;
  unfold Rdiv in *; set (E := exp (- (xi * / (1 + 2 * INR N)))) in *.
- repeat split; nra.
- field; split; nra.
Qed.

(* alpha feels a gradient once xi > 0: for N >= 2 and xi y(beta) <> 0 the   *)
(* derivative in alpha at alpha = 0 is nonzero.                              *)
Theorem reddy_dalpha_nonzero beta xi :
  (2 <= N)%nat -> (N <= L)%nat -> xi * y beta <> 0 ->
  exists l, is_derive (fun a => reddy_loss beta a xi) 0 l /\ l <> 0.
Proof.
intros HN HL Hxy.
assert (HN1 : (1 <= N)%nat) by (apply (Nat.le_trans _ 2); auto).
eexists; split; [apply (reddy_dalpha_alpha0 beta xi HN1 HL) |].
apply (le_INR 2) in HN; apply le_INR in HL; simpl in HN.
assert (H2N : 0 < 1 + 2 * INR N) by lra.
assert (He : 0 < exp (- (xi / (1 + 2 * INR N)))) by apply exp_pos.
set (E := exp (- (xi / (1 + 2 * INR N)))) in *.
assert (Hb : 0 < (INR N - 1) / (1 + 2 * INR N)
                 + (INR L - INR N) * E * (2 * INR N) / ((1 + 2 * INR N) * (1 + 2 * INR N))).
  apply Rplus_lt_le_0_compat.
    apply Rdiv_lt_0_compat; lra.
  apply Rmult_le_pos; [| left; apply Rinv_0_lt_compat; nra].
  apply Rmult_le_pos; [| lra]; apply Rmult_le_pos; lra.
assert (HS : 0 < INR N + (INR L - INR N) * E) by nra.
unfold Rdiv; apply Rmult_integral_contrapositive_currified;
  [apply Rmult_integral_contrapositive_currified; [lra | lra] |].
apply Rinv_neq_0_compat; lra.
Qed.

(* reddy-origin: the gradient at the origin, in (beta, alpha, xi), is      *)
(*   (0, 0, -(L - N) / (L (2N + 1))).                                        *)
Theorem reddy_origin_gradient :
  (0 < L)%nat ->
  is_derive (fun b => reddy_loss b 0 0) 0 0 /\
  is_derive (fun a => reddy_loss 0 a 0) 0 0 /\
  is_derive (fun x => reddy_loss 0 0 x) 0 (- (INR L - INR N) / (INR L * (2 * INR N + 1))).
Proof.
intro HL; apply lt_0_INR in HL.
split; [apply reddy_dbeta_xi0 | split; [apply reddy_dalpha_xi0 |]].
assert (E0 : exp (- (0 / (1 + 2 * INR N))) = 1).
  unfold Rdiv; rewrite Rmult_0_l, Ropp_0; apply exp_0.
assert (Hpos : 0 < INR N + (INR L - INR N) * exp (- (0 / (1 + 2 * INR N)))).
  rewrite E0; lra.
generalize (reddy_dxi_alpha0 0 0 Hpos); rewrite E0.
replace (- (INR L - INR N) * 1 / ((1 + 2 * INR N) * (INR N + (INR L - INR N) * 1)))
  with (- (INR L - INR N) / (INR L * (2 * INR N + 1))); [tauto |].
generalize INR_2N1_pos; intro H2N.
field; split; lra.
Qed.

(* ---- reddy-saddle: L = N ---- *)

(* For L = N the origin is a stationary point: all three partials vanish. *)
Theorem reddy_saddle_stationary :
  L = N -> (0 < N)%nat ->
  is_derive (fun b => reddy_loss b 0 0) 0 0 /\
  is_derive (fun a => reddy_loss 0 a 0) 0 0 /\
  is_derive (fun x => reddy_loss 0 0 x) 0 0.
Proof.
intros HLN HN.
assert (HL : (0 < L)%nat) by (rewrite HLN; exact HN).
destruct (reddy_origin_gradient HL) as [Hb [Ha Hx]].
split; [exact Hb | split; [exact Ha |]].
rewrite HLN in Hx.
replace (- (INR N - INR N) / (INR N * (2 * INR N + 1))) with 0 in Hx; [exact Hx |].
unfold Rdiv; ring.
Qed.

Lemma reddy_loss_LN beta alpha xi :
  L = N -> reddy_loss beta alpha xi = ln (1 + (INR N - 1) * exp (- reddy_u beta alpha xi)).
Proof.
intro HLN; unfold reddy_loss; rewrite HLN.
f_equal; ring.
Qed.

Lemma saddle_below w :
  (2 <= N)%nat -> 0 < w -> ln (1 + (INR N - 1) * exp (- w)) < ln (INR N).
Proof.
intros HN Hw.
assert (HN2 : 2 <= INR N) by (apply (le_INR 2) in HN; simpl in HN; lra).
assert (He : exp (- w) < 1) by (rewrite <- exp_0; apply exp_increasing; lra).
assert (He0 : 0 < exp (- w)) by apply exp_pos.
apply ln_increasing; nra.
Qed.

Lemma saddle_above w :
  (2 <= N)%nat -> w < 0 -> ln (INR N) < ln (1 + (INR N - 1) * exp (- w)).
Proof.
intros HN Hw.
assert (HN2 : 2 <= INR N) by (apply (le_INR 2) in HN; simpl in HN; lra).
assert (He : 1 < exp (- w)) by (rewrite <- exp_0; apply exp_increasing; lra).
apply ln_increasing; nra.
Qed.

(* For L = N >= 2 and y(0) <> 0 the origin is a saddle: arbitrarily close   *)
(* to it (beta = 0, |alpha|, |xi| < eps) the loss takes values strictly     *)
(* below and strictly above Loss(0,0,0) = log N; so it is neither a local   *)
(* minimum nor a local maximum.                                              *)
Theorem reddy_saddle :
  L = N -> (2 <= N)%nat -> y 0 <> 0 ->
  forall eps, 0 < eps ->
  exists a1 x1 a2 x2,
    Rabs a1 < eps /\ Rabs x1 < eps /\ Rabs a2 < eps /\ Rabs x2 < eps /\
    reddy_loss 0 a1 x1 < reddy_loss 0 0 0 /\ reddy_loss 0 0 0 < reddy_loss 0 a2 x2.
Proof.
intros HLN HN Hy eps Heps.
set (t := eps / 2).
assert (Ht : 0 < t) by (unfold t; lra).
assert (Hteps : Rabs t < eps) by (rewrite Rabs_right; unfold t; lra).
assert (Hmteps : Rabs (- t) < eps) by (rewrite Rabs_Ropp; exact Hteps).
set (k := (exp (t * y 0) - 1) / (exp (t * y 0) + 2 * INR N)).
assert (Hu : forall x, reddy_u 0 t x = x * k).
  intro x; unfold reddy_u, k, Rdiv; ring.
assert (Hk : k <> 0).
  assert (Hden : 0 < exp (t * y 0) + 2 * INR N).
    generalize (exp_pos (t * y 0)) (pos_INR N); lra.
  assert (Hnum : exp (t * y 0) - 1 <> 0).
    intro H; assert (H1 : exp (t * y 0) = exp 0) by (rewrite exp_0; lra).
    apply exp_inv in H1; apply Rmult_integral in H1; destruct H1; lra.
  unfold k, Rdiv; apply Rmult_integral_contrapositive_currified; auto.
  apply Rinv_neq_0_compat; lra.
assert (H0 : reddy_loss 0 0 0 = ln (INR N)).
  rewrite reddy_origin_value, HLN; reflexivity.
rewrite H0.
destruct (Rtotal_order (t * k) 0) as [Hneg | [Hz | Hpos]].
- exists t, (- t), t, t; repeat split; auto.
  + rewrite reddy_loss_LN, Hu by exact HLN; apply saddle_below; auto; nra.
  + rewrite reddy_loss_LN, Hu by exact HLN; apply saddle_above; auto.
- apply Rmult_integral in Hz; destruct Hz; [lra | contradiction].
- exists t, t, t, (- t); repeat split; auto.
  + rewrite reddy_loss_LN, Hu by exact HLN; apply saddle_below; auto.
  + rewrite reddy_loss_LN, Hu by exact HLN; apply saddle_above; auto; nra.
Qed.

End Reddy.

(* The documented default y(beta) = e^beta/(e^beta + 2N) has y(0) = 1/(1+2N) *)
(* <> 0, so for the default the origin is a saddle when L = N >= 2.          *)
Lemma reddy_y_default_0_neq0 N : reddy_y_default N 0 <> 0.
Proof.
unfold reddy_y_default; rewrite exp_0.
assert (0 < 1 + 2 * INR N) by (generalize (pos_INR N); lra).
unfold Rdiv; apply Rmult_integral_contrapositive_currified; [lra |].
apply Rinv_neq_0_compat; lra.
Qed.

Corollary reddy_saddle_default N :
  (2 <= N)%nat ->
  forall eps, 0 < eps ->
  exists a1 x1 a2 x2,
    Rabs a1 < eps /\ Rabs x1 < eps /\ Rabs a2 < eps /\ Rabs x2 < eps /\
    reddy_loss N N (reddy_y_default N) 0 a1 x1 < reddy_loss N N (reddy_y_default N) 0 0 0 /\
    reddy_loss N N (reddy_y_default N) 0 0 0 < reddy_loss N N (reddy_y_default N) 0 a2 x2.
Proof.
intro HN; apply reddy_saddle; auto; apply reddy_y_default_0_neq0.
Qed.
