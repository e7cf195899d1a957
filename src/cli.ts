#!/usr/bin/env -S node --max-old-space-size=256
import { Command, Option } from 'commander';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadConfig } from './config.js';
import { createGateway } from './app.js';
import { createLogger } from './logger.js';
import { runGateway } from './main.js';
import { readPartners, writeNewPartner } from './partners/load.js';
import { loadMaps } from './mapping/maps.js';
import { runMapExamples } from './mapping/map-tests.js';
import { exampleInputs } from './mapping/example-inputs.js';
import { X12Reader } from './formats/x12/reader.js';
import { build997 } from './acks/x12-997.js';
import { buildTa1 } from './acks/ta1.js';
import type { Finding } from './validation/finding.js';
import type { X12GroupResult, X12InterchangeResult } from './formats/x12/types.js';
import { GatewayError, isGatewayError } from './errors.js';
import { detectFormat, HEAD_BYTES } from './pipeline.js';

const program = new Command();
program
  .name('edigate')
  .description('EDI gateway: partner files in (folder, SFTP, AS2), acknowledgements back, canonical messages to ERP and WMS')
  .option('--home <dir>', 'home folder holding partners/, maps/, inbox/, outbox/ and data/ (default: EDIGATE_HOME or the current folder)');

const home = (): string | undefined => (program.opts().home as string | undefined);
const print = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');

program.command('start')
  .description('run the whole gateway: inbox watcher, delivery workers, ops API')
  .action(async () => { await runGateway(home()); });

program.command('ingest')
  .description('process one file end to end and print a JSON summary')
  .argument('<file>', 'the file to ingest')
  .option('--partner <id>', 'the trading partner the file comes from (default: found by the ISA sender id)')
  .action(async (file: string, opts: { partner?: string }) => {
    const config = loadConfig({ home: home() });
    const gateway = await createGateway(config, { logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2), watch: false, listen: false, deliver: false });
    try {
      await gateway.start();
      const summary = await gateway.pipeline.ingest({ path: resolve(file), fileName: basename(file), channel: 'cli', partnerHint: opts.partner ?? null });
      print(summary);
      process.exitCode = summary.status === 'accepted' ? 0 : summary.status === 'unreadable' ? 2 : 1;
    } finally {
      await gateway.stop();
    }
  });

program.command('validate')
  .description('parse and validate only; print the findings and the acknowledgements that would be sent (exit 0 accepted, 1 rejected or accepted with errors, 2 unreadable)')
  .argument('<file>', 'the file to validate')
  .action(async (file: string) => {
    if (!existsSync(file) || !statSync(file).isFile()) {
      print({ status: 'unreadable', findings: [{ code: 'FILE_UNREADABLE', severity: 'error', level: 'file', message: `${file}: no such file` }] });
      process.exitCode = 2;
      return;
    }
    const head = Buffer.alloc(HEAD_BYTES);
    const fh = await import('node:fs/promises').then((m) => m.open(file, 'r'));
    const { bytesRead } = await fh.read(head, 0, HEAD_BYTES, 0);
    await fh.close();
    const format = detectFormat(head.subarray(0, bytesRead));
    if (format !== 'x12') {
      const message = format === 'empty' ? 'the file is empty' : format === 'edifact' ? 'UN/EDIFACT is not read by this gateway yet' : 'not an X12 interchange (no ISA at the start)';
      print({ status: 'unreadable', format, findings: [{ code: format === 'empty' ? 'FILE_EMPTY' : format === 'edifact' ? 'FILE_FORMAT_UNSUPPORTED' : 'FILE_NOT_EDI', severity: 'error', level: 'file', message }] });
      process.exitCode = 2;
      return;
    }
    const findings: Finding[] = [];
    const interchanges: X12InterchangeResult[] = [];
    const groups: X12GroupResult[] = [];
    const reader = new X12Reader({
      onTransactionSet: (s) => findings.push(...s.findings.map((f) => ({ ...f, message: `ST02 ${s.controlNumber}: ${f.message}` }))),
      onGroupEnd: (g) => { groups.push({ ...g }); findings.push(...g.findings); },
      onInterchangeEnd: (i) => { interchanges.push(i); findings.push(...i.findings); },
      onFileFinding: (f) => findings.push(f),
    });
    for await (const chunk of createReadStream(file)) reader.push(chunk as Buffer);
    reader.end();
    const now = new Date();
    const acks: Array<{ kind: string; text: string }> = [];
    let n = 0;
    for (const ic of interchanges) {
      if (ic.ackCode !== 'A') acks.push({ kind: 'TA1', text: buildTa1(ic, { interchangeControlNumber: String(++n).padStart(9, '0'), now }) });
      if (ic.ackCode === 'R') continue;
      for (const g of ic.groups) {
        if (g.header.functionalId === 'FA') continue;
        acks.push({ kind: '997', text: build997(g, { interchange: ic.header, interchangeControlNumber: String(++n).padStart(9, '0'), groupControlNumber: String(n), now }) });
      }
    }
    const accepted = interchanges.length > 0 && interchanges.every((i) => i.ackCode === 'A' && i.groups.every((g) => g.ackCode === 'A'));
    const status = interchanges.length === 0 ? 'unreadable' : accepted ? 'accepted' : interchanges.some((i) => i.ackCode === 'R') || groups.some((g) => g.ackCode === 'R') ? 'rejected' : 'accepted_with_errors';
    print({
      status,
      interchanges: interchanges.map((i) => ({ controlNumber: i.header.controlNumber, sender: `${i.header.senderQualifier}/${i.header.senderId}`, ackCode: i.ackCode, noteCode: i.noteCode,
        groups: i.groups.map((g) => ({ controlNumber: g.header.controlNumber, functionalId: g.header.functionalId, ackCode: g.ackCode, sets: g.sets.length, accepted: g.acceptedCount })) })),
      findings,
      acks,
    });
    for (const a of acks) process.stderr.write(`--- ${a.kind} that would be sent ---\n${a.text}\n`);
    process.exitCode = status === 'accepted' ? 0 : status === 'unreadable' ? 2 : 1;
  });

const maps = program.command('maps').description('partner maps');
maps.command('test')
  .description("run every map's example and compare its output with the expected canonical payload")
  .action(async () => {
    const config = loadConfig({ home: home() });
    const registry = await loadMaps(config.mapsDirs);
    const results = await runMapExamples(registry, exampleInputs);
    for (const r of results) process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok ? '' : '\n' + r.problems.map((p) => `     ${p}`).join('\n')}\n`);
    const failed = results.filter((r) => !r.ok).length;
    process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
    process.exitCode = failed ? 1 : 0;
  });

const partners = program.command('partners').description('trading partners');
partners.command('check')
  .description('validate every partner file and report all problems at once')
  .action(async () => {
    const config = loadConfig({ home: home() });
    const registry = await loadMaps(config.mapsDirs);
    const { partners: list, problems } = readPartners(config.partnersDir, { mapNames: new Set(registry.list().map((m) => m.name)), destinationNames: new Set(Object.keys(config.destinations)) });
    for (const p of problems) process.stdout.write(`problem: ${p}\n`);
    process.stdout.write(`${list.length} partner file(s) read, ${problems.length} problem(s)\n`);
    process.exitCode = problems.length ? 1 : 0;
  });
partners.command('add')
  .description('write partners/<id>.yaml with defaults: 997 on, TA1 on error, 850 mapped to order and delivered to the ERP')
  .argument('<id>', 'partner id (lowercase, digits, . _ -)')
  .addOption(new Option('--x12 <qual:id...>', 'X12 interchange id(s) the partner sends with (ISA05:ISA06)').makeOptionMandatory())
  .option('--name <name>', 'display name')
  .action(async (id: string, opts: { x12: string[]; name?: string }) => {
    const config = loadConfig({ home: home() });
    const x12 = opts.x12.map((s) => {
      const i = s.indexOf(':');
      if (i < 0) throw new GatewayError('EDIGATE_PARTNER_INVALID', `--x12 "${s}" must be QUAL:ID, the ISA05 qualifier and the ISA06 id, e.g. ZZ:${s} or 01:${s}`);
      return { qualifier: s.slice(0, i), id: s.slice(i + 1) };
    });
    // Refuse an interchange id another partner already sends with: lookups by ISA sender must stay unambiguous.
    const registry = await loadMaps(config.mapsDirs);
    const { partners: existing } = readPartners(config.partnersDir, { mapNames: new Set(registry.list().map((m) => m.name)), destinationNames: new Set(Object.keys(config.destinations)) });
    for (const x of x12) {
      const owner = existing.find((p) => p.id !== id && p.x12.interchangeIds.some((e) => e.qualifier === x.qualifier && e.id === x.id.trim()));
      if (owner) throw new GatewayError('EDIGATE_PARTNER_INVALID', `${x.qualifier}:${x.id} is already an interchange id of partner ${owner.id} (${owner.file})`);
    }
    const path = writeNewPartner(config.partnersDir, { id, name: opts.name, x12 });
    process.stdout.write(`wrote ${path}\ndrop files for this partner into ${resolve(config.inboxDir, id)}/\n`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  if (isGatewayError(err)) {
    const problems = err.details?.problems as string[] | undefined;
    process.stderr.write(`edigate: ${err.code}: ${problems ? 'problems:\n' + problems.map((p) => `  - ${p}`).join('\n') : err.message}\n`);
  } else {
    process.stderr.write(`edigate: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(process.exitCode && process.exitCode !== 0 ? process.exitCode : 2);
});
