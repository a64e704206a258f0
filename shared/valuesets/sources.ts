/**
 * Where the value-set codes come from: every entry names one of these sources, and each source
 * says exactly which public file, table or release holds the code with its meaning, so a
 * reviewer can check it. docs/terminology.md lists what was checked and what was removed.
 */
export const CODE_SOURCES = {
  "Deep-KOA references": "Codes named by the project's reference notes (docs/terminology.md, section 'Codes the project starts from').",
  "Task brief": "Codes named by the lead's task brief when the tables were first written.",
  "Issue 12": "Codes the independent Synthea data used and the tables missed, as listed with their meaning in issue 12; no public table reachable here lists them (docs/terminology.md).",
  "Simple protocol drugs": "simpledotorg/simple-server, lib/seed/protocol_seeder.rb (the hypertension protocol drugs of a deployed EHR, with their RxNorm codes).",
  "RxNav interaction response": "An NLM RxNav interaction API response (interaction/list.json) recorded in a public FHIR-for-Research exercise: each input rxcui with its RxNorm name and term type.",
  "Synthea sample data": "Code and display as emitted in Synthea's sample FHIR data (smart-on-fhir sample-bulk-fhir-datasets, bulk-data-server).",
  "Synthea modules": "synthetichealth/synthea, src/main/resources/modules and costs/medications.csv (the RxNorm codes Synthea emits).",
  "OpenCodelists-derived code list": "UoM-Data-Science-Platforms/gm-sde, shared/clinical-code-sets/conditions/*/*.snomed.txt (SNOMED CT code lists derived from OpenCodelists).",
  "CPIC drug table": "cpicpgx/cpic-data, db/drug.sql and src/main/resources/db/migration/V6__nsaid_release.sql, V35__opioid_release.sql (RxNorm ingredient and ATC codes of each drug).",
  "VSAC eCQM value set":
    "NLM VSAC value sets 2.16.840.1.113883.3.526.3.1489 (ACE inhibitor or ARB or ARNI ingredient), 2.16.840.1.113883.3.526.3.1493 (beta blocker therapy ingredient) and 2.16.840.1.113762.1.4.1110.42 (statin allergen), eCQM update 2025-05-08, as expanded in canvas-medical/canvas-plugins, canvas_sdk/value_set/v2026/allergy.py.",
  "WHO ATC index": "WHO ATC index 2025 as a table: vanhungtran/atcddd, WHO_ATC_codes_2025-08-19.csv.",
  "ATC 2024 transition map": "Medizininformatik-Initiative ConceptMap mii-cm-onko-atc-transitions-2024 (ATC codes changed from 2023 to 2024).",
  "Public EHR samples":
    "Codes not in a published table but written with the same meaning in several independent public EHR exports and FHIR samples (e.g. a Human API medical-record sample with its NDC and Medi-Span cross-codes); see docs/terminology.md for each one.",
  "VSAC knee replacement surgery":
    "NLM VSAC value set 2.16.840.1.113883.3.117.1.7.1.261 'Knee Replacement Surgery' (The Joint Commission's eCQMs), expansion 20240502, as published in cqframework/ecqm-content-qicore-2025, input/vocabulary/valueset/external/valueset-2.16.840.1.113883.3.117.1.7.1.261.json (its SNOMED CT and ICD-10-PCS codes with their displays).",
  "CPT knee arthroplasty":
    "CPT 27446 and 27447 (knee arthroplasty, one or both compartments; 27447 is total knee arthroplasty) as named in public Medicare billing references and the CMS coverage determination L36575 'Total Knee Arthroplasty' (CPT is the AMA's; only the code numbers and short meanings are used).",
  "ICD-10-CM tabular list": "ICD-10-CM tabular list (CDC/NCHS), for category structure.",
  "ICD-9-CM tabular list": "ICD-9-CM tabular list (CDC/NCHS), for category structure.",
} as const;
