/**
 * The site's CSP requires Trusted Types for every script sink. Registering the
 * service worker is one (`navigator.serviceWorker.register` takes a script URL),
 * and workbox-window passes it a plain string; the `default` policy accepts that
 * string only when it is this site's own service worker, and nothing else.
 * HTML goes only through DOMPurify's policy (ui/sanitize.ts).
 */
export function installScriptUrlPolicy(base: string): void {
  const factory = (window as { trustedTypes?: { createPolicy: (name: string, rules: object) => unknown } }).trustedTypes;
  if (!factory) return;
  const serviceWorker = new URL(`${base}sw.js`, window.location.origin).href;
  factory.createPolicy('default', {
    createScriptURL(url: string) {
      const resolved = new URL(url, window.location.href).href;
      if (resolved === serviceWorker) return resolved;
      throw new TypeError(`script URL refused by the site's Trusted Types policy: ${url}`);
    },
  });
}
