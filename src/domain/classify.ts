/**
 * Decides which weaknesses (CWE numbers, OWASP Top 10 2021 categories) each
 * rule stands for. SonarQube's issue responses never carry CWE numbers, so
 * the rule is the only way in. Sources are tried in the contract's order and
 * the first that says anything about CWE or OWASP wins:
 *
 * 1. the bundle's `securityStandards` map (rule key -> SonarQube keys such
 *    as `cwe:89`, `owaspTop10-2021:a3`), built by a collector from
 *    api/rules/search queries;
 * 2. a `securityStandards` field on the rule objects, where the SonarQube
 *    version returns one;
 * 3. links in the rule's descriptions to cwe.mitre.org and owasp.org/Top10.
 *
 * OWASP Top 10 2017 keys (`owaspTop10:a1`) count as information, so such a
 * rule is not "unmapped", but they never place a finding in a 2021 category:
 * the two editions number different risks.
 */
import type { Weaknesses } from './standards/standard.js';

/** What the bundle says about one rule, from api/rules/* responses. */
export interface RuleFacts {
  key: string;
  /** SonarQube standard keys, when the rule object carries them. */
  securityStandards?: readonly string[];
  /** HTML or Markdown texts that may link to CWE or OWASP pages. */
  descriptions: readonly string[];
}

export type ClassificationSource = 'securityStandards' | 'rule' | 'description';

export interface RuleClassification extends Weaknesses {
  /** OWASP Top 10 2017 categories, `A1`..`A10`; information, no scope. */
  readonly owasp2017: ReadonlySet<string>;
  /** Where the facts came from; undefined when no source had any. */
  readonly source: ClassificationSource | undefined;
}

/** Facts gathered from one source, before precedence is applied. */
export interface SecurityFacts {
  cwes: Set<number>;
  owasp2021: Set<string>;
  owasp2017: Set<string>;
}

function emptyFacts(): SecurityFacts {
  return { cwes: new Set(), owasp2021: new Set(), owasp2017: new Set() };
}

function hasFacts(facts: SecurityFacts): boolean {
  return (
    facts.cwes.size > 0 || facts.owasp2021.size > 0 || facts.owasp2017.size > 0
  );
}

/** True when a rule gave no CWE or OWASP information at all. */
export function isUnmapped(classification: RuleClassification): boolean {
  return classification.source === undefined;
}

function owasp2021Id(digits: string): string | undefined {
  const n = Number(digits);
  return n >= 1 && n <= 10 ? `A${String(n).padStart(2, '0')}` : undefined;
}

function owasp2017Id(digits: string): string | undefined {
  const n = Number(digits);
  return n >= 1 && n <= 10 ? `A${n}` : undefined;
}

const cweKey = /^cwe:(\d+)$/i;
const owasp2021Key = /^owaspTop10-2021:a(\d{1,2})$/i;
const owasp2017Key = /^owaspTop10:a(\d{1,2})$/i;

/** Reads SonarQube standard keys; keys of other standards are ignored. */
export function factsFromStandardKeys(keys: Iterable<string>): SecurityFacts {
  const facts = emptyFacts();
  for (const raw of keys) {
    const key = raw.trim();
    const cwe = cweKey.exec(key)?.[1];
    if (cwe !== undefined) facts.cwes.add(Number(cwe));
    const a2021 = owasp2021Key.exec(key)?.[1];
    const id2021 = a2021 === undefined ? undefined : owasp2021Id(a2021);
    if (id2021 !== undefined) facts.owasp2021.add(id2021);
    const a2017 = owasp2017Key.exec(key)?.[1];
    const id2017 = a2017 === undefined ? undefined : owasp2017Id(a2017);
    if (id2017 !== undefined) facts.owasp2017.add(id2017);
  }
  return facts;
}

// Matched as text, not as parsed HTML: SonarQube's older descriptions leave
// href values unquoted, and Markdown descriptions have no tags at all.
const cweLink = /cwe\.mitre\.org\/data\/definitions\/(\d+)/gi;
const owasp2021Link =
  /owasp\.org\/Top10\/(?:[a-z]{2}(?:_[A-Z]{2})?\/)?A(\d{1,2})_2021/gi;
const owasp2017Links = [/Top_10-2017_A(\d{1,2})\b/gi, /\/A(\d{1,2})_2017\b/gi];

/** Reads CWE and OWASP Top 10 links out of rule descriptions. */
export function factsFromDescriptions(texts: Iterable<string>): SecurityFacts {
  const facts = emptyFacts();
  for (const text of texts) {
    for (const m of text.matchAll(cweLink)) facts.cwes.add(Number(m[1]));
    for (const m of text.matchAll(owasp2021Link)) {
      const id = owasp2021Id(m[1] ?? '');
      if (id !== undefined) facts.owasp2021.add(id);
    }
    for (const pattern of owasp2017Links) {
      for (const m of text.matchAll(pattern)) {
        const id = owasp2017Id(m[1] ?? '');
        if (id !== undefined) facts.owasp2017.add(id);
      }
    }
  }
  return facts;
}

function classified(
  facts: SecurityFacts,
  source: ClassificationSource | undefined,
): RuleClassification {
  return { ...facts, source };
}

/** Several responses may describe one rule; their facts are combined. */
function mergeRules(rules: readonly RuleFacts[]): Map<string, RuleFacts> {
  const byKey = new Map<string, RuleFacts>();
  for (const rule of rules) {
    const seen = byKey.get(rule.key);
    if (seen === undefined) {
      byKey.set(rule.key, rule);
      continue;
    }
    const standards = [
      ...(seen.securityStandards ?? []),
      ...(rule.securityStandards ?? []),
    ];
    byKey.set(rule.key, {
      key: rule.key,
      securityStandards:
        seen.securityStandards || rule.securityStandards
          ? standards
          : undefined,
      descriptions: [...seen.descriptions, ...rule.descriptions],
    });
  }
  return byKey;
}

/** One rule's classification from the sources, in the contract's order. */
export function classifyRule(
  ruleKey: string,
  securityStandards: Readonly<Record<string, readonly string[]>>,
  rule: RuleFacts | undefined,
): RuleClassification {
  const mapped = Object.hasOwn(securityStandards, ruleKey)
    ? factsFromStandardKeys(securityStandards[ruleKey] ?? [])
    : emptyFacts();
  if (hasFacts(mapped)) return classified(mapped, 'securityStandards');

  const own = factsFromStandardKeys(rule?.securityStandards ?? []);
  if (hasFacts(own)) return classified(own, 'rule');

  const linked = factsFromDescriptions(rule?.descriptions ?? []);
  if (hasFacts(linked)) return classified(linked, 'description');

  return classified(emptyFacts(), undefined);
}

/**
 * A classifier for one bundle: each rule is classified once, however many
 * findings it has, so that large analyses stay linear in their findings.
 */
export function createRuleClassifier(input: {
  securityStandards?: Readonly<Record<string, readonly string[]>>;
  rules?: readonly RuleFacts[];
}): (ruleKey: string) => RuleClassification {
  const map = input.securityStandards ?? {};
  const rules = mergeRules(input.rules ?? []);
  const cache = new Map<string, RuleClassification>();

  return (ruleKey) => {
    let result = cache.get(ruleKey);
    if (result === undefined) {
      result = classifyRule(ruleKey, map, rules.get(ruleKey));
      cache.set(ruleKey, result);
    }
    return result;
  };
}
