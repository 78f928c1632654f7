/**
 * OWASP Top 10, 2021 edition (https://owasp.org/Top10/). Each category's CWE
 * list is the "List of Mapped CWEs" on that category's page; CWE-259 appears
 * under A07 only, as OWASP lists it. A rule is in a category when SonarQube
 * tags it with the category (`owaspTop10-2021:aN`) or when it names one of
 * the category's mapped CWEs.
 */
import type { Standard, StandardCategory, Weaknesses } from './standard.js';

interface OwaspCategory extends StandardCategory {
  readonly cwes: readonly number[];
}

const list: readonly OwaspCategory[] = [
  {
    id: 'A01',
    title: 'Broken Access Control',
    cwes: [
      22, 23, 35, 59, 200, 201, 219, 264, 275, 276, 284, 285, 352, 359, 377,
      402, 425, 441, 497, 538, 540, 548, 552, 566, 601, 639, 651, 668, 706, 862,
      863, 913, 922, 1275,
    ],
  },
  {
    id: 'A02',
    title: 'Cryptographic Failures',
    cwes: [
      261, 296, 310, 319, 321, 322, 323, 324, 325, 326, 327, 328, 329, 330, 331,
      335, 336, 337, 338, 340, 347, 523, 720, 757, 759, 760, 780, 818, 916,
    ],
  },
  {
    id: 'A03',
    title: 'Injection',
    cwes: [
      20, 74, 75, 77, 78, 79, 80, 83, 87, 88, 89, 90, 91, 93, 94, 95, 96, 97,
      98, 99, 100, 113, 116, 138, 184, 470, 471, 564, 610, 643, 644, 652, 917,
    ],
  },
  {
    id: 'A04',
    title: 'Insecure Design',
    cwes: [
      73, 183, 209, 213, 235, 256, 257, 266, 269, 280, 311, 312, 313, 316, 419,
      430, 434, 444, 451, 472, 501, 522, 525, 539, 579, 598, 602, 642, 646, 650,
      653, 656, 657, 799, 807, 840, 841, 927, 1021, 1173,
    ],
  },
  {
    id: 'A05',
    title: 'Security Misconfiguration',
    cwes: [
      2, 11, 13, 15, 16, 260, 315, 520, 526, 537, 541, 547, 611, 614, 756, 776,
      942, 1004, 1032, 1174,
    ],
  },
  {
    id: 'A06',
    title: 'Vulnerable and Outdated Components',
    cwes: [937, 1035, 1104],
  },
  {
    id: 'A07',
    title: 'Identification and Authentication Failures',
    cwes: [
      255, 259, 287, 288, 290, 294, 295, 297, 300, 302, 304, 306, 307, 346, 384,
      521, 613, 620, 640, 798, 940, 1216,
    ],
  },
  {
    id: 'A08',
    title: 'Software and Data Integrity Failures',
    cwes: [345, 353, 426, 494, 502, 565, 784, 829, 830, 915],
  },
  {
    id: 'A09',
    title: 'Security Logging and Monitoring Failures',
    cwes: [117, 223, 532, 778],
  },
  {
    id: 'A10',
    title: 'Server-Side Request Forgery (SSRF)',
    cwes: [918],
  },
];

/** CWE number -> the OWASP 2021 categories that list it. */
const categoriesByCwe = new Map<number, string[]>();
for (const category of list) {
  for (const cwe of category.cwes) {
    const ids = categoriesByCwe.get(cwe) ?? [];
    ids.push(category.id);
    categoriesByCwe.set(cwe, ids);
  }
}

/** The OWASP Top 10 2021 categories that list this CWE (often none). */
export function owasp2021CategoriesOfCwe(cwe: number): readonly string[] {
  return categoriesByCwe.get(cwe) ?? [];
}

export const owaspTop10of2021: Standard = {
  ref: { name: 'OWASP Top 10', edition: 2021 },
  key: 'OWASP Top 10:2021',
  categories: list.map(({ id, title }) => ({ id, title })),
  categoriesOf(weaknesses: Weaknesses): string[] {
    const ids = new Set(weaknesses.owasp2021);
    for (const cwe of weaknesses.cwes) {
      for (const id of owasp2021CategoriesOfCwe(cwe)) ids.add(id);
    }
    return list.filter((c) => ids.has(c.id)).map((c) => c.id);
  },
};
