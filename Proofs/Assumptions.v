(* Print Assumptions for every main theorem.  Compiled and checked by      *)
(* check-assumptions.sh, which fails unless each report is "Closed under   *)
(* the global context" or lists only the axioms that the script allows for *)
(* that theorem.  Each Print Assumptions is preceded by a marker line.     *)
(* Not part of _CoqProject: it is compiled only by check-assumptions.sh.   *)

From ICL Require Import LSA DualForm Reddy.

(* lsa-gd *)
Goal True. idtac "ICL-ASSUMPTIONS lsa_gd". Abort.
Print Assumptions lsa_gd.
Goal True. idtac "ICL-ASSUMPTIONS lsa_gd_token". Abort.
Print Assumptions lsa_gd_token.
Goal True. idtac "ICL-ASSUMPTIONS lsa_gd_context". Abort.
Print Assumptions lsa_gd_context.
Goal True. idtac "ICL-ASSUMPTIONS lsa_gd_readout". Abort.
Print Assumptions lsa_gd_readout.
Goal True. idtac "ICL-ASSUMPTIONS lsa_gd_readout_step". Abort.
Print Assumptions lsa_gd_readout_step.
Goal True. idtac "ICL-ASSUMPTIONS gradL_is_gradient". Abort.
Print Assumptions gradL_is_gradient.

(* lsa-pgd *)
Goal True. idtac "ICL-ASSUMPTIONS lsa_pgd". Abort.
Print Assumptions lsa_pgd.
Goal True. idtac "ICL-ASSUMPTIONS lsa_pgd_readout". Abort.
Print Assumptions lsa_pgd_readout.

(* lsa-multistep *)
Goal True. idtac "ICL-ASSUMPTIONS lsa_multistep". Abort.
Print Assumptions lsa_multistep.
Goal True. idtac "ICL-ASSUMPTIONS lsa_multistep_readout". Abort.
Print Assumptions lsa_multistep_readout.
Goal True. idtac "ICL-ASSUMPTIONS lsa_ctx_invariant". Abort.
Print Assumptions lsa_ctx_invariant.
Goal True. idtac "ICL-ASSUMPTIONS lsa_multistep_current_iterate_overshoots". Abort.
Print Assumptions lsa_multistep_current_iterate_overshoots.
Goal True. idtac "ICL-ASSUMPTIONS lsa_multistep_current_iterate_two_layers". Abort.
Print Assumptions lsa_multistep_current_iterate_two_layers.
Goal True. idtac "ICL-ASSUMPTIONS lsa_multistep_current_iterate_wrong". Abort.
Print Assumptions lsa_multistep_current_iterate_wrong.

(* gd-plus-plus *)
Goal True. idtac "ICL-ASSUMPTIONS gd_plus_plus". Abort.
Print Assumptions gd_plus_plus.

(* dual-form *)
Goal True. idtac "ICL-ASSUMPTIONS dual_form_step". Abort.
Print Assumptions dual_form_step.
Goal True. idtac "ICL-ASSUMPTIONS dual_form". Abort.
Print Assumptions dual_form.
Goal True. idtac "ICL-ASSUMPTIONS dual_form_unrolled". Abort.
Print Assumptions dual_form_unrolled.
Goal True. idtac "ICL-ASSUMPTIONS dual_form_scaled". Abort.
Print Assumptions dual_form_scaled.
Goal True. idtac "ICL-ASSUMPTIONS dual_form_weight_decay". Abort.
Print Assumptions dual_form_weight_decay.
Goal True. idtac "ICL-ASSUMPTIONS dual_form_clipped". Abort.
Print Assumptions dual_form_clipped.
Goal True. idtac "ICL-ASSUMPTIONS dual_form_momentum". Abort.
Print Assumptions dual_form_momentum.

(* reddy-origin *)
Goal True. idtac "ICL-ASSUMPTIONS reddy_origin_value". Abort.
Print Assumptions reddy_origin_value.
Goal True. idtac "ICL-ASSUMPTIONS reddy_origin_gradient". Abort.
Print Assumptions reddy_origin_gradient.
Goal True. idtac "ICL-ASSUMPTIONS reddy_dalpha_xi0". Abort.
Print Assumptions reddy_dalpha_xi0.
Goal True. idtac "ICL-ASSUMPTIONS reddy_dbeta_xi0". Abort.
Print Assumptions reddy_dbeta_xi0.
Goal True. idtac "ICL-ASSUMPTIONS reddy_dbeta_alpha0". Abort.
Print Assumptions reddy_dbeta_alpha0.
Goal True. idtac "ICL-ASSUMPTIONS reddy_alpha0_limit". Abort.
Print Assumptions reddy_alpha0_limit.
Goal True. idtac "ICL-ASSUMPTIONS reddy_dalpha_alpha0". Abort.
Print Assumptions reddy_dalpha_alpha0.
Goal True. idtac "ICL-ASSUMPTIONS reddy_dalpha_nonzero". Abort.
Print Assumptions reddy_dalpha_nonzero.

(* reddy-saddle *)
Goal True. idtac "ICL-ASSUMPTIONS reddy_saddle_stationary". Abort.
Print Assumptions reddy_saddle_stationary.
Goal True. idtac "ICL-ASSUMPTIONS reddy_saddle". Abort.
Print Assumptions reddy_saddle.
Goal True. idtac "ICL-ASSUMPTIONS reddy_saddle_default". Abort.
Print Assumptions reddy_saddle_default.
