/** The Deep-KOA paper's published results (docs/deep-koa.md), shown beside ours. */
export const PUBLISHED_DEEP_KOA = {
  source:
    "Ningrum DNA, Kung WM, Tzeng IS, et al. J Multidiscip Healthc 2021;14:2477-2485, doi:10.2147/JMDH.S325179",
  data: "Taiwan NHIRD claims, 132,594 cases and 1,068,464 random controls (not age-matched)",
  auroc: 0.97,
  sensitivity: 0.89,
  specificity: 0.93,
  precision: 0.8,
  caveat:
    "Not comparable with these figures: different data (real claims, not a synthetic cohort), and the " +
    "published controls were not age-matched (mean age 51 vs 64 for cases), which inflates AUROC; the " +
    "published precision implies an evaluation prevalence near 24%, not the published cohort's 11% nor the ~0.2-2% of a " +
    "1-year incidence. Good non-imaging knee OA models reach AUROC 0.60-0.75 (docs/epidemiology.md).",
} as const;
