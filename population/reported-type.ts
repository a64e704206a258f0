/**
 * How a resource's type is named in what the readers count and report (resources by type, shared
 * resources, reasons: summary.html, the checkpoint, stderr). A line's `resourceType` is text from
 * the input, and any text can be put there ("MRN-9876543 Jane Doe"): only the names of FHIR R4's
 * resource types are shown as they are; anything else is counted under UNRECOGNISED_TYPE, without
 * its text. A pattern (a capitalised word) would not do: a family name passes it.
 */
import type { FhirResource } from "fhir/r4";

/** FHIR R4 (4.0.1), the version the readers read: its 146 resource types, as @types/fhir's r4
 * `FhirResource` lists them. A type of another version (R5's `Transport`) is unrecognised here. */
const R4_RESOURCE_TYPES = [
  "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment", "AppointmentResponse",
  "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct", "BodyStructure", "Bundle",
  "CapabilityStatement", "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem", "ChargeItemDefinition", "Claim",
  "ClaimResponse", "ClinicalImpression", "CodeSystem", "Communication", "CommunicationRequest",
  "CompartmentDefinition", "Composition", "ConceptMap", "Condition", "Consent", "Contract", "Coverage",
  "CoverageEligibilityRequest", "CoverageEligibilityResponse", "DetectedIssue", "Device", "DeviceDefinition",
  "DeviceMetric", "DeviceRequest", "DeviceUseStatement", "DiagnosticReport", "DocumentManifest",
  "DocumentReference", "EffectEvidenceSynthesis", "Encounter", "Endpoint", "EnrollmentRequest",
  "EnrollmentResponse", "EpisodeOfCare", "EventDefinition", "Evidence", "EvidenceVariable", "ExampleScenario",
  "ExplanationOfBenefit", "FamilyMemberHistory", "Flag", "Goal", "GraphDefinition", "Group", "GuidanceResponse",
  "HealthcareService", "ImagingStudy", "Immunization", "ImmunizationEvaluation", "ImmunizationRecommendation",
  "ImplementationGuide", "InsurancePlan", "Invoice", "Library", "Linkage", "List", "Location", "Measure",
  "MeasureReport", "Media", "Medication", "MedicationAdministration", "MedicationDispense",
  "MedicationKnowledge", "MedicationRequest", "MedicationStatement", "MedicinalProduct",
  "MedicinalProductAuthorization", "MedicinalProductContraindication", "MedicinalProductIndication",
  "MedicinalProductIngredient", "MedicinalProductInteraction", "MedicinalProductManufactured",
  "MedicinalProductPackaged", "MedicinalProductPharmaceutical", "MedicinalProductUndesirableEffect",
  "MessageDefinition", "MessageHeader", "MolecularSequence", "NamingSystem", "NutritionOrder", "Observation",
  "ObservationDefinition", "OperationDefinition", "OperationOutcome", "Organization", "OrganizationAffiliation",
  "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation", "Person", "PlanDefinition", "Practitioner",
  "PractitionerRole", "Procedure", "Provenance", "Questionnaire", "QuestionnaireResponse", "RelatedPerson",
  "RequestGroup", "ResearchDefinition", "ResearchElementDefinition", "ResearchStudy", "ResearchSubject",
  "RiskAssessment", "RiskEvidenceSynthesis", "Schedule", "SearchParameter", "ServiceRequest", "Slot", "Specimen",
  "SpecimenDefinition", "StructureDefinition", "StructureMap", "Subscription", "Substance",
  "SubstanceNucleicAcid", "SubstancePolymer", "SubstanceProtein", "SubstanceReferenceInformation",
  "SubstanceSourceMaterial", "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task",
  "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet", "VerificationResult", "VisionPrescription",
] as const satisfies readonly FhirResource["resourceType"][];

/** tsc checks the list against @types/fhir both ways: `satisfies` refuses a name that is not an R4
 * type, and this refuses a list that leaves one out (the type then names it). */
type Unlisted = Exclude<FhirResource["resourceType"], (typeof R4_RESOURCE_TYPES)[number]>;
const ALL_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
void ALL_LISTED;

export const R4_TYPES: ReadonlySet<string> = new Set(R4_RESOURCE_TYPES);

/** What every other `resourceType` is counted under. */
export const UNRECOGNISED_TYPE = "unrecognised resourceType";

/** The type as counts and reasons name it: an R4 type as it is, else UNRECOGNISED_TYPE. */
export const reportedType = (resourceType: string): string => (R4_TYPES.has(resourceType) ? resourceType : UNRECOGNISED_TYPE);
