/**
 * Diagnosis groups of joints, bones and the back: knee injury and pain, other osteoarthritis,
 * inflammatory arthritis, gout, osteoporosis, back pain.
 * Any change to these codes needs a VALUE_SETS_VERSION bump (shared/valuesets.ts).
 */
import { OA_715_SITED, icd10, icd9, icd9Digits, sct } from "../entries.ts";
import type { DiagnosisGroupId } from "../ids.ts";
import type { ValueSetTable } from "../types.ts";

type MusculoskeletalGroupId = Extract<
  DiagnosisGroupId,
  | "knee_injury"
  | "knee_pain"
  | "hip_oa"
  | "hand_other_oa"
  | "inflammatory_arthritis"
  | "gout"
  | "osteoporosis"
  | "back_pain"
>;

export const MUSCULOSKELETAL_GROUPS: ValueSetTable<MusculoskeletalGroupId> = {
  knee_injury: {
    id: "knee_injury",
    title: "Knee injury: cruciate and collateral ligaments, meniscus, patella and patellar tendon",
    codes: [
      ...sct("Deep-KOA references", [
        ["444470001", "Injury of anterior cruciate ligament"],
        ["444448004", "Injury of medial collateral ligament of knee"],
        ["239720000", "Tear of meniscus of knee"],
        ["30832001", "Rupture of patellar tendon"],
      ]),
      ...icd10("Deep-KOA references", [
        ["S83.2", "Tear of meniscus, current injury"],
        ["S83.5", "Sprain of cruciate ligament of knee"],
        ["M23.2", "Derangement of meniscus due to old tear or injury"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["S83.0", "Subluxation and dislocation of patella"],
        ["S83.1", "Subluxation and dislocation of knee"],
        ["S83.3", "Tear of articular cartilage of knee, current"],
        ["S83.4", "Sprain of collateral ligament of knee"],
        ["S83.6", "Sprain of the superior tibiofibular joint and ligament"],
        ["S83.8", "Sprain of other specified parts of knee"],
        ["S83.9", "Sprain of unspecified site of knee"],
        ["S82.0", "Fracture of patella"],
        ["S82.1", "Fracture of upper end of tibia"],
        ["S72.4", "Fracture of lower end of femur"],
        ["S76.1", "Injury of quadriceps muscle, fascia and tendon (includes patellar tendon)"],
        ["M23.5", "Chronic instability of knee"],
        ["M23.6", "Other spontaneous disruption of ligament(s) of knee"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["836", "Dislocation of knee (includes current meniscus tears)"],
        ["844.0", "Sprain of lateral collateral ligament of knee"],
        ["844.1", "Sprain of medial collateral ligament of knee"],
        ["844.2", "Sprain of cruciate ligament of knee"],
        ["822", "Fracture of patella"],
        ["717.0", "Old bucket handle tear of medial meniscus"],
        ["717.1", "Derangement of anterior horn of medial meniscus"],
        ["717.2", "Derangement of posterior horn of medial meniscus"],
        ["717.3", "Other and unspecified derangement of medial meniscus"],
        ["717.4", "Derangement of lateral meniscus"],
        ["717.5", "Derangement of meniscus, not elsewhere classified"],
        ["717.8", "Other internal derangement of knee (old ligament disruption)"],
      ]),
    ],
  },
  knee_pain: {
    id: "knee_pain",
    title: "Knee pain and other knee disorders",
    note: "Internal derangement (M23, ICD-9-CM 717) is a knee disorder; its old-injury codes are also knee_injury.",
    codes: [
      ...sct("Task brief", [["30989003", "Knee pain"]]),
      ...icd10("Deep-KOA references", [["M25.56", "Pain in knee"]]),
      ...icd10("ICD-10-CM tabular list", [
        ["M23", "Internal derangement of knee"],
        ["M22", "Disorder of patella"],
        ["M25.36", "Other instability, knee"],
        ["M25.46", "Effusion, knee"],
        ["M25.66", "Stiffness of knee, not elsewhere classified"],
        ["M70.4", "Prepatellar bursitis"],
        ["M71.2", "Synovial cyst of popliteal space [Baker]"],
        ["M76.5", "Patellar tendinitis"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["719.46", "Pain in joint, lower leg"],
        ["719.06", "Effusion of joint, lower leg"],
        ["717", "Internal derangement of knee"],
        ["727.51", "Synovial cyst of popliteal space"],
      ]),
    ],
  },
  hip_oa: {
    id: "hip_oa",
    title: "Osteoarthritis of hip",
    codes: [
      ...sct("Deep-KOA references", [["239872002", "Osteoarthritis of hip"]]),
      ...sct("OpenCodelists-derived code list", [
        ["201835007", "Localized, primary osteoarthritis of the pelvic region and thigh"],
        ["267890003", "Localized, secondary osteoarthritis of the pelvic region and thigh"],
        ["267891004", "Localized osteoarthritis, unspecified, of the pelvic region and thigh"],
        ["201839001", "Primary coxarthrosis, bilateral"],
        ["201857000", "Post-traumatic coxarthrosis, bilateral"],
        ["201892008", "Osteoarthritis NOS: [pelvic region and/or thigh] or [hip]"],
      ]),
      ...icd10("Deep-KOA references", [["M16", "Osteoarthritis of hip"]]),
      ...icd9("ICD-9-CM tabular list", icd9Digits(OA_715_SITED, [5], "Osteoarthrosis, localized or unspecified, pelvic region and thigh")),
    ],
  },
  hand_other_oa: {
    id: "hand_other_oa",
    title: "Hand osteoarthritis and other osteoarthritis (not knee, not hip)",
    codes: [
      ...sct("Deep-KOA references", [["201834006", "Localized, primary osteoarthritis of the hand"]]),
      ...sct("OpenCodelists-derived code list", [
        ["201852006", "Localized, secondary osteoarthritis of the hand"],
        ["267889007", "Generalized osteoarthritis of the hand"],
        ["22193007", "Degenerative joint disease of hand"],
        ["239868001", "Osteoarthritis of finger joint"],
        ["239869009", "Osteoarthritis of distal interphalangeal joint"],
        ["239870005", "Osteoarthritis of proximal interphalangeal joint"],
        ["239871009", "Osteoarthritis of metacarpophalangeal joint of finger"],
        ["275324008", "Osteoarthritis of metacarpophalangeal joint"],
        ["37895003", "Osteoarthrosis of the carpometacarpal joint of the thumb"],
        ["201827009", "Heberden's nodes with arthropathy"],
        ["371598009", "Heberden's node"],
        ["20243008", "Bouchard's node"],
        ["396275006", "Osteoarthritis"],
        ["239862000", "Idiopathic osteoarthritis"],
        ["443524000", "Secondary osteoarthritis"],
        ["201819000", "Generalized osteoarthritis"],
        ["268054009", "Osteoarthritis - multiple joint"],
        ["201829007", "Localized, primary osteoarthritis"],
        ["201847001", "Localized, secondary osteoarthritis"],
        ["33952002", "Localized osteoarthrosis"],
        ["394991004", "Exacerbation of osteoarthritis"],
        ["239865003", "Osteoarthritis of acromioclavicular joint"],
        ["201831003", "Localized, primary osteoarthritis of the shoulder region"],
        ["201849003", "Localized, secondary osteoarthritis of the shoulder region"],
        ["239866002", "Osteoarthritis of elbow"],
        ["313259008", "Localized, primary osteoarthritis of elbow"],
        ["239867006", "Osteoarthritis of wrist"],
        ["313257005", "Localized, primary osteoarthritis of the wrist"],
        ["239874001", "Osteoarthritis of ankle"],
        ["201837004", "Localized, primary osteoarthritis of the ankle and foot"],
        ["201855008", "Localized, secondary osteoarthritis of the ankle and foot"],
        ["239876004", "Osteoarthritis of subtalar joint"],
        ["700324005", "Osteoarthritis of talonavicular joint"],
        ["309246000", "Osteoarthritis of foot joint"],
        ["239877008", "Osteoarthritis of first metatarsalphalangeal joint"],
        ["239878003", "Osteoarthritis of toe joint"],
        ["313258000", "Localized, primary osteoarthritis of toe"],
      ]),
      ...icd10("Deep-KOA references", [
        ["M15", "Polyosteoarthritis"],
        ["M18", "Osteoarthritis of first carpometacarpal joint"],
      ]),
      ...icd10("Task brief", [["M19", "Other and unspecified osteoarthritis (M19.04 primary OA of hand)"]]),
      ...icd9("ICD-9-CM tabular list", [
        // Listed by fifth digit, not by prefix: the prefixes 715.0 and 715.8 would also take in
        // the knee OA codes 715.06 and 715.86.
        ...icd9Digits(["715.0"], [0, 4, 9], "Osteoarthrosis, generalized"),
        ...icd9Digits(["715.8"], [0, 9], "Osteoarthrosis involving more than one site, not generalized"),
        ...icd9Digits(OA_715_SITED, [0, 1, 2, 3, 4, 7, 8], "Osteoarthrosis, localized or unspecified, site other than knee or hip"),
      ]),
    ],
  },
  inflammatory_arthritis: {
    id: "inflammatory_arthritis",
    title: "Rheumatoid and other inflammatory arthritis",
    codes: [
      ...sct("Deep-KOA references", [["69896004", "Rheumatoid arthritis"]]),
      ...sct("OpenCodelists-derived code list", [
        ["239791005", "Seropositive rheumatoid arthritis"],
        ["239792003", "Seronegative rheumatoid arthritis"],
        ["201787004", "Seronegative rheumatoid arthritis"],
        ["308143008", "Seropositive erosive rheumatoid arthritis"],
        ["201791009", "Flare of rheumatoid arthritis"],
        ["287006005", "Rheumatoid arthritis of multiple joints"],
        ["201777003", "Rheumatoid arthritis of knee"],
        ["1073811000119102", "Rheumatoid arthritis of right knee"],
        ["1073731000119103", "Rheumatoid arthritis of left knee"],
        ["15687201000119107", "Rheumatoid arthritis of bilateral knees"],
        ["143441000119108", "Rheumatoid arthritis in remission"],
        ["410795001", "Juvenile rheumatoid arthritis"],
        ["57160007", "Felty's syndrome"],
        ["239920006", "Adult onset Still's disease"],
      ]),
      ...sct("OpenCodelists-derived code list", [["9631008", "Ankylosing spondylitis"]]),
      ...icd10("Deep-KOA references", [["M05-M06", "Rheumatoid arthritis"]]),
      ...icd10("ICD-10-CM tabular list", [
        ["M08", "Juvenile arthritis"],
        ["M02", "Postinfective and reactive arthropathies"],
        ["L40.5", "Arthropathic psoriasis"],
        ["M45", "Ankylosing spondylitis"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["714", "Rheumatoid arthritis and other inflammatory polyarthropathies"],
        ["720.0", "Ankylosing spondylitis"],
        ["696.0", "Psoriatic arthropathy"],
      ]),
    ],
  },
  gout: {
    id: "gout",
    title: "Gout",
    codes: [
      ...sct("Deep-KOA references", [["90560007", "Gout"]]),
      ...sct("OpenCodelists-derived code list", [
        ["24595009", "Primary gout"],
        ["239844009", "Gout due to impairment of renal function"],
        ["239845005", "Gout secondary to drug"],
        ["239846006", "Gout secondary to lead"],
        ["239847002", "Gout secondary to enzyme defect"],
      ]),
      ...icd10("Deep-KOA references", [["M10", "Gout"]]),
      ...icd10("ICD-10-CM tabular list", [["M1A", "Chronic gout"]]),
      ...icd9("ICD-9-CM tabular list", [["274", "Gout"]]),
    ],
  },
  osteoporosis: {
    id: "osteoporosis",
    title: "Osteoporosis and fragility fracture",
    codes: [
      ...sct("Synthea sample data", [
        ["64859006", "Osteoporosis (disorder)"],
        ["443165006", "Pathological fracture due to osteoporosis (disorder)"],
      ]),
      ...sct("OpenCodelists-derived code list", [
        ["102447009", "Postmenopausal osteoporosis"],
        ["18040001", "Senile osteoporosis"],
        ["32369003", "Menopausal osteoporosis"],
        ["276661002", "Primary osteoporosis"],
        ["390833005", "Osteoporosis caused by corticosteroid"],
        ["203438009", "Vertebral osteoporosis"],
        ["240198002", "Osteoporotic vertebral collapse"],
        ["203450003", "Osteoporotic fracture of lumbar vertebra"],
        ["203451004", "Osteoporotic fracture of thoracic vertebra"],
        ["203453001", "Postmenopausal osteoporosis with pathological fracture"],
      ]),
      ...icd10("ICD-10-CM tabular list", [["M80-M81", "Osteoporosis with / without current pathological fracture"]]),
      ...icd9("ICD-9-CM tabular list", [
        ["733.0", "Osteoporosis"],
        ["733.1", "Pathologic fracture"],
      ]),
    ],
  },
  back_pain: {
    id: "back_pain",
    title: "Back pain",
    codes: [
      ...sct("Task brief", [["279039007", "Low back pain"]]),
      ...sct("Synthea sample data", [["278860009", "Chronic low back pain (finding)"]]),
      ...sct("OpenCodelists-derived code list", [
        ["161891005", "Backache"],
        ["23056005", "Sciatica"],
      ]),
      ...icd10("Task brief", [
        ["M54.5", "Low back pain"],
        ["M54.4", "Lumbago with sciatica"],
      ]),
      ...icd10("ICD-10-CM tabular list", [
        ["M54.3", "Sciatica"],
        ["M54.9", "Dorsalgia, unspecified"],
      ]),
      ...icd9("ICD-9-CM tabular list", [
        ["724.2", "Lumbago"],
        ["724.3", "Sciatica"],
        ["724.5", "Backache, unspecified"],
      ]),
    ],
  },
};
