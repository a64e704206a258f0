/**
 * The sandbox EHR page: a patient list, and a chart that fires patient-view on opening and
 * shows the returned cards. Toggles in the footer change how the next hook is fired.
 */
import { api, type Chart, type ChartEntry, type HookToggles, type PatientSummary } from "./api.ts";
import { refusedScheme, type CardLink } from "./card-types.ts";
import { renderCards } from "./cards-view.ts";
import { el } from "./dom.ts";

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const list = byId<HTMLUListElement>("patient-list");
const chartSection = byId<HTMLElement>("chart");
const filter = byId<HTMLInputElement>("filter");
const appPanel = byId<HTMLElement>("app-panel");
const appFrame = byId<HTMLIFrameElement>("app-frame");

let patients: PatientSummary[] = [];
let openPatientId: string | undefined;

function toggles(): HookToggles {
  return {
    omitPrefetch: byId<HTMLInputElement>("omit-prefetch").checked,
    fhirFault: byId<HTMLSelectElement>("fhir-fault").value as HookToggles["fhirFault"],
  };
}

function ageOf(birthDate: string): string {
  if (!birthDate) return "?";
  const birth = new Date(birthDate);
  const now = new Date();
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  if (now.getUTCMonth() * 100 + now.getUTCDate() < birth.getUTCMonth() * 100 + birth.getUTCDate()) age--;
  return String(age);
}

function renderList(): void {
  const needle = filter.value.trim().toLowerCase();
  list.replaceChildren(
    ...patients
      .filter((p) => !needle || `${p.name} ${p.tags.join(" ")}`.toLowerCase().includes(needle))
      .map((p) => {
        const item = el(
          "li",
          { "data-patient-id": p.id, tabindex: "0", role: "button", ...(p.id === openPatientId && { "aria-current": "true" }) },
          el("span", { class: "name" }, p.name),
          el("span", { class: "meta" }, `${p.gender}, ${ageOf(p.birthDate)} y`),
          el("span", { class: "tags" }, ...p.tags.map((t) => el("span", { class: "tag" }, t))),
        );
        const open = () => void openChart(p.id);
        item.addEventListener("click", open);
        item.addEventListener("keydown", (e) => e.key === "Enter" && open());
        return item;
      }),
  );
}

function section(title: string, entries: ChartEntry[], limit: number): HTMLElement {
  const shown = entries.slice(0, limit);
  return el(
    "section",
    { class: "chart-part" },
    el("h3", {}, `${title} (${entries.length})`),
    shown.length === 0 ? el("p", { class: "hint" }, "None recorded.") : el("ul", {}, ...shown.map((e) => el("li", {}, el("time", {}, e.date || "undated"), " ", e.text))),
    entries.length > limit && el("p", { class: "hint" }, `${entries.length - limit} older not shown.`),
  );
}

/**
 * Brings a part of the page into view when it is off screen: in a narrow window (a phone) the
 * patient list, the chart and the app panel stack, so a chart opened from the list, or an app
 * opened from a card, would otherwise appear far below, with nothing on screen changing.
 */
function reveal(part: HTMLElement): void {
  const { top, bottom } = part.getBoundingClientRect();
  if (top >= window.innerHeight || bottom <= 0) part.scrollIntoView({ block: "start" });
}

async function launchApp(link: CardLink): Promise<void> {
  if (!openPatientId) return;
  // readCard keeps http(s) links only; checked again here, by its rule, where the URL becomes a frame's src.
  if (refusedScheme(link.url) !== undefined) return;
  const url = new URL(link.url);
  const inPanel = byId<HTMLSelectElement>("app-target").value === "panel";
  const { launch, iss } = await api.launch(openPatientId, link.appContext, inPanel);
  url.searchParams.set("iss", iss);
  url.searchParams.set("launch", launch);
  if (inPanel) {
    appPanel.hidden = false;
    appFrame.src = url.toString();
    reveal(appPanel);
  } else {
    window.open(url.toString(), "_blank", "noopener");
  }
}

function renderChart(chart: Chart): HTMLElement {
  const p = chart.patient;
  const cards = el("div", { class: "cards", "data-testid": "cards" }, el("p", { class: "hint" }, "Calling CDS services..."));
  chartSection.replaceChildren(
    el(
      "div",
      { class: "banner", "data-testid": "patient-banner" },
      el("h2", {}, p.name),
      el("span", {}, `${p.gender}, born ${p.birthDate || "?"} (${ageOf(p.birthDate)} y)`),
      el("span", { class: "tags" }, ...p.tags.map((t) => el("span", { class: "tag" }, t))),
    ),
    cards,
    section("Problems", chart.conditions, 12),
    section("Medications", chart.medications, 12),
    section("Procedures", chart.procedures, 12),
    section("BMI", chart.bmi, 5),
  );
  return cards;
}

async function openChart(id: string): Promise<void> {
  openPatientId = id;
  renderList();
  appPanel.hidden = true;
  appFrame.removeAttribute("src");
  try {
    const cards = renderChart(await api.chart(id));
    chartSection.scrollTop = 0;
    reveal(chartSection);
    const { services } = await api.patientView(id, toggles());
    if (openPatientId !== id) return; // the user moved on while the hook ran
    renderCards(cards, services, { launchApp: (link) => void launchApp(link) });
    cards.dataset.state = "done";
  } catch (err) {
    chartSection.append(el("p", { class: "feedback failed" }, (err as Error).message));
  }
}

byId<HTMLButtonElement>("close-app").addEventListener("click", () => {
  appPanel.hidden = true;
  appFrame.removeAttribute("src");
});
filter.addEventListener("input", renderList);

api
  .patients()
  .then((loaded) => {
    patients = loaded;
    renderList();
    list.dataset.state = "loaded";
  })
  .catch((err: Error) => list.replaceChildren(el("li", {}, `Could not load patients: ${err.message}`)));
