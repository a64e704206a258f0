/**
 * The Element Timing API's attribute (https://w3c.github.io/element-timing/): an element that
 * carries `elementtiming` gets a PerformanceElementTiming entry when first painted. React passes
 * the lowercase attribute to the DOM as written; its types do not list it yet.
 */
import "react";

declare module "react" {
  interface HTMLAttributes<T> {
    elementtiming?: string;
  }
}
