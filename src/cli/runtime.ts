/**
 * Opening the configured runtime for one admin command: the same
 * configuration as `serve`, quiet logs, closed when the command is done.
 */
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { findOrganization } from '../store/orgs.js';

/** Opens the configured runtime for one command, quiet, and closes it. */
export async function withRuntime<T>(work: (runtime: Runtime) => Promise<T>) {
  const config = loadConfig();
  // Admin commands print results on stdout; logs stay quiet.
  const runtime = await openRuntime(config, createLogger('warn'));
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** The organization, or an error naming the unknown ID. */
export async function requireOrg(runtime: Runtime, id: string) {
  const org = await findOrganization(runtime.db, id);
  if (!org) throw new Error(`no organization with ID ${id}`);
  return org;
}
