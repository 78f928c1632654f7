/**
 * Escaping for text placed into HTML. Report content comes from SonarQube
 * (messages, file paths, project names), which anyone with commit access can
 * influence, so every interpolated value goes through here.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const HTML_SPECIAL = /[&<>"']/g;
const HAS_HTML_SPECIAL = /[&<>"']/;

/** Makes text safe both as element content and inside quoted attributes. */
export function escapeHtml(text: string | number): string {
  const value = String(text);
  // Most values need no escaping; skipping the replace keeps 50k rows cheap.
  if (!HAS_HTML_SPECIAL.test(value)) return value;
  return value.replace(HTML_SPECIAL, (char) => HTML_ENTITIES[char] ?? char);
}
