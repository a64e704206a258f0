/**
 * Knee replacement: the procedure (SNOMED CT, ICD-10-PCS, CPT) and the status it leaves on the
 * problem list (ICD-10-CM Z96.65, presence of an artificial knee joint). Knee replacement is
 * done above all for knee osteoarthritis, so a patient with one on record most likely has the
 * disease already, whether or not a knee OA code was charted; the card and the app say so beside
 * the risk (shared/knee-replaced.ts). Not a channel and not the outcome: this table feeds no model
 * input (the feature builder reads no Procedure, and no diagnosis channel holds Z96.65: checked by
 * test/shared/valuesets/knee-replaced.test.ts), so it is outside VALUE_SETS_VERSION.
 *
 * The procedures are the NLM VSAC "Knee Replacement Surgery" value set but for its three SNOMED CT
 * "repair of joint of knee" concepts and its four ICD-10-PCS "supplement knee joint with
 * (non)autologous tissue" codes, which name no replacement and leave no prosthesis.
 */
import { deepFreeze } from "./deep-freeze.ts";
import { cpt, icd10, pcs, sct } from "./entries.ts";
import { conceptInSet } from "./lookup.ts";
import type { ValueSet } from "./types.ts";

type Row = readonly [code: string, display: string];

/** ICD-10-PCS rows of one operation on both sides: [code without its body-part character, right, left]. */
function bothSides(prefix: string, right: string, left: string, rest: string, display: (side: string) => string): Row[] {
  return [
    [`${prefix}${right}${rest}`, display("Right")],
    [`${prefix}${left}${rest}`, display("Left")],
  ];
}

/** The replacement devices of ICD-10-PCS table 0SR for the whole knee joint (character 6, and 7). */
const KNEE_JOINT_DEVICES: readonly (readonly [string, string])[] = [
  ["069", "Oxidized Zirconium on Polyethylene Synthetic Substitute, Cemented"],
  ["06A", "Oxidized Zirconium on Polyethylene Synthetic Substitute, Uncemented"],
  ["06Z", "Oxidized Zirconium on Polyethylene Synthetic Substitute"],
  ["07Z", "Autologous Tissue Substitute"],
  ["0EZ", "Articulating Spacer"],
  ["0J9", "Synthetic Substitute, Cemented"],
  ["0JA", "Synthetic Substitute, Uncemented"],
  ["0JZ", "Synthetic Substitute"],
  ["0KZ", "Nonautologous Tissue Substitute"],
  ["0L9", "Medial Unicondylar Synthetic Substitute, Cemented"],
  ["0LA", "Medial Unicondylar Synthetic Substitute, Uncemented"],
  ["0LZ", "Medial Unicondylar Synthetic Substitute"],
  ["0M9", "Lateral Unicondylar Synthetic Substitute, Cemented"],
  ["0MA", "Lateral Unicondylar Synthetic Substitute, Uncemented"],
  ["0MZ", "Lateral Unicondylar Synthetic Substitute"],
  ["0N9", "Patellofemoral Synthetic Substitute, Cemented"],
  ["0NA", "Patellofemoral Synthetic Substitute, Uncemented"],
  ["0NZ", "Patellofemoral Synthetic Substitute"],
];
/** The devices of table 0SR for one surface of the knee joint. */
const SURFACE_DEVICES = KNEE_JOINT_DEVICES.filter(([code]) => ["07Z", "0J9", "0JA", "0JZ", "0KZ"].includes(code));
/** Body-part characters, right then left: the knee joint, its femoral and tibial surfaces (0S), the patella (0Q). */
const SURFACES = [
  ["T", "U", "Femoral Surface"],
  ["V", "W", "Tibial Surface"],
] as const;

const PCS_ROWS: readonly Row[] = [
  ...KNEE_JOINT_DEVICES.flatMap(([device, name]) => bothSides("0SR", "C", "D", device, (side) => `Replacement of ${side} Knee Joint with ${name}, Open Approach`)),
  ...SURFACES.flatMap(([right, left, surface]) =>
    SURFACE_DEVICES.flatMap(([device, name]) => bothSides("0SR", right, left, device, (side) => `Replacement of ${side} Knee Joint, ${surface} with ${name}, Open Approach`)),
  ),
  ...bothSides("0QR", "D", "F", "0JZ", (side) => `Replacement of ${side} Patella with Synthetic Substitute, Open Approach`),
  ...bothSides("0QU", "D", "F", "0JZ", (side) => `Supplement ${side} Patella with Synthetic Substitute, Open Approach`),
  ...bothSides("0QP", "D", "F", "0JZ", (side) => `Removal of Synthetic Substitute from ${side} Patella, Open Approach`),
  ...bothSides("0SP", "C", "D", "09Z", (side) => `Removal of Liner from ${side} Knee Joint, Open Approach`),
  ...bothSides("0SP", "C", "D", "0JC", (side) => `Removal of Synthetic Substitute from ${side} Knee Joint, Patellar Surface, Open Approach`),
  ...bothSides("0SP", "C", "D", "0JZ", (side) => `Removal of Synthetic Substitute from ${side} Knee Joint, Open Approach`),
  ...SURFACES.flatMap(([right, left, surface]) =>
    bothSides("0SP", right, left, "0JZ", (side) => `Removal of Synthetic Substitute from ${side} Knee Joint, ${surface}, Open Approach`),
  ),
  ...bothSides("0SU", "C", "D", "09C", (side) => `Supplement ${side} Knee Joint with Liner, Patellar Surface, Open Approach`),
  ...bothSides("0SU", "C", "D", "09Z", (side) => `Supplement ${side} Knee Joint with Liner, Open Approach`),
  ...bothSides("0SU", "C", "D", "0JZ", (side) => `Supplement ${side} Knee Joint with Synthetic Substitute, Open Approach`),
  ...SURFACES.flatMap(([right, left, surface]) => bothSides("0SU", right, left, "09Z", (side) => `Supplement ${side} Knee Joint, ${surface} with Liner, Open Approach`)),
  ...bothSides("0SW", "C", "D", "09Z", (side) => `Revision of Liner in ${side} Knee Joint, Open Approach`),
  ...bothSides("0SW", "C", "D", "0JC", (side) => `Revision of Synthetic Substitute in ${side} Knee Joint, Patellar Surface, Open Approach`),
  ...bothSides("0SW", "C", "D", "0JZ", (side) => `Revision of Synthetic Substitute in ${side} Knee Joint, Open Approach`),
  ...SURFACES.flatMap(([right, left, surface]) =>
    bothSides("0SW", right, left, "0JZ", (side) => `Revision of Synthetic Substitute in ${side} Knee Joint, ${surface}, Open Approach`),
  ),
];

export const KNEE_REPLACED: ValueSet<"knee_replaced"> = deepFreeze({
  id: "knee_replaced",
  title: "Knee replacement, done or present (not a channel)",
  codes: [
    ...sct("VSAC knee replacement surgery", [
      ["609588000", "Total knee replacement"],
      ["443682009", "Total replacement of right knee joint"],
      ["443681002", "Total replacement of left knee joint"],
      ["444463001", "Replacement of bilateral knee joints"],
      ["179344006", "Primary cemented total knee replacement"],
      ["179351002", "Primary uncemented total knee replacement"],
      ["179345007", "Conversion to cemented total knee replacement"],
      ["179352009", "Conversion to uncemented total knee replacement"],
      ["179406003", "Conversion from cemented unicompartmental knee replacement"],
      ["179411001", "Conversion from uncemented unicompartmental knee replacement"],
      ["179416006", "Conversion from hybrid unicompartmental knee replacement"],
      ["265170009", "Total prosthetic replacement of knee joint using cement"],
      ["265172001", "Total prosthetic replacement of knee joint not using cement"],
      ["713687000", "Total replacement of joint of knee with constrained condylar prosthesis"],
      ["1201734006", "Total replacement of knee with impaction bone graft"],
      ["1217702001", "Total replacement of knee joint using cone"],
      ["1220622006", "Total replacement of knee joint using knee stem"],
      ["1222566006", "Total replacement of knee joint with bone allograft"],
      ["1222567002", "Total replacement of knee joint with bone autograft"],
      ["1222568007", "Total replacement of knee joint using modular metal augmentation"],
      ["1222569004", "Total replacement of knee joint using rotating hinge prosthesis"],
      ["1222570003", "Total knee replacement using valgus-varus constrained prosthesis"],
      ["29712008", "Revision of knee replacement"],
      ["445091006", "Revision of hybrid knee replacement"],
      ["19063003", "Arthroplasty of knee"],
      ["307817008", "Arthroplasty of knee using cement"],
      ["307819006", "Arthroplasty of knee without cement"],
      ["88056004", "Arthroplasty of knee with constrained prosthesis"],
      ["90827004", "Arthroplasty of knee, condyle and plateau, medial compartment"],
      ["27748003", "Arthroplasty of knee, condyle and plateau, lateral compartment"],
      ["53386008", "Arthroplasty of knee, tibial plateau"],
      ["64295009", "Arthroplasty of knee, femoral condyles"],
    ]),
    ...pcs("VSAC knee replacement surgery", PCS_ROWS),
    ...cpt("CPT knee arthroplasty", [
      ["27447", "Arthroplasty, knee, condyle and plateau, medial and lateral compartments (total knee arthroplasty)"],
      ["27446", "Arthroplasty, knee, condyle and plateau, medial or lateral compartment"],
    ]),
    ...icd10("ICD-10-CM tabular list", [["Z96.65", "Presence of artificial knee joint (Z96.651-Z96.659)"]]),
  ],
});

/** Whether any coding of the concept names a knee replacement or an artificial knee joint. */
export const namesKneeReplacement = conceptInSet(KNEE_REPLACED);
