/**
 * Every number the cohort simulator uses, in one place.
 *
 * Each value is either PUBLISHED (with its citation; the sources are summarised in
 * docs/epidemiology.md) or an ASSUMPTION (a plausible value chosen for this
 * simulator, not taken from a study). Change assumptions freely; change published values only
 * with a new citation. models/cohort/README.md explains the design these numbers feed.
 */

/** Default last day of every record: fixed, never "today", so a seed always gives the same bytes. */
export const DEFAULT_END_DATE = "2025-12-31";

export const DAYS_PER_YEAR = 365.25;

// ---------------------------------------------------------------------------------------------
// Knee OA incidence (the target the hazard is calibrated to)

/**
 * PUBLISHED anchors: symptomatic knee OA incidence 240 per 100,000 person-years (age/sex
 * standardized), rising with age, women above men after 50, women aged 70-89 approaching 1% per
 * year (Oliveria SA et al., Arthritis Rheum 1995;38:1134).
 * ASSUMPTION: the per-band values between those anchors (the paper's band table was not
 * available); the female/male ratio after 50 is set near the published female OR of 1.68
 * (Silverwood et al., Osteoarthritis Cartilage 2015;23:507).
 * Rates per 100,000 person-years; band [from, to) in years of age.
 */
export const KNEE_OA_INCIDENCE_PER_100K = [
  { from: 20, to: 30, female: 10, male: 10 },
  { from: 30, to: 40, female: 40, male: 30 },
  { from: 40, to: 50, female: 150, male: 110 },
  { from: 50, to: 60, female: 400, male: 240 },
  { from: 60, to: 70, female: 720, male: 430 },
  { from: 70, to: 80, female: 980, male: 590 },
  { from: 80, to: 90, female: 960, male: 580 },
] as const;

/**
 * ASSUMPTION: standard population (share of person-years by band, both sexes equal) used to
 * age/sex-standardize the simulated incidence for comparison with the published 240/100,000;
 * roughly the US adult population aged 20-89 around 1990, the period Oliveria studied.
 */
export const STANDARD_POPULATION_WEIGHTS = [0.22, 0.22, 0.16, 0.12, 0.11, 0.08, 0.035] as const;

/** PUBLISHED: the age/sex-standardized incidence the table above must reproduce (Oliveria 1995). */
export const PUBLISHED_STANDARDIZED_INCIDENCE_PER_100K = 240;

/** ASSUMPTION: no onset before this age (the published bands start at 20). */
export const ONSET_MIN_AGE = 18;

// ---------------------------------------------------------------------------------------------
// Risk factors: multiplicative effects on the onset hazard

/**
 * PUBLISHED effects, used as hazard ratios. Odds ratios become hazard ratios by the rare-outcome
 * approximation: knee OA incidence is about 1% a year or less, so over the studies' follow-up
 * OR ~ RR ~ HR (ASSUMPTION: no Zhang-Yu correction, which would lower them by a few percent).
 * Effects multiply (ASSUMPTION: no interactions; the meta-analyses adjust only partially).
 */
export const HAZARD_RATIOS = {
  /** BMI 25-30 vs < 25, age >= 50 (Silverwood 2015). */
  overweight: 1.98,
  /** BMI >= 30 vs < 25 (Blagojevic et al., Osteoarthritis Cartilage 2010;18:24). */
  obese: 2.63,
  /** Previous knee injury before age 50: 3.86 (Blagojevic 2010, all ages). */
  kneeInjuryUnder50: 3.86,
  /** Previous knee injury at age >= 50: 2.83 (Silverwood 2015). */
  kneeInjuryFrom50: 2.83,
  /** Hand OA (Blagojevic 2010; SIDIAP gives HR 1.20). */
  handOa: 1.49,
  /** Prevalent hip OA (SIDIAP, Catalonia primary care). */
  hipOa: 1.15,
  /** Smoking: no effect (Silverwood 2015). Simulated so that a model can learn it is useless. */
  smoking: 1.0,
} as const;

/** BMI thresholds of the WHO categories used with the hazard ratios above. */
export const BMI_OVERWEIGHT = 25;
export const BMI_OBESE = 30;

/**
 * ASSUMPTION (exposure lag): an exposure acts on the onset hazard from the year of age after the
 * birthday on which it is present, i.e. the hazard in the year of age a uses the exposures held
 * on birthday a-1. OA develops over years after an injury or weight gain; the lag also makes the
 * hazard over any next 365 days a function of the state at its start, so the true 1-year risk
 * is exact given the latent state at the index date.
 */
export const EXPOSURE_LAG_YEARS = 1;

// ---------------------------------------------------------------------------------------------
// From onset to diagnosis

/**
 * ASSUMPTION: the delay from (latent) disease onset to the recorded diagnosis is Gamma(shape 2)
 * with a mean of 10 months; it is independent of everything else, including the prodrome.
 */
export const DIAGNOSIS_DELAY = { shape: 2, meanDays: 304 } as const;

/**
 * ASSUMPTION: the prodrome between onset and diagnosis. Knee pain visits arrive as a Poisson
 * process whose rate rises linearly from 0 at onset to `maxVisitsPerYear` after `rampDays`, and
 * stops at the diagnosis. The rate depends only on the time since onset, never on the future
 * diagnosis date, so the prodrome tells a model nothing the latent state does not.
 */
export const PRODROME = {
  maxVisitsPerYear: 4,
  rampDays: 240,
  /** Chance that a prodromal visit prescribes an oral NSAID, and paracetamol. */
  nsaidChance: 0.55,
  paracetamolChance: 0.4,
  /** Chance of an over-the-counter analgesic statement at a prodromal visit. */
  otcChance: 0.2,
} as const;

/**
 * ASSUMPTION: background knee pain (no knee OA) per year, rising with age and obesity, so that
 * knee pain is a signal, not a label.
 */
export const BACKGROUND_KNEE_PAIN = { basePerYear: 0.02, perDecadeOver40: 0.01, obeseFactor: 1.8 } as const;

/** ASSUMPTION: care after a knee OA diagnosis (never visible to features: index dates end at it). */
export const TREATMENT = {
  followUpVisitsPerYear: 2,
  nsaidChance: 0.7,
  nsaidSupplyDays: [30, 90],
  nsaidMaxRefills: 2,
  topicalNsaidChance: 0.3,
  injectionChance: 0.35,
  /** Days from the visit that decides on an injection to the injection. */
  injectionDelayDays: [7, 28],
  /** Share of corticosteroid (vs hyaluronic acid) injections. */
  corticosteroidInjectionShare: 0.75,
  physiotherapyChance: 0.5,
  physiotherapyStartDays: [14, 42],
  physiotherapySessions: 6,
  glucosamineChance: 0.15,
} as const;

// ---------------------------------------------------------------------------------------------
// Population and record

/** ASSUMPTION: age at the end date of a primary-care list (band [from, to), share). */
export const AGE_AT_END = [
  { from: 25, to: 35, share: 0.14 },
  { from: 35, to: 45, share: 0.15 },
  { from: 45, to: 55, share: 0.17 },
  { from: 55, to: 65, share: 0.18 },
  { from: 65, to: 75, share: 0.18 },
  { from: 75, to: 85, share: 0.12 },
  { from: 85, to: 95, share: 0.06 },
] as const;

/** ASSUMPTION: share of women. */
export const FEMALE_SHARE = 0.53;

/**
 * ASSUMPTION: years of record before the end date. Most records are long enough for 3 years of
 * history before each index date; `shortShare` joined the practice recently (noise).
 */
export const RECORD_YEARS = { longMin: 4.5, longMax: 8, shortShare: 0.15, shortMin: 1.2, shortMax: 4 } as const;

/**
 * Index dates: up to `max`, a year apart; the last at least a year before the end date, moved
 * back by up to `lastJitterDays`. Short records get one index date after `shortHistoryMinDays`.
 */
export const INDEX_DATES = { max: 3, spacingDays: 365, followUpDays: 365, historyDays: 1095, shortHistoryMinDays: 90, lastJitterDays: 180, minAge: 18 } as const;

/** ASSUMPTION: share of patients whose prescriptions are MedicationRequest (others: MedicationStatement). */
export const MEDICATION_REQUEST_SHARE = 0.6;

/** ASSUMPTION: how a patient's site codes diagnoses. */
export const CODING_STYLE_SHARES = { snomed: 0.35, icd10: 0.35, both: 0.3 } as const;

/** ASSUMPTION: data-quality noise. */
export const NOISE = {
  /** Patients with no BMI, weight or height ever recorded. */
  noBmiShare: 0.1,
  /** Chance that a visit records BMI (when the patient has measurements at all). */
  bmiPerVisit: 0.45,
  /** Chance that a BMI measurement also records weight and height. */
  weightHeightWithBmi: 0.35,
  /** Chance that a measurement records weight and height only, no BMI. */
  weightHeightOnly: 0.08,
  /** Chance that a diagnosis concept carries an extra unmapped local code. */
  localCodeExtra: 0.1,
  /** Visits for a reason coded only with a local code. */
  localOnlyVisitsPerYear: 0.3,
  /** Chance that a problem-list onset before the record start is written as a partial date. */
  partialOnsetDate: 0.3,
  /** Chance that an injury before the record start appears on the problem list. */
  pastInjuryOnProblemList: 0.5,
  /** BMI measurement error (SD, kg/m2). */
  bmiMeasurementSd: 0.4,
} as const;

// ---------------------------------------------------------------------------------------------
// Body size

/**
 * ASSUMPTION (shaped to NHANES-like US prevalence: about 40% obese and 35% overweight in
 * middle age): BMI at 18 is log-normal; it then drifts by a personal slope until 55, by 30% of
 * it until 70, and falls after 70; each year adds a random step.
 */
export const BMI = {
  medianAt18: { female: 23.6, male: 24.2 },
  sdLogAt18: 0.15,
  slopeMean: 0.15,
  slopeSd: 0.09,
  slopeFactor55to70: 0.3,
  declineAfter70: -0.12,
  yearlyStepSd: 0.45,
  min: 15,
  max: 60,
} as const;

/** ASSUMPTION: adult height in cm, normal. */
export const HEIGHT_CM = { female: { mean: 162, sd: 7 }, male: { mean: 176, sd: 7.5 } } as const;

// ---------------------------------------------------------------------------------------------
// Exposures in the hazard

/** ASSUMPTION: knee injuries per year by age (band [from, to)); more in the young and active. */
export const KNEE_INJURY_RATE = [
  { from: 12, to: 35, perYear: 0.005 },
  { from: 35, to: 55, perYear: 0.0025 },
  { from: 55, to: 100, perYear: 0.0012 },
] as const;

/** ASSUMPTION: kinds of knee injury and their shares. */
export const KNEE_INJURY_KINDS = { meniscus: 0.47, acl: 0.32, mcl: 0.21 } as const;

/** ASSUMPTION: lifetime chance and onset age (normal) of the OA exposures. */
export const HAND_OA = { lifetime: { female: 0.25, male: 0.12 }, onsetMean: 60, onsetSd: 9 } as const;
export const HIP_OA = { lifetime: { female: 0.12, male: 0.1 }, onsetMean: 66, onsetSd: 9 } as const;

/** ASSUMPTION: smoking history. */
export const SMOKING = { everShare: { female: 0.28, male: 0.35 }, startAge: 18, quitShare: 0.55, quitAgeMean: 45, quitAgeSd: 10 } as const;

// ---------------------------------------------------------------------------------------------
// Other chronic conditions (no effect on knee OA; they make the record look real)

/**
 * ASSUMPTION: lifetime chance by sex, onset age ~ Normal(mean, sd), and a BMI effect: the chance
 * is multiplied by (1 + bmiEffect * (BMI at 50 - 25) / 5), floored at 0. `visitsPerYear` are the
 * follow-up visits the condition adds while present; `drug` is the chance it is treated.
 */
export const CHRONIC = {
  hypertension: { female: 0.45, male: 0.5, onsetMean: 55, onsetSd: 12, bmiEffect: 0.35, visitsPerYear: 1, drug: 0.8 },
  hyperlipidemia: { female: 0.4, male: 0.45, onsetMean: 52, onsetSd: 11, bmiEffect: 0.15, visitsPerYear: 0.5, drug: 0.6 },
  type2Diabetes: { female: 0.13, male: 0.16, onsetMean: 56, onsetSd: 11, bmiEffect: 0.6, visitsPerYear: 2, drug: 0.85 },
  prediabetes: { female: 0.15, male: 0.15, onsetMean: 48, onsetSd: 12, bmiEffect: 0.4, visitsPerYear: 0.3, drug: 0 },
  coronaryDisease: { female: 0.08, male: 0.14, onsetMean: 66, onsetSd: 10, bmiEffect: 0.15, visitsPerYear: 1, drug: 0 },
  atrialFibrillation: { female: 0.06, male: 0.08, onsetMean: 72, onsetSd: 9, bmiEffect: 0.1, visitsPerYear: 0.7, drug: 0 },
  ckd: { female: 0.1, male: 0.09, onsetMean: 70, onsetSd: 10, bmiEffect: 0.1, visitsPerYear: 0.7, drug: 0 },
  depression: { female: 0.2, male: 0.11, onsetMean: 40, onsetSd: 14, bmiEffect: 0.1, visitsPerYear: 0.8, drug: 0.15 },
  anxiety: { female: 0.18, male: 0.1, onsetMean: 35, onsetSd: 14, bmiEffect: 0, visitsPerYear: 0.5, drug: 0 },
  osteoporosis: { female: 0.2, male: 0.05, onsetMean: 68, onsetSd: 9, bmiEffect: -0.3, visitsPerYear: 0.3, drug: 0 },
  chronicBackPain: { female: 0.3, male: 0.28, onsetMean: 45, onsetSd: 13, bmiEffect: 0.2, visitsPerYear: 0.8, drug: 0.5 },
  rheumatoidArthritis: { female: 0.012, male: 0.006, onsetMean: 52, onsetSd: 12, bmiEffect: 0, visitsPerYear: 2, drug: 0.8 },
  gout: { female: 0.02, male: 0.06, onsetMean: 55, onsetSd: 12, bmiEffect: 0.5, visitsPerYear: 0.5, drug: 0.6 },
  metabolicSyndrome: { female: 0.1, male: 0.1, onsetMean: 52, onsetSd: 12, bmiEffect: 0.8, visitsPerYear: 0.2, drug: 0 },
  cataract: { female: 0.4, male: 0.35, onsetMean: 72, onsetSd: 8, bmiEffect: 0, visitsPerYear: 0.3, drug: 0 },
} as const;
export type ChronicKey = keyof typeof CHRONIC;

/** ASSUMPTION: hand and hip OA, once present, add these follow-up visits per year. */
export const OA_EXPOSURE_VISITS_PER_YEAR = 0.4;

// ---------------------------------------------------------------------------------------------
// Visits and acute episodes

/** ASSUMPTION: routine visits per year: base + perDecadeOver40 for each decade above 40. */
export const ROUTINE_VISITS = { basePerYear: 0.8, perDecadeOver40: 0.35 } as const;

/** ASSUMPTION: acute episodes per year, each one visit coded as an encounter diagnosis. */
export const ACUTE_EPISODES = {
  respiratoryInfection: { perYear: 0.35, prednisoneChance: 0.03 },
  conjunctivitis: { perYear: 0.04 },
  backPainEpisode: { perYear: 0.08, nsaidChance: 0.5, paracetamolChance: 0.3, tramadolChance: 0.06 },
} as const;

/**
 * ASSUMPTION: how visits are documented (chances per visit, delays in days as [min, max]).
 */
export const RECORD_DETAIL = {
  /** A present chronic condition is reviewed (coded) at a routine visit; at most `maxReviewed`. */
  reviewedAtRoutineVisit: 0.35,
  maxReviewed: 2,
  /** Days from onset (or record start) until a condition reaches the problem list. */
  problemListDelayDays: [0, 60],
  /** Days from a chronic condition's onset to its first prescription. */
  firstPrescriptionDelayDays: [0, 90],
  /** Share of NSAIDs (vs paracetamol) at a back pain follow-up that prescribes. */
  backPainNsaidShare: 0.6,
  smokingStatusPerVisit: 0.15,
  /** A BMI >= 25 measurement is coded as overweight/obesity. */
  weightCodedAtMeasurement: 0.25,
  /** A knee pain or knee OA visit records a 0-10 pain score. */
  painScoreChance: 0.5,
  painScores: { background: [2, 5], prodrome: [4, 8] },
  backgroundKneePainNsaid: 0.4,
  backgroundKneePainParacetamol: 0.3,
  injuryNsaidChance: 0.6,
  injuryFollowUpDays: [14, 42],
  /** Days until an injury is resolved on the problem list. */
  injuryResolvedDays: [120, 300],
} as const;

/** ASSUMPTION: prescriptions. Supplies are 28, 30 or 90 days; chronic drugs renew yearly. */
export const PRESCRIBING = {
  acuteSupplyDays: [28, 30] as const,
  acuteMaxRefills: 2,
  chronicSupplyDays: 90,
  chronicRefills: 3,
  /** Chance a chronic drug stops at a yearly renewal. */
  chronicStopPerYear: 0.05,
} as const;
