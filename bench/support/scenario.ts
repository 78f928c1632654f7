/** What a bench scenario takes and gives back to bench/run.ts. */

export interface BenchOptions {
  /** Length of each timed load run. */
  seconds: number;
  /** Set to also run the list scenario on PostgreSQL. */
  databaseUrl: string | undefined;
  progress(message: string): void;
}

/** A stated aim and whether this run met it. */
export interface Target {
  figure: string;
  aim: string;
  measured: string;
  met: boolean;
}

/** One section of docs/performance.md. */
export interface Section {
  title: string;
  /** Markdown: how it was measured, then the table. */
  body: string;
  targets: Target[];
  /** Sentences for "What the numbers say", for figures without an aim. */
  notes?: string[];
}

export interface Scenario {
  name: string;
  run(options: BenchOptions): Promise<Section[]>;
}
