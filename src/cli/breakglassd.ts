// Entry point of `breakglassd` (DESIGN.md "breakglassd"): flags → typed config → run.
// Exit codes: 0 stopped (SIGTERM, --idle-exit), 2 bad flags or config, 125 not started
// at boot (gokrazy's on-demand convention), 1 unexpected failure.
import { UsageError, messageOf, nameProcess, startupDone } from '../common/index.js';
import { helpText, parseCommandLine, startDaemon } from '../sshd/index.js';

/** gokrazy: a service exiting 125 is not restarted; used for "do not start at boot". */
const EXIT_DONT_START = 125;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const { config } = parsed;
  if (process.env.GOKRAZY_FIRST_START === '1' && !config.startOnBoot) {
    process.stderr.write('breakglassd: not starting at boot (GOKRAZY_FIRST_START=1); start it on demand, or pass --start-on-boot\n');
    return EXIT_DONT_START;
  }
  // If whoever reads our log goes away (EPIPE), keep serving; never re-log that error.
  process.stderr.on('error', () => undefined);
  const log = (text: string): void => {
    if (process.stderr.writable) process.stderr.write(text);
  };
  const daemon = await startDaemon(config, { stderr: log, env: process.env });
  const onSignal = (): void => {
    daemon.stop().catch((err: unknown) => log(`breakglassd: stopping: ${messageOf(err)}\n`));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  // The shell's children get SIGHUP from their sessions; we ignore one aimed at us.
  process.on('SIGHUP', () => undefined);
  // An emergency door must stay open: a bug in one session is logged, not fatal.
  process.on('uncaughtException', (err) => log(`breakglassd: internal error (please report): ${err.stack ?? err.message}\n`));
  startupDone(); // listening and ready: the code cache need hold no more than this
  return daemon.finished;
}

nameProcess('breakglassd');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`breakglassd: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`breakglassd: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
