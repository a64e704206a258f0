/**
 * Renders the CDS services' answers as an EHR shows them: one box per card with its indicator,
 * summary, source, Markdown detail, suggestions, links and a dismiss control with the card's
 * override reasons. Accepting a suggestion or dismissing sends feedback (CDS Hooks 2.0). Only
 * http(s) links are links (card-types.ts); the card says how many others it had.
 */
import { api, type ServiceResult } from "./api.ts";
import { readCard, type Card, type CardLink } from "./card-types.ts";
import { el } from "./dom.ts";
import { renderMarkdown } from "./markdown.ts";

export interface CardsViewOptions {
  /** Opens a smart link (EHR launch) for the patient on screen. */
  launchApp: (link: CardLink) => void;
}

function statusLine(result: ServiceResult): HTMLElement {
  const name = result.title ?? result.serviceId;
  const outcome = result.error
    ? `failed: ${result.error}`
    : `${result.cards.length} card${result.cards.length === 1 ? "" : "s"}`;
  const reason = result.reason ? `: ${result.reason}` : "";
  return el("li", { "data-service": result.serviceId, class: result.error ? "svc-error" : "svc-ok" }, `${name}: ${outcome} (HTTP ${result.status || "-"}, ${result.elapsedMs} ms)${reason}`);
}

function feedbackNote(text: string, ok: boolean): HTMLElement {
  return el("p", { class: ok ? "feedback ok" : "feedback failed", "data-testid": "feedback-status" }, text);
}

type FeedbackBody = Omit<Parameters<typeof api.feedback>[0], "baseUrl" | "serviceId" | "card">;

/**
 * A card takes one decision (CDS Hooks feedback; the service answers 409 to a second, different
 * one): `decide` disables every decision control of the card while its feedback is sent, and
 * they stay disabled once it is recorded (enabled again if sending failed, to retry).
 */
type Decide = (body: FeedbackBody) => Promise<boolean>;

function dismissControl(card: Card, box: HTMLElement, decide: Decide, controls: HTMLElement[]): HTMLElement {
  const select = el("select", { "data-testid": "override-reason", "aria-label": "Reason for dismissing" }, el("option", { value: "" }, "No reason given"));
  card.overrideReasons.forEach((r, i) => select.append(el("option", { value: String(i) }, r.display ?? r.code)));
  const comment = el("input", { type: "text", placeholder: "Comment (optional)", "aria-label": "Comment", "data-testid": "override-comment" });
  const button = el("button", { type: "button", "data-testid": "dismiss" }, "Dismiss");
  button.addEventListener("click", async () => {
    const reason = select.value === "" ? undefined : card.overrideReasons[Number(select.value)];
    const userComment = comment.value.trim();
    const overrideReason =
      reason || userComment ? { ...(reason && { reason }), ...(userComment !== "" && { userComment }) } : undefined;
    if (await decide({ outcome: "overridden", ...(overrideReason && { overrideReason }) })) box.classList.add("dismissed");
  });
  controls.push(select, comment, button);
  return el("div", { class: "dismiss" }, select, comment, button);
}

async function sendFeedback(
  box: HTMLElement,
  result: ServiceResult,
  card: Card,
  body: FeedbackBody,
): Promise<boolean> {
  if (!card.uuid) {
    box.append(feedbackNote("This card has no uuid, so no feedback can be sent.", false));
    return false;
  }
  try {
    await api.feedback({ baseUrl: result.baseUrl, serviceId: result.serviceId, card: card.uuid, ...body });
    box.append(feedbackNote(`Feedback sent (${body.outcome}).`, true));
    return true;
  } catch (err) {
    box.append(feedbackNote(`Feedback failed: ${(err as Error).message}`, false));
    return false;
  }
}

function refusedLinksNote(schemes: readonly string[]): HTMLElement {
  const count = schemes.length === 1 ? "1 link" : `${schemes.length} links`;
  const which = [...new Set(schemes)].join(", ");
  return el("p", { class: "hint", "data-testid": "refused-links" }, `${count} of this card not shown (${which}): this EHR opens only http and https links.`);
}

function cardBox(card: Card, result: ServiceResult, options: CardsViewOptions): HTMLElement {
  const box = el("article", { class: `cds-card ${card.indicator}`, "data-testid": "cds-card", ...(card.uuid && { "data-card-uuid": card.uuid }) });
  const source = card.source.url
    ? el("a", { href: card.source.url, target: "_blank", rel: "noopener noreferrer" }, card.source.label)
    : card.source.label;
  box.append(
    el("header", {}, el("span", { class: "indicator" }, card.indicator), el("strong", { class: "summary" }, card.summary)),
    el("p", { class: "source" }, "Source: ", source),
  );
  if (card.detail) {
    const detail = el("div", { class: "detail" });
    detail.innerHTML = renderMarkdown(card.detail); // escaped by renderMarkdown
    box.append(detail);
  }
  const controls: HTMLElement[] = [];
  const setDisabled = (disabled: boolean) => {
    for (const c of controls) (c as HTMLButtonElement | HTMLInputElement | HTMLSelectElement).disabled = disabled;
  };
  const decide: Decide = async (body) => {
    setDisabled(true);
    const sent = await sendFeedback(box, result, card, body);
    if (!sent) setDisabled(false);
    return sent;
  };
  const actions = el("div", { class: "actions" });
  for (const suggestion of card.suggestions) {
    const button = el("button", { type: "button", class: suggestion.isRecommended ? "recommended" : "", "data-testid": "suggestion" }, suggestion.label);
    button.addEventListener("click", async () => {
      // Shows which suggestion the decision was, once its controls are greyed out.
      if (await decide({ outcome: "accepted", ...(suggestion.uuid && { acceptedSuggestions: [{ id: suggestion.uuid }] }) })) {
        button.classList.add("chosen");
        button.setAttribute("aria-pressed", "true");
      }
    });
    controls.push(button);
    actions.append(button);
  }
  for (const link of card.links) {
    if (link.type === "smart") {
      const button = el("button", { type: "button", class: "smart-link", "data-testid": "smart-link" }, link.label);
      button.addEventListener("click", () => options.launchApp(link));
      actions.append(button);
    } else {
      actions.append(el("a", { href: link.url, target: "_blank", rel: "noopener noreferrer", class: "link" }, link.label));
    }
  }
  box.append(actions);
  // Links that are not http(s) (a javascript: URL would run in this page) are not shown: said here.
  if (card.refusedLinks.length > 0) box.append(refusedLinksNote(card.refusedLinks));
  box.append(dismissControl(card, box, decide, controls));
  return box;
}

export function renderCards(container: HTMLElement, results: ServiceResult[], options: CardsViewOptions): void {
  container.replaceChildren();
  const statuses = el("ul", { class: "services", "data-testid": "service-status" });
  for (const result of results) {
    statuses.append(statusLine(result));
    for (const raw of result.cards) {
      const card = readCard(raw);
      if ("invalid" in card) container.append(el("p", { class: "feedback failed" }, `${result.serviceId} sent a card that cannot be shown: ${card.invalid}`));
      else container.append(cardBox(card, result, options));
    }
  }
  if (results.length === 0) statuses.append(el("li", {}, "No CDS services configured."));
  container.prepend(statuses);
}
