/**
 * The page re-checks the settings it draws even though the schema validated them when saved:
 * previews render unsaved settings, and a bad value must never reach the HTML.
 */

/** The URL when it is absolute https, else null (campaign image, brand icon). */
export function httpsUrlOrNull(value: string | null | undefined): string | null {
  return urlWithProtocol(value, ['https:']);
}

/** The URL when it is absolute http(s), else null (the use button's link). */
export function webUrlOrNull(value: string | null | undefined): string | null {
  return urlWithProtocol(value, ['http:', 'https:']);
}

function urlWithProtocol(value: string | null | undefined, protocols: string[]): string | null {
  if (!value || value.length > 2000) return null;
  try {
    const url = new URL(value.trim());
    return protocols.includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

const hexColor = /^#[0-9a-fA-F]{6}$/;

export function colorOr(value: string | null | undefined, fallback: string): string {
  return value && hexColor.test(value) ? value.toLowerCase() : fallback;
}

