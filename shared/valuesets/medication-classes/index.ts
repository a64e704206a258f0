import { MEDICATION_CLASS_IDS, type MedicationClassId } from "../ids.ts";
import { tableInIdOrder } from "../table-in-id-order.ts";
import type { ValueSetTable } from "../types.ts";
import { CARDIOMETABOLIC_CLASSES } from "./cardiometabolic.ts";
import { PAIN_AND_OSTEOARTHRITIS_CLASSES } from "./pain-and-osteoarthritis.ts";
import { RHEUMATOLOGY_CLASSES } from "./rheumatology.ts";

/**
 * A drug is classed by its ingredients, so a combination product falls in each of its classes
 * (oxycodone/acetaminophen is opioid AND paracetamol). Classes follow the WHO ATC groups named
 * in the titles, not the indication: verapamil for rate control is still an antihypertensive
 * (C08). Left out on purpose: aspirin 81 MG (antiplatelet dose), colchicine (M04AC, no effect
 * on urate), inhaled and topical corticosteroids, dextromethorphan (antitussive), tacrolimus and
 * sirolimus (transplant immunosuppression).
 */
export const MEDICATION_CLASSES: ValueSetTable<MedicationClassId> = tableInIdOrder(MEDICATION_CLASS_IDS, {
  ...PAIN_AND_OSTEOARTHRITIS_CLASSES,
  ...CARDIOMETABOLIC_CLASSES,
  ...RHEUMATOLOGY_CLASSES,
});
