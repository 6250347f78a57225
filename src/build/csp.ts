/**
 * The Content-Security-Policy of every page the build writes, as a <meta> tag:
 * static hosts often cannot send headers. Scripts and connections only from
 * the site; images from the site, https and data:; no plugins, no <base>, no
 * form submissions; HTML reaches the DOM only through the DOMPurify policy.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' https: data:",
  "style-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  // dompurify: the only way HTML reaches the DOM; default: accepts only the service worker's URL.
  'trusted-types dompurify default',
].join('; ');

export function cspMetaTag(): string {
  return `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
}
