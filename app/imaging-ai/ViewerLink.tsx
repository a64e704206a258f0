/** Opens the images in the configured viewer, in a new tab (and says so to screen readers). */
export function ViewerLink({ url, label = "Open images in viewer" }: { url: string | null; label?: string }) {
  if (url === null) return <p className="iai-muted">No image viewer link configured for this study.</p>;
  return (
    <a className="iai-viewer-link" href={url} target="_blank" rel="noopener noreferrer">
      {label}
      {" "}
      <span className="iai-sr-only">(opens in a new tab)</span>
    </a>
  );
}
