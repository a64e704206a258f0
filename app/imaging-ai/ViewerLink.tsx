/** Opens the images in the site's viewer, in a new tab (and says so to screen readers). Rendered
 * only when the site has a viewer: a null `url` is then this study's own lack (no UID to link, or
 * an Endpoint off the site's image servers, shared/imaging/viewer-url.ts), said beside it. */
export function ViewerLink({ url, label = "Open images in viewer" }: { url: string | null; label?: string }) {
  if (url === null) return <p className="iai-muted">No image viewer link for this study: the record lacks what the site&rsquo;s viewer link needs (such as the study&rsquo;s UID), or names an image server that is not one of the site&rsquo;s.</p>;
  return (
    <a className="iai-viewer-link" href={url} target="_blank" rel="noopener noreferrer">
      {label}
      {" "}
      <span className="iai-sr-only">(opens in a new tab)</span>
    </a>
  );
}
