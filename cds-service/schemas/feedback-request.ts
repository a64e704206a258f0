/** zod schema of a CDS Hooks 2.0 feedback call (cds-hooks.hl7.org/2.0, "Feedback"). */
import { z } from "zod";

const CodingSchema = z.object({
  code: z.string().min(1).max(200),
  system: z.string().min(1).max(500).optional(),
  display: z.string().max(500).optional(),
});

export const FeedbackItemSchema = z.object({
  card: z.string().min(1).max(100),
  outcome: z.enum(["accepted", "overridden"]),
  acceptedSuggestions: z.array(z.object({ id: z.string().min(1).max(100) })).max(50).optional(),
  overrideReason: z
    .object({
      reason: CodingSchema.optional(),
      userComment: z.string().max(2000).optional(),
    })
    .optional(),
  outcomeTimestamp: z.iso.datetime({ offset: true }),
});

export const FeedbackRequestSchema = z.object({
  feedback: z.array(FeedbackItemSchema).min(1).max(100),
});

export type FeedbackItem = z.infer<typeof FeedbackItemSchema>;
