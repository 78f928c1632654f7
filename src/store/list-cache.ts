/**
 * Recently answered list pages, kept in memory. Clients such as GRC tools
 * and CI jobs ask the same questions again and again, and a 100-report
 * page costs a few hundred microseconds of SQL against tens for the rest
 * of a request.
 *
 * Entries are keyed by the organization's `reports_generation`, which every
 * change to its reports bumps in the same transaction. A request reads the
 * generation first (one primary-key lookup), so after a commit no process,
 * this one or another, serves a page from before it.
 */
import type { ListPage } from './report-list.js';

export class ListCache {
  private readonly pages = new Map<string, ListPage>();
  private cachedReports = 0;

  /**
   * @param maxCachedReports upper bound on reports held across all pages
   *   (100,000 is about 30 MB); 0 turns the cache off.
   */
  constructor(private readonly maxCachedReports: number) {}

  static key(orgId: string, generation: number, query: unknown): string {
    return `${orgId}\u0000${generation}\u0000${JSON.stringify(query)}`;
  }

  get(key: string): ListPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    // Re-insert: a Map iterates in insertion order, which makes it an LRU.
    this.pages.delete(key);
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: ListPage): void {
    if (this.maxCachedReports === 0 || this.pages.has(key)) return;
    this.pages.set(key, page);
    this.cachedReports += page.reports.length + 1;
    for (const [oldest, evicted] of this.pages) {
      if (this.cachedReports <= this.maxCachedReports) break;
      this.pages.delete(oldest);
      this.cachedReports -= evicted.reports.length + 1;
    }
  }
}
