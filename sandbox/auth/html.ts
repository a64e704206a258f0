/** Escaping for the few HTML pages the authorization server renders itself. */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A minimal page that says it belongs to the sandbox, so nobody takes it for a real login. */
export function sandboxPage(title: string, body: string): string {
  // The empty icon keeps browsers from asking for /favicon.ico (a 404 in the console).
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.5rem .75rem;border-radius:4px}
li{margin:.3rem 0}</style></head><body>
<p class="banner">Patella <strong>sandbox</strong> authorization server: synthetic patients, no real login. Never use it in production.</p>
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
