/**
 * summary.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) for the
 * population-health team: the disclaimer first, then the distribution, tiers, age and sex, data
 * quality and how the run was made. It holds counts only, no patient identifiers.
 */
import { FEATURE_RESOURCE_TYPES } from "../../../models/features/feature-resource-types.ts";
import { MODEL_DISCLAIMER } from "../../../shared/assess-risk.ts";
import { RISK_TIER_CONFIG, RISK_TIERS, type RiskTier } from "../../../shared/risk-tiers.ts";
import { DRIVERS_CAVEAT, DRIVERS_NOT_ADDITIVE } from "../../../shared/shown-drivers.ts";
import { UNMAPPED_CODES_KEPT, type BuilderQualityReport } from "../builder-totals.ts";
import type { RunIdentity } from "../checkpoint.ts";
import type { InputReport } from "../input-report.ts";
import type { RunTiming } from "../run-timing.ts";
import { describeMinAge, minAgeWarning } from "../min-age.ts";
import { HISTOGRAM_EDGES, NO_AGE_AT_INDEX, type PopulationTally } from "./population-tally.ts";
import { modelLabel } from "./risk-assessment.ts";
import { describeSelection, IMAGING_LIST_WORDS, listName, type Selection } from "./selection.ts";
import { KNEE_OA_AFTER_INDEX_WORDS, KNEE_OA_GRADED_WORDS, KNEE_REPLACED_WORDS, NOT_CURRENT_WORDS, OA_SITE_NOT_STATED_WORDS, OLD_BMI_WORDS, warningWords } from "./warning-words.ts";

/** How the run went, beyond its identity: shown, never compared between runs. */
export interface SummaryInput {
  identity: RunIdentity;
  input: InputReport;
  builderQuality: BuilderQualityReport;
  tally: PopulationTally;
  selection: Selection;
  timing: RunTiming;
}

const TIER_COLOURS: Record<RiskTier, string> = { low: "#5b8def", moderate: "#e0a100", high: "#c8372d" };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const percent = (p: number) => `${(p * 100).toFixed(p < 0.01 ? 2 : 1)}%`;
const share = (n: number, of: number) => (of === 0 ? "-" : `${((n / of) * 100).toFixed(1)}%`);
const number = (n: number) => n.toLocaleString("en-US");
/** A reason or warning code in words ("born_after_index": "born after index"), the same in every table. */
const words = (code: string) => code.replace(/_/g, " ");

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], empty = "none"): string {
  if (rows.length === 0) return `<p class="muted">${escape(empty)}</p>`;
  const cell = (v: string | number) => (typeof v === "number" ? `<td class="n">${number(v)}</td>` : `<td>${escape(v)}</td>`);
  return `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map(cell).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

const counted = <K extends string>(counts: Partial<Record<K, number>>) =>
  (Object.entries(counts) as [K, number][])
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, n]) => [key, n] as const);

function tierOf(binStart: number): RiskTier {
  const { moderate, high } = RISK_TIER_CONFIG.thresholds;
  return binStart >= high ? "high" : binStart >= moderate ? "moderate" : "low";
}

/** The types the model reads, for the caption of the resource counts. */
const MODEL_TYPES = [...FEATURE_RESOURCE_TYPES].join(", ");
/** And what the job reads beside them for its flags only (job-resource-types.ts JOB_READ): the KL
 * grade Observations, which the readers keep although they are not model input, and the type the
 * job reads beside the model's, which the readers keep only when it names a knee replacement
 * (record-assembler.ts). */
const CONTEXT_NOTE =
  "the imaging AI's Kellgren-Lawrence grade Observations are kept only to flag a knee graded 2 or more, never given to the model (nor counted as skipped); " +
  "Procedures are read only to flag a knee replacement on record, and only those that name one are kept, never given to the model";

/** Ids that resources reference as their patient but that no Patient resource has. */
const ORPHAN_WORDS = "patient ids referenced by resources but with no Patient resource in the input (not counted as patients, not scored)";

/** Height in px of the bar of a bin that holds anyone. */
const MIN_BAR = 3;

function histogram(tally: PopulationTally): string {
  const width = 640;
  const height = 220;
  const bars = tally.histogram.length;
  const barWidth = width / bars;
  const max = Math.max(1, ...tally.histogram);
  const starts = [0, ...HISTOGRAM_EDGES];
  const label = (i: number) => (i === bars - 1 ? `≥${percent(starts[i]!)}` : `${percent(starts[i]!)}–${percent(HISTOGRAM_EDGES[i]!)}`);
  const shapes = tally.histogram.map((count, i) => {
    // A bin with anyone in it stays visible (at least MIN_BAR px), however tall the largest one:
    // the few patients in the high bins are the ones an analyst looks for.
    const h = count === 0 ? 0 : Math.max(MIN_BAR, (count / max) * (height - 40));
    const x = i * barWidth;
    return (
      `<rect x="${x + 4}" y="${height - 20 - h}" width="${barWidth - 8}" height="${h}" fill="${TIER_COLOURS[tierOf(starts[i]!)]}"><title>${label(i)}: ${count}</title></rect>` +
      `<text x="${x + barWidth / 2}" y="${height - 24 - h}" text-anchor="middle">${number(count)}</text>` +
      `<text x="${x + barWidth / 2}" y="${height - 4}" text-anchor="middle">${escape(label(i))}</text>`
    );
  });
  return `<svg role="img" aria-label="Histogram of 1-year knee OA risk of the scored patients" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${shapes.join("")}</svg>`;
}

function ageSexTable(tally: PopulationTally): string {
  const bands = Object.keys(tally.ageSex).sort((a, b) => bandOrder(a) - bandOrder(b));
  const rows = bands.flatMap((band) =>
    Object.entries(tally.ageSex[band]!)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sex, c]) => [words(band), sex, c.patients, c.scored, c.scored === 0 ? "-" : percent(c.riskSum / c.scored), c.high]),
  );
  return table(["age band", "sex", "patients", "scored", "mean risk", "high tier"], rows);
}

function bandOrder(band: string): number {
  if (band === "under 18") return 0;
  if (band === "unknown") return 1000;
  const noAge = NO_AGE_AT_INDEX.indexOf(band as (typeof NO_AGE_AT_INDEX)[number]);
  if (noAge !== -1) return 1001 + noAge;
  return Number.parseInt(band, 10);
}

/** The codes the model did not recognise: how many, and the most frequent with their counts.
 * Codes only: a coding's display is free text a site may have typed anything into; and of the
 * codes, only those of a code's form (job/shown-code.ts), the others counted. */
function unmappedCodes({ distinctCodes, topCodes, codesNotKeptOccurrences, codesNotShownOccurrences }: BuilderQualityReport): string {
  const what = "Codes not recognised (the codings of a diagnosis, visit reason or medicine none of whose codings is in the model's value sets)";
  const notShown =
    codesNotShownOccurrences === 0
      ? ""
      : `<p>${escape(
          `Not shown: ${number(codesNotShownOccurrences)} occurrences of codes whose system is not a URI (http, https or urn) ` +
            "or whose code is not a plain code (at most 64 letters, digits and .-_:): such text may hold an identifier, so they are counted only here.",
        )}</p>`;
  if (distinctCodes === 0) return `<p>${what}: none${notShown === "" ? "" : " shown"}.</p>${notShown}`;
  const howMany =
    codesNotKeptOccurrences === 0
      ? `${number(distinctCodes)} distinct`
      : `more than ${number(UNMAPPED_CODES_KEPT)} distinct: the first ${number(UNMAPPED_CODES_KEPT)} seen are counted and listed from, ` +
        `and ${number(codesNotKeptOccurrences)} occurrences of others are counted only here`;
  const rows = topCodes.map((c) => [c.code, c.occurrences, c.patients]);
  return `<p>${escape(`${what}: ${howMany}; the ${topCodes.length} most frequent:`)}</p>${table(["system|code", "occurrences", "patients"], rows)}${notShown}`;
}

/** How the list is ordered (checkpoint.ts ranked: probability descending, then patient id). */
export const LIST_ORDER =
  "The list (high-risk.csv, high-risk-group.json) is ordered by risk, highest first, by the risk as the model gave it " +
  "(high-risk.csv rounds it to 4 places, so rows that show the same risk keep that order); patients with exactly the same risk are ordered by patient id.";

/** What the drivers are, and what their "points" are (the app's reasons say it the same way). */
export const DRIVERS_WORDS =
  "The drivers listed with a patient (high-risk.csv's driver_1 to driver_3, the RiskAssessments' rationale) are the model's, largest first, " +
  "whether they raise or lower the risk, as the CDS card and the app list them: each says which it does and by how many points. " +
  "A point is a percentage point of the 1-year risk: the risk minus the risk with that factor set to a neutral value " +
  "(raises by 2.0 points: 7.0% where the neutral value gives 5.0%).";

/** The headline card's caption for the imaging list (selection.ts isOnImagingList: the scored
 * patients with a knee graded KL 2 or more, which the tally counts). */
const IMAGING_CAPTION = "in imaging-knee-oa.csv: a knee graded KL 2 or more by the imaging AI, whatever the risk";

/** The headline card's caption for the list: its name, and when --top caps it, how many of how many. */
function listedCaption(tally: PopulationTally, selection: Selection): string {
  const name = `in the ${listName(selection.threshold)}`;
  // Only when --top leaves some out: a cap the list does not reach changes nothing.
  if (selection.top === null || tally.atOrAboveThreshold <= tally.listed) return name;
  return `${name}: the ${number(tally.listed)} riskiest of the ${number(tally.atOrAboveThreshold)} at or above ${percentOf(selection.threshold)} (--top ${selection.top})`;
}

const percentOf = (p: number) => `${(p * 100).toFixed(2)}%`;

/** A warning at the top of the page, as a screen reader announces it. */
const alert = (text: string) => `<p class="warning" role="alert">${escape(text)}</p>`;

function minAgeAlert(minAgeYears: number | null): string {
  const warning = minAgeWarning(minAgeYears);
  return warning === null ? "" : alert(`${warning}.`);
}

function exportErrorsWarning(outcomes: number | null): string {
  if (outcomes === null || outcomes === 0) return "";
  const errors = `${number(outcomes)} ${outcomes === 1 ? "error" : "errors"}`;
  const text =
    `The FHIR server's export reported ${errors} (OperationOutcomes, kept in export/errors/ beside these outputs): ` +
    "what it could not export is missing from patients' records, and a risk computed without a diagnosis or a medicine may be too low. " +
    "Read the errors, and run the export again once the server has fixed them.";
  return alert(text);
}

function staleDataWarning(tally: PopulationTally): string {
  const warning = tally.staleDataWarning();
  return warning === null ? "" : alert(warning);
}

function dataPastIndexWarning(tally: PopulationTally, selection: Selection): string {
  const warning = tally.dataPastIndexWarning(listName(selection.threshold));
  return warning === null ? "" : alert(warning);
}

/** A shard's summary counts its own patients beside the reader's counts of the whole input. */
function shardNote(shard: RunIdentity["shard"]): string {
  if (shard.count === 1) return "";
  return `<p class="muted">Shard ${shard.index} of ${shard.count} (0-based): the patients counted here are this shard's; what was read (Data quality, resources read by type) is counted over the whole input, which every shard reads. <code>npm run population -- merge</code> writes the whole population's summary.</p>\n`;
}

function notCurrentWarning(tally: PopulationTally): string {
  const warning = tally.notCurrentWarning();
  return warning === null ? "" : alert(warning);
}

export function summaryHtml({ identity, input, builderQuality, tally, selection, timing }: SummaryInput): string {
  const tierRows = [...RISK_TIERS].reverse().map((tier) => {
    const { moderate, high } = RISK_TIER_CONFIG.thresholds;
    const range = tier === "high" ? `≥ ${percent(high)}` : tier === "moderate" ? `${percent(moderate)} – ${percent(high)}` : `< ${percent(moderate)}`;
    return [RISK_TIER_CONFIG.labels[tier], range, tally.tiers[tier], share(tally.tiers[tier], tally.scored)];
  });
  const notScored = counted(tally.notScored).map(([reason, n]) => [words(reason), n]);
  const quality = [
    ...counted(tally.warnings).map(([w, n]) => [`scored with: ${warningWords(w)}`, n] as const),
    [`scored with: ${OLD_BMI_WORDS}`, tally.oldBmi] as const,
    [`scored with: ${KNEE_OA_GRADED_WORDS}`, tally.recentKneeOaGrade] as const,
    [`scored with: ${OA_SITE_NOT_STATED_WORDS}`, tally.oaSiteNotStated] as const,
    [`scored with: ${KNEE_REPLACED_WORDS}`, tally.kneeReplaced] as const,
    [`scored with: ${KNEE_OA_AFTER_INDEX_WORDS}`, tally.kneeOaAfterIndex] as const,
    [`listed with: ${KNEE_OA_AFTER_INDEX_WORDS}`, tally.listedKneeOaAfterIndex] as const,
    [ORPHAN_WORDS, tally.withoutPatientResource] as const,
    // Both: the warning is about the scored, and the unscored are often unscored for it.
    [`scored with: ${NOT_CURRENT_WORDS}`, tally.notCurrentScored] as const,
    [`patients, scored or not, with ${NOT_CURRENT_WORDS}`, tally.notCurrent] as const,
    ...counted(input.skipped).map(([r, n]) => [`skipped by the reader: ${r}`, n] as const),
    ...counted(input.flagged ?? {}).map(([r, n]) => [`read with a caveat: ${r}`, n] as const),
    ...counted(builderQuality.skipped).map(([r, n]) => [`skipped by the feature builder: ${r}`, n] as const),
  ].filter(([, n]) => n > 0);
  const run = [
    ["model", modelLabel(identity.model)],
    // Which rules scored the run (job/rules-version.ts): a report read later says what made it.
    ["Patella rules version", identity.rules],
    ["risk for the year starting", identity.indexDate],
    ["youngest age scored", describeMinAge(identity.minAgeYears)],
    ["data taken", input.dataTime ?? "local files (no export time)"],
    ["latest record in the data", tally.latestRecord ?? "none dated"],
    ["latest record before the index date", tally.latestRecordBeforeIndex ?? "none dated"],
    ["source", identity.source],
    ["input", `${input.format}, grouped by ${input.grouping}`],
    [listName(selection.threshold), describeSelection(selection)],
    ["drivers computed from risk", percent(identity.explainFrom)],
    ["names in high-risk.csv", identity.includeNames ? "yes" : "no"],
    ["run", timing.how],
    ["started", timing.startedAt],
    ["finished", timing.finishedAt],
    ["duration", `${timing.seconds.toFixed(1)} s`],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Patella population knee OA risk: ${escape(identity.indexDate)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dce4}
.warning{background:#fde8e8;border-left:5px solid #b42318;padding:.75rem 1rem}
.disclaimer{background:#fff4e5;border-left:5px solid #e0a100;padding:.75rem 1rem;font-weight:600}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .75rem;border-bottom:1px solid #e6e9ef;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#5d6678}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d8dce4;border-radius:6px;padding:.5rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.4rem}svg text{font-size:11px;fill:#1d2330}
</style></head><body>
<h1>Knee osteoarthritis risk in the population, year from ${escape(identity.indexDate)}</h1>
<p class="disclaimer" role="note">${escape(MODEL_DISCLAIMER)}</p>
${minAgeAlert(identity.minAgeYears)}${exportErrorsWarning(input.exportErrorOutcomes)}${staleDataWarning(tally)}${notCurrentWarning(tally)}${dataPastIndexWarning(tally, selection)}
<div class="cards">
<div class="card"><b>${number(tally.patients)}</b>patients</div>
<div class="card"><b>${number(tally.scored)}</b>scored</div>
<div class="card"><b>${number(tally.patients - tally.scored)}</b>not scored</div>
<div class="card"><b>${number(tally.listed)}</b>${escape(listedCaption(tally, selection))}</div>
<div class="card"><b>${number(tally.recentKneeOaGrade)}</b>${escape(IMAGING_CAPTION)}</div>
</div>
<p class="muted">${escape(LIST_ORDER)}</p>
<p class="muted">${escape(`imaging-knee-oa.csv (its Group: imaging-knee-oa-group.json) is ${IMAGING_LIST_WORDS}.`)}</p>
${shardNote(identity.shard)}<h2>Risk distribution</h2>
<p class="muted">1-year probability of a knee osteoarthritis diagnosis, scored patients; bars coloured by tier.</p>
${histogram(tally)}
<h2>Tiers</h2>
${table(["tier", "risk", "patients", "share of scored"], tierRows)}
<p class="muted">${escape(DRIVERS_WORDS)} ${escape(DRIVERS_NOT_ADDITIVE)} ${escape(DRIVERS_CAVEAT)}</p>
<h2>Not scored</h2>
${table(["reason", "patients"], notScored)}
<p class="muted">A patient may have more than one reason, so the rows can add up to more than the patients not scored.</p>
<h2>Age and sex</h2>
${ageSexTable(tally)}
<p class="muted">Patients born after the index date, or who died before it, have no age band: they have rows of their own, as in Not scored.</p>
<h2>Data quality</h2>
${table(["what", "count"], quality)}
${input.badLines.length === 0 ? "" : `<p>Bad lines, and lines read with a caveat (first ${input.badLines.length} by place; all are counted above):</p>${table(["place", "reason", "line"], input.badLines.map((b) => [b.where, b.reason, b.read === true ? "read" : "skipped"]))}`}
${input.ignoredFiles.length === 0 ? "" : `<p>Files not read:</p>${table(["file", "reason"], input.ignoredFiles.map((f) => [f.file, f.reason]))}`}
${unmappedCodes(builderQuality)}
<p>Resources read by type (every type in the input; the model reads ${escape(MODEL_TYPES)}, the Observations among them body measures only: what of these it could not use is counted above; ${CONTEXT_NOTE}):</p>
${table(["type", "resources"], counted(input.resourcesByType))}
<h2>Run</h2>
${table(["", ""], run)}
</body></html>
`;
}
