/**
 * Keeps one section's unexpected error to that section. Partial data is normal (each section
 * says what it could not load); a rendering error in one section must not blank the others, the
 * risk among them, as React does with an error nowhere caught. React catches render errors only
 * in a class component with getDerivedStateFromError.
 */
import { Component, type ReactNode } from "react";

interface Props {
  /** What the section shows, as the message names it ("The trend"). */
  name: string;
  children: ReactNode;
}

export class SectionBoundary extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="panel" data-testid="section-error">
        <p role="alert">{this.props.name} could not be shown: the app met data it could not display. The other sections are not affected.</p>
      </section>
    );
  }
}
