/**
 * CWE Top 25 Most Dangerous Software Weaknesses, 2024 edition, as published
 * by MITRE and CISA:
 * https://cwe.mitre.org/top25/archive/2024/2024_cwe_top25.html
 * A finding is in a category when its rule names exactly that CWE: the list
 * is of CWE IDs, and widening it along the CWE hierarchy would count
 * weaknesses the list does not rank.
 */
import type { Standard, StandardCategory, Weaknesses } from './standard.js';

const ranked: ReadonlyArray<readonly [number, string]> = [
  [
    79,
    "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
  ],
  [787, 'Out-of-bounds Write'],
  [
    89,
    "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
  ],
  [352, 'Cross-Site Request Forgery (CSRF)'],
  [
    22,
    "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
  ],
  [125, 'Out-of-bounds Read'],
  [
    78,
    "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
  ],
  [416, 'Use After Free'],
  [862, 'Missing Authorization'],
  [434, 'Unrestricted Upload of File with Dangerous Type'],
  [94, "Improper Control of Generation of Code ('Code Injection')"],
  [20, 'Improper Input Validation'],
  [
    77,
    "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
  ],
  [287, 'Improper Authentication'],
  [269, 'Improper Privilege Management'],
  [502, 'Deserialization of Untrusted Data'],
  [200, 'Exposure of Sensitive Information to an Unauthorized Actor'],
  [863, 'Incorrect Authorization'],
  [918, 'Server-Side Request Forgery (SSRF)'],
  [
    119,
    'Improper Restriction of Operations within the Bounds of a Memory Buffer',
  ],
  [476, 'NULL Pointer Dereference'],
  [798, 'Use of Hard-coded Credentials'],
  [190, 'Integer Overflow or Wraparound'],
  [400, 'Uncontrolled Resource Consumption'],
  [306, 'Missing Authentication for Critical Function'],
];

const categories: readonly StandardCategory[] = ranked.map(([cwe, title]) => ({
  id: `CWE-${cwe}`,
  title,
}));

export const cweTop25of2024: Standard = {
  ref: { name: 'CWE Top 25', edition: 2024 },
  key: 'CWE Top 25:2024',
  categories,
  categoriesOf(weaknesses: Weaknesses): string[] {
    return ranked
      .filter(([cwe]) => weaknesses.cwes.has(cwe))
      .map(([cwe]) => `CWE-${cwe}`);
  },
};
