/** CDS Hooks 2.0 card shapes (cds-hooks.hl7.org/2.0, "CDS Service Response"). */
import type { Coding, Resource } from "fhir/r4";

export interface CdsLink {
  label: string;
  url: string;
  type: "absolute" | "smart";
  appContext?: string;
}

export interface CdsAction {
  type: "create" | "update" | "delete";
  description: string;
  resource?: Resource;
  resourceId?: string;
}

export interface CdsSuggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: CdsAction[];
}

export interface CdsCard {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: "info" | "warning" | "critical";
  source: { label: string; url?: string; icon?: string; topic?: Coding };
  suggestions?: CdsSuggestion[];
  selectionBehavior?: "at-most-one" | "any";
  overrideReasons?: Coding[];
  links?: CdsLink[];
}

export interface CdsResponse {
  cards: CdsCard[];
}
