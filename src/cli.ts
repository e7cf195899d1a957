#!/usr/bin/env -S node --max-old-space-size=256
import { Command, Option } from 'commander';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { loadConfig } from './config.js';
import { createGateway } from './app.js';
import { createLogger } from './logger.js';
import { runGateway, runWorkers } from './main.js';
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
import { validateEdifactFile } from './intake/edifact-validate.js';
import { as2Init, setPartnerAs2 } from './transports/as2/setup.js';

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

program.command('workers')
  .description('run only delivery workers on the BullMQ queue (EDIGATE_REDIS_URL), beside the gateway on the machine holding the store')
  .action(async () => { await runWorkers(home()); });

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
    if (format === 'edifact') {
      const v = validateEdifactFile(file);
      print(v.report);
      for (const a of v.acks) process.stderr.write(`--- ${a.kind} that would be sent ---\n${a.text}\n`);
      process.exitCode = v.status === 'accepted' ? 0 : v.status === 'unreadable' ? 2 : 1;
      return;
    }
    if (format !== 'x12') {
      const message = format === 'empty' ? 'the file is empty' : 'not an X12 or EDIFACT interchange (no ISA, UNA, UNB or UNH at the start)';
      print({ status: 'unreadable', format, findings: [{ code: format === 'empty' ? 'FILE_EMPTY' : 'FILE_NOT_EDI', severity: 'error', level: 'file', message }] });
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
  .addOption(new Option('--x12 <qual:id...>', 'X12 interchange id(s) the partner sends with (ISA05:ISA06)'))
  .addOption(new Option('--edifact <id:qual...>', 'UN/EDIFACT sender id(s) the partner sends with: ID or ID:QUAL (UNB S002 0004, and its 0007 qualifier)'))
  .option('--name <name>', 'display name')
  .action(async (id: string, opts: { x12?: string[]; edifact?: string[]; name?: string }) => {
    const config = loadConfig({ home: home() });
    if (!opts.x12?.length && !opts.edifact?.length) throw new GatewayError('EDIGATE_PARTNER_INVALID', 'give at least one --x12 QUAL:ID or --edifact ID[:QUAL]');
    // Commander gives a list for a variadic option; a single value is normalised too, whatever the parser did.
    const edifact = ([] as string[]).concat(opts.edifact ?? []).map((s) => {
      const i = s.lastIndexOf(':');
      return i < 0 ? { id: s, qualifier: '' } : { id: s.slice(0, i), qualifier: s.slice(i + 1) };
    });
    const x12 = ([] as string[]).concat(opts.x12 ?? []).map((s) => {
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
    for (const x of edifact) {
      const owner = existing.find((p) => p.id !== id && p.edifact.interchangeIds.some((e) => e.id === x.id && e.qualifier === x.qualifier));
      if (owner) throw new GatewayError('EDIGATE_PARTNER_INVALID', `EDIFACT id ${x.id}${x.qualifier ? ':' + x.qualifier : ''} is already used by partner ${owner.id} (${owner.file})`);
    }
    const path = writeNewPartner(config.partnersDir, { id, name: opts.name, x12, edifact });
    process.stdout.write(`wrote ${path}\ndrop files for this partner into ${resolve(config.inboxDir, id)}/\n`);
  });

partners.command('sftp-user')
  .description('add or update a hosted SFTP user of a partner (partners/<id>.yaml): authorised public keys and/or a password (stored as a scrypt hash)')
  .argument('<id>', 'partner id')
  .argument('<user>', 'SFTP login name (unique across partners)')
  .option('--key <file.pub...>', 'OpenSSH public key file to authorise (ed25519, ECDSA, RSA); repeatable', (v: string, prev: string[] = []) => [...prev, v])
  .option('--password-stdin', 'read the password from standard input (first line); only its scrypt hash is written')
  .action(async (id: string, user: string, opts: { key?: string[]; passwordStdin?: boolean }) => {
    const { setSftpUser } = await import('./transports/sftp/user-file.js');
    const { hashPassword } = await import('./transports/sftp/passwords.js');
    const config = loadConfig({ home: home() });
    const publicKeys = (opts.key ?? []).flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    let passwordHash: string | undefined;
    if (opts.passwordStdin) {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
      if (!password) throw new GatewayError('EDIGATE_SFTP_USER_INVALID', 'empty password on standard input');
      passwordHash = await hashPassword(password);
    }
    const r = setSftpUser(config.partnersDir, id, user, { publicKeys, ...(passwordHash ? { passwordHash } : {}) });
    process.stdout.write(`${r.created ? 'added' : 'updated'} sftp user ${user} of partner ${id} in ${r.path}` +
      `${r.keysAdded.length ? `; keys added: ${r.keysAdded.join(', ')}` : ''}${r.passwordSet ? '; password set (scrypt hash)' : ''}\n`);
  });

partners.command('as2')
  .description('set up AS2 for a partner: its AS2 id and certificate, where we send (the outbound channel becomes as2), algorithms and MDN')
  .argument('<id>', 'partner id (partners/<id>.yaml must exist)')
  .requiredOption('--as2-id <id>', "the partner's AS2 id (AS2-From of its messages)")
  .requiredOption('--cert <file>', "the partner's certificate (PEM or DER), for its signatures and our encryption")
  .option('--url <url>', "the partner's AS2 URL; our 997s and documents are then sent there")
  .option('--sign <alg>', 'SHA1 | SHA256 | SHA384 | SHA512 | none', 'SHA256')
  .option('--encrypt <alg>', 'AES128 | AES192 | AES256 | 3DES | none', 'AES256')
  .option('--mdn <mode>', 'sync | async', 'sync')
  .action(async (id: string, opts: { as2Id: string; cert: string; url?: string; sign: string; encrypt: string; mdn: string }) => {
    const config = loadConfig({ home: home() });
    const path = setPartnerAs2(config.home, config.partnersDir, id, opts);
    process.stdout.write(`wrote ${path}\ncheck it with "edigate partners check"\n`);
  });

const as2 = program.command('as2').description('AS2 (RFC 4130)');
as2.command('init')
  .description('create our AS2 key and self-signed certificate (or import --key/--cert) and print the certificate for partners')
  .requiredOption('--id <id>', 'our AS2 id')
  .option('--key <file>', 'import this private key (PEM) instead of creating one')
  .option('--cert <file>', 'import this certificate (PEM) with --key')
  .option('--force', 'replace an existing key')
  .action(async (opts: { id: string; key?: string; cert?: string; force?: boolean }) => {
    const h = resolve(home() ?? process.env.EDIGATE_HOME ?? process.cwd());
    const r = as2Init(h, opts);
    process.stderr.write(`wrote ${r.keyFile}, ${r.certFile} and as2.id in edigate.yaml; give partners this certificate:\n`);
    process.stdout.write(r.certPem);
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
