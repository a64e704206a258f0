/** The options of a card as the service builds them, for tests of the card and of the views that
 * must say what it says. */
import type { CardOptions } from "../../cds-service/cards/build-risk-card.ts";

export function exampleCardOptions(cardUuid: string): CardOptions {
  return {
    cardUuid,
    indexDate: "2025-06-01",
    modelName: "deep-koa",
    modelVersion: "1.0.0",
    modelCardUrl: "https://cds.example/model-card",
    appLaunchUrl: "https://app.example/launch.html",
    appContextInLaunchUrl: false,
    unavailableData: [],
  };
}
