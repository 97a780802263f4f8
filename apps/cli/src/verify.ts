import { readFileSync, writeFileSync } from 'node:fs';
import { exportAuditAnchor, parseAnchorExport, verifyAuditTrail, type AuditFinding, type AuditReport } from '@rapport/audit';
import { describeEventStore, openEventStore } from '@rapport/event-store';
import { configFromEnv } from '@rapport/config';
import { parseArgs, refuseUnknown, valueOf } from './args';

/**
 * `npm run verify [-- --anchor FILE] [-- --export-anchor FILE]`: checks every stream's hash chain
 * in the configured store (DATA_DIR, or EVENT_STORE=esdb with EVENTSTORE_URL), as stored, and the
 * log against its audit anchor (`DATA_DIR/audit-anchor.sqlite`); exit 1 names the first problem.
 * `--export-anchor FILE` writes the signed head of a log that verifies, to keep off the machine;
 * `--anchor FILE` checks that the log and the anchor still hold the prefix such a file names.
 */
export async function runVerify(argv: string[], env: NodeJS.ProcessEnv, write: (text: string) => void): Promise<number> {
  const args = parseArgs(argv);
  refuseUnknown(args, ['anchor', 'export-anchor']);
  const exportTo = valueOf(args, 'export-anchor', 'the file to write the export to');
  const anchorFile = valueOf(args, 'anchor', 'an export file (from --export-anchor)');
  const exported = anchorFile ? parseAnchorExport(readFileSync(anchorFile, 'utf8')) : undefined;
  const config = configFromEnv(env);
  const store = openEventStore(config);
  try {
    const options = { dataDir: config.dataDir, env, ...(exported ? { exported } : {}) };
    let report: AuditReport;
    if (exportTo) {
      const made = await exportAuditAnchor(store, options);
      report = made.report;
      if (made.exported) {
        writeFileSync(exportTo, `${JSON.stringify(made.exported, null, 2)}\n`);
        write(`anchor exported to ${exportTo}: position ${made.exported.position}, event ${made.exported.eventId}; keep it off this machine\n`);
      } else if (report.ok) {
        throw new Error('nothing is anchored yet: there is no head to export');
      }
    } else {
      report = await verifyAuditTrail(store, options);
    }
    write(summary(report, describeEventStore(config)));
    if (!report.ok && exportTo) write('no export written: the log does not verify\n');
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

function summary(report: AuditReport, where: string): string {
  const { anchor } = report;
  const anchored = anchor.present ? `anchored through position ${anchor.anchoredThrough}, not yet anchored: ${anchor.notYetAnchored}` : 'no anchor file';
  const exported = anchor.export ? `; the export of ${anchor.export.anchoredAt} (position ${anchor.export.position}, event ${anchor.export.eventId}) is ${anchor.export.ok ? 'still held' : 'NOT held'}` : '';
  if (report.ok) {
    return `verified: ${report.events} events in ${report.streams} streams (${where}); every hash chain is intact; ${anchored}${exported}\n`;
  }
  const parts = [
    ...(report.broken.length > 0 ? [`${report.broken.length} stream(s) with a broken hash chain`] : []),
    ...(anchor.problem ? [`the log and its anchor disagree (${anchor.problem.kind})`] : []),
  ];
  return `BROKEN: ${parts.join(', ')}. First: ${describeFinding(report.firstBroken!)}\n(${report.events} events in ${report.streams} streams, ${where}; ${anchored}${exported})\n`;
}

function describeFinding(f: AuditFinding): string {
  const event = `position ${f.position}, event ${f.eventId}${f.type ? `, ${f.type}` : ''}`;
  return f.stream !== undefined ? `${f.stream} revision ${f.revision} (${event}): ${f.reason}` : `${event}: ${f.reason}`;
}

if (require.main === module) {
  runVerify(process.argv.slice(2), process.env, (text) => process.stdout.write(text)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`verify: ${error.message}\n`);
      process.exit(2);
    },
  );
}
