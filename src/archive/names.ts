/**
 * Folder and file names inside the ZIP. Product names come from users, so
 * they are reduced to characters that are safe on every file system, can
 * never climb out of the archive (`..`, `/`, `\`), avoid the names Windows
 * reserves (`CON`, `LPT1`), and are made unique without regard to case.
 */

const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_LENGTH = 120;

/** One safe path segment; never empty, never `.` or `..`. */
export function safeSegment(text: string, fallback = 'report'): string {
  let name = text
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (name.length > MAX_LENGTH) name = name.slice(0, MAX_LENGTH).trimEnd();
  if (name === '') name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  return name;
}

/** Hands out names, adding ` (2)`, ` (3)` ... where one is taken. */
export class UniqueNames {
  private readonly taken = new Set<string>();

  claim(name: string): string {
    let candidate = name;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) {
      candidate = `${name} (${n})`;
    }
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}

export interface FolderParts {
  reportFileName: string;
  projectVersion: string;
  reportType: string;
  reportVersion: number;
}

/** `Acme Web 1.4.2 CWE Top 25 2024`, made safe. */
export function folderName(parts: FolderParts): string {
  return safeSegment(
    [
      parts.reportFileName,
      parts.projectVersion,
      parts.reportType,
      String(parts.reportVersion),
    ].join(' '),
  );
}
