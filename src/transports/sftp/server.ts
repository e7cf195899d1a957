/**
 * The hosted SFTP server (ssh2): partners' users log in with a password (scrypt hash) or an authorised key and
 * see their jail (/inbound, /outbound; jail.ts). Limits per partner: concurrent sessions and upload size.
 * Failed logins are logged with the remote address and answered more and more slowly (auth.ts LoginThrottle).
 */
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ClientInfo } from 'ssh2';
import type { Logger } from 'pino';
import type { Db } from '../../store/db.js';
import type { PartnerDirectory } from '../../partners/load.js';
import { endSftpSession, insertSftpSession } from '../../store/sftp.js';
import { verifyPassword } from './passwords.js';
import { findAuthorisedKey, findSftpUser, LoginThrottle } from './auth.js';
import { loadOrCreateHostKey } from './host-key.js';
import { serveSftp } from './session.js';
import { UploadSpool, type IngestFn } from './spool.js';

export interface SftpServerOptions {
  dataDir: string;
  outboxDir: string;
  partners: PartnerDirectory;
  db: Db;
  ingest: IngestFn;
  logger: Logger;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /** Address to bind; default all interfaces. */
  host?: string;
  throttle?: LoginThrottle;
  /** A connection that has not logged in after this long is closed, in ms. Default 60000. */
  loginTimeoutMs?: number;
}

const METHODS: AuthContext['method'][] = ['publickey', 'password'];

/** The hosted SFTP server; nothing listens until start(). */
export class SftpServer {
  private server: ssh2.Server | undefined;
  private readonly clients = new Set<Connection>();
  private readonly sessionsByPartner = new Map<string, number>();
  private readonly releases = new Set<() => Promise<void>>();
  readonly spool: UploadSpool;
  readonly throttle: LoginThrottle;
  /** SHA256 fingerprint of the host key (`ssh-keygen -lf` form), known after start(). */
  hostKeyFingerprint = '';

  constructor(private readonly opts: SftpServerOptions) {
    this.spool = new UploadSpool({ dataDir: opts.dataDir, ingest: opts.ingest, logger: opts.logger });
    this.throttle = opts.throttle ?? new LoginThrottle();
  }

  /** The port listened on (after start). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /**
   * Loads (or creates) the host key, resumes closed uploads a stop left behind, and listens.
   * @throws GatewayError EDIGATE_SFTP_HOST_KEY; listen errors (EADDRINUSE) as thrown by node:net.
   */
  async start(): Promise<void> {
    const { logger } = this.opts;
    const hostKey = loadOrCreateHostKey(this.opts.dataDir);
    this.hostKeyFingerprint = hostKey.fingerprint;
    if (hostKey.created) logger.info({ path: hostKey.path, fingerprint: hostKey.fingerprint }, 'sftp host key created');
    const recovered = await this.spool.recover();
    if (recovered.resubmitted) logger.info(recovered, 'sftp uploads closed before the last stop handed to intake again');
    this.server = new ssh2.Server({ hostKeys: [hostKey.key], ident: 'edigate' }, (client, info) => this.onConnection(client, info));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host ?? '::', () => { this.server!.off('error', reject); resolve(); });
    });
    this.server.on('error', (err: Error) => logger.error({ err }, 'sftp server error'));
    logger.info({ port: this.port, fingerprint: hostKey.fingerprint }, 'sftp server listening');
  }

  /** Stops listening, ends every connection (their unfinished uploads are removed), waits for intake hand-offs. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    // Every connection ends (its 'close' handler records the session end) before the store can close.
    const ended = [...this.clients].map((c) => new Promise<void>((resolve) => {
      c.once('close', () => resolve());
      c.end();
      setTimeout(() => { (c as unknown as { _sock?: { destroy(): void } })._sock?.destroy(); resolve(); }, 2000).unref();
    }));
    await Promise.allSettled([...ended, ...[...this.releases].map((r) => r())]);
    await closed;
    await this.spool.drain();
  }

  private onConnection(client: Connection, info: ClientInfo): void {
    const { logger, partners, db } = this.opts;
    const remoteAddress = info.ip;
    const log = logger.child({ remoteAddress });
    this.clients.add(client);
    let login: { partnerId: string; user: string; sessionId: number } | undefined;
    const loginTimer = setTimeout(() => {
      if (!login) {
        log.warn('sftp connection closed: no login in time');
        client.end();
      }
    }, this.opts.loginTimeoutMs ?? 60_000);
    loginTimer.unref();

    const fail = (ctx: AuthContext, why: string) => {
      const { failures, delayMs } = this.throttle.fail(remoteAddress);
      log.warn({ user: ctx.username, method: ctx.method, failures, delayMs, reason: why }, 'sftp login failed');
      setTimeout(() => { try { ctx.reject(METHODS); } catch { /* connection already gone */ } }, delayMs);
    };

    client.on('authentication', (ctx) => {
      void (async () => {
        if (ctx.method !== 'password' && ctx.method !== 'publickey') return ctx.reject(METHODS);
        const found = findSftpUser(partners, ctx.username);
        if (ctx.method === 'password') {
          const ok = await verifyPassword(ctx.password, found?.user.passwordHash);
          if (!ok || !found) return fail(ctx, found ? 'wrong password' : 'unknown user');
        } else {
          const key = found ? findAuthorisedKey(found.user, ctx.key.data) : undefined;
          if (!key || !found) return fail(ctx, found ? 'key not authorised for this user' : 'unknown user');
          // RSA only with SHA-2 signatures (rsa-sha2-256/512, RFC 8332); ssh-rsa signs with SHA-1.
          if (key.type === 'ssh-rsa' && ctx.hashAlgo !== 'sha256' && ctx.hashAlgo !== 'sha512') return fail(ctx, 'RSA signature with SHA-1 (ssh-rsa) refused; use rsa-sha2-256 or rsa-sha2-512');
          // The client first asks whether the key would do (no signature); it then signs (RFC 4252 §7).
          if (!ctx.signature) return ctx.accept();
          if (key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return fail(ctx, 'bad signature');
        }
        const partner = found.partner;
        const max = partner.sftp?.limits.maxSessions ?? Infinity;
        const active = this.sessionsByPartner.get(partner.id) ?? 0;
        if (active >= max) {
          log.warn({ user: ctx.username, partner: partner.id, active, maxSessions: max }, 'sftp login refused: the partner has its maximum number of sessions');
          return ctx.reject(METHODS);
        }
        this.throttle.succeed(remoteAddress);
        this.sessionsByPartner.set(partner.id, active + 1);
        const sessionId = insertSftpSession(db, { partnerId: partner.id, userName: ctx.username, remoteAddress, authMethod: ctx.method });
        login = { partnerId: partner.id, user: ctx.username, sessionId };
        log.info({ user: ctx.username, partner: partner.id, method: ctx.method, sftpSession: sessionId }, 'sftp login');
        ctx.accept();
      })().catch((err: unknown) => {
        log.error({ err }, 'sftp authentication failed');
        try { ctx.reject(METHODS); } catch { /* gone */ }
      });
    });

    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => {
          const l = login!;
          const release = serveSftp(acceptSftp(), {
            partnerId: l.partnerId, user: l.user, remoteAddress, sessionId: l.sessionId,
            settings: () => partners.get(l.partnerId)?.sftp,
            outboxDir: this.opts.outboxDir, spool: this.spool, db, logger,
          });
          this.releases.add(release);
          client.once('close', () => void release().finally(() => this.releases.delete(release)));
        });
        // shell, exec and pty requests have no listener: ssh2 refuses them.
      });
    });

    client.on('error', (err: Error) => log.debug({ err: err.message }, 'sftp connection error'));
    client.on('close', () => {
      clearTimeout(loginTimer);
      this.clients.delete(client);
      if (login) {
        this.sessionsByPartner.set(login.partnerId, Math.max(0, (this.sessionsByPartner.get(login.partnerId) ?? 1) - 1));
        endSftpSession(db, login.sessionId);
        log.info({ user: login.user, partner: login.partnerId, sftpSession: login.sessionId }, 'sftp session ended');
      }
    });
  }
}
