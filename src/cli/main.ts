/**
 * The `reporthub` command. Each command group lives in its own file; this
 * entry point wires them up and is the only place that sets an exit code.
 */
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { startServer } from '../server.js';
import { registerOrgCommands, registerTokenCommands } from './admin.js';
import { registerImportCommand } from './import.js';
import { failureLine } from './output.js';
import {
  registerListenCommand,
  registerWebhookCommands,
  registerWorkerCommand,
} from './webhooks.js';
import { registerReportCommands } from './reports.js';

const program = new Command('reporthub')
  .description('Report Hub: SonarQube security reports per organization')
  .showHelpAfterError();

program
  .command('serve')
  .description('run the HTTP API and the webhook dispatcher')
  .option('--port <port>', 'port to listen on (PORT)')
  .option('--host <host>', 'address to listen on (HOST)')
  .action(async (options: { port?: string; host?: string }) => {
    const env = { ...process.env };
    if (options.port) env.PORT = options.port;
    if (options.host) env.HOST = options.host;
    const server = await startServer(loadConfig(env));
    process.stdout.write(`Report Hub listening on ${server.url}\n`);
    const stop = () => {
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

registerOrgCommands(program);
registerTokenCommands(program);
registerImportCommand(program);
registerWebhookCommands(program);
registerWorkerCommand(program);
registerListenCommand(program);
registerReportCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${failureLine(error)}\n`);
  process.exitCode = 1;
});
