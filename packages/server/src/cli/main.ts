import { Command, CommanderError, Option } from 'commander';
import { ROLES } from '@alertautec/core';
import { listJobs, migrate, runJob, userCreate } from './commands.js';
import { CliError, EXIT, withSystem } from './context.js';
import { createReport, type ReportOptions } from './report.js';
import { createOutput } from './output.js';

/**
 * `npm run alerta -- <command>`: the operator's CLI. Every command opens the same database
 * the server uses (same environment variables) and exits 0 only when it succeeded.
 */
const output = createOutput();
const program = new Command('alerta')
  .description('AlertaUTEC operator commands. Configured by the same environment variables as the server (DATABASE_URL, DATA_DIR, …).')
  .option('--verbose', "show the server's log lines")
  .showHelpAfterError()
  .exitOverride();

const verbose = () => ({ verbose: program.opts<{ verbose?: boolean }>().verbose === true });

program
  .command('migrate')
  .description('bring the database schema up to date (safe while servers run: migrations take turns on a lock)')
  .action(() => withSystem(output, verbose(), async (system) => migrate(system, output)));

const user = program.command('user').description('manage accounts');
user
  .command('create')
  .description('create an account (prints a generated password unless --password is given)')
  .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
  .requiredOption('--name <name>', 'full name')
  .addOption(new Option('--role <role>', 'role').choices(ROLES).default('student'))
  .option('--department <name or id>', 'department (required for staff)')
  .option('--password <password>', 'password (at least 10 characters); beware of shell history')
  .option('--tenant <id>', 'tenant id', 'default')
  .action((options: { email: string; name: string; role: string; department?: string; password?: string; tenant: string }) =>
    withSystem(output, verbose(), (system) => userCreate(system, output, options)),
  );

program
  .command('jobs')
  .description('list background jobs with their schedule, next run and last run')
  .action(() => withSystem(output, verbose(), (system) => listJobs(system, output)));

program
  .command('run')
  .description('run a background job now and follow it to the end (exit 0 only if it succeeded)')
  .argument('<job>', 'job name (see `jobs`)')
  .option('--no-wait', 'only enqueue it; a server with workers runs it')
  .action((job: string, options: { wait: boolean }) => withSystem(output, verbose(), (system) => runJob(system, output, job, options)));

const report = program.command('report').description('write a report now and follow it to the end (exit 0 only if it succeeded)');
const reportOptions = (command: Command) =>
  command
    .option('--from <when>', 'incidents created from this campus day (YYYY-MM-DD) or ISO date-time; default: the first')
    .option('--to <when>', 'up to the end of this campus day (YYYY-MM-DD) or this ISO date-time; default: now')
    .option('--out <file>', 'also save the content here (CSV if the name ends in .csv, else JSON)')
    .option('--tenant <id>', 'tenant id', 'default');
reportOptions(report.command('global').description('counts, MTTA/MTTR, SLA breaches, backlog and daily series of every incident')).action((options: ReportOptions) =>
  withSystem(output, verbose(), (system) => createReport(system, output, 'global', undefined, options)),
);
reportOptions(report.command('department').description("the same for one department's incidents").argument('<id>', 'department id')).action((id: string, options: ReportOptions) =>
  withSystem(output, verbose(), (system) => createReport(system, output, 'department', id, options)),
);

async function main(): Promise<number> {
  try {
    await program.parseAsync(process.argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      output.error(`error: ${error.message}`);
      return error.exitCode;
    }
    output.error(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failed;
  }
}

process.exitCode = await main();
