/**
 * Remote mode, outbound: the OutboundSender of channel `sftp`. Uploads each acknowledgement or outbound file
 * to the partner's `sftp.remote.outboundDir` under a temporary name (`.<name>.part`) and renames it to its
 * final name, so the partner never picks up half a file. Failures are thrown for the OutboundDispatcher to
 * retry with the partner's backoff (server down: EDIGATE_SFTP_REMOTE_UNREACHABLE, retryable) or to mark dead
 * (wrong host key, refused credentials, a different file already under the name).
 */
import { posix } from 'node:path';
import type { Logger } from 'pino';
import type { Partner } from '../../partners/partner.js';
import type { OutboundFile, OutboundSender, SendOutcome } from '../outbound.js';
import { GatewayError } from '../../errors.js';
import { connectRemote, type CredentialSource } from './connect.js';

export class SftpRemoteSender implements OutboundSender {
  readonly channel = 'sftp' as const;

  constructor(private readonly opts: { credentials: CredentialSource; logger: Logger }) {}

  /**
   * Uploads `file` to the partner's server (temp name, then rename).
   * A file of the same name and size already there (an earlier attempt that completed before a crash) counts as sent.
   * @throws GatewayError EDIGATE_PARTNER_INVALID (no sftp.remote), EDIGATE_SFTP_REMOTE_* (see connect.ts), EDIGATE_SFTP_REMOTE_EXISTS.
   */
  async send(partner: Partner, file: OutboundFile): Promise<SendOutcome> {
    const remote = partner.sftp?.remote;
    if (!remote) throw new GatewayError('EDIGATE_PARTNER_INVALID', `partner ${partner.id} sends over sftp but has no sftp.remote`);
    const conn = await connectRemote(remote, this.opts.credentials);
    try {
      const final = posix.join(remote.outboundDir, file.fileName);
      const tmp = posix.join(remote.outboundDir, `.${file.fileName}.part`);
      await conn.writeFile(tmp, file.bytes);
      try {
        await conn.rename(tmp, final);
      } catch (err) {
        // SFTP v3 rename does not overwrite: is the file there from an earlier attempt?
        const existing = await conn.stat(final);
        await conn.unlink(tmp).catch(() => undefined);
        if (!existing) throw err;
        if (existing.size !== file.bytes.length) throw new GatewayError('EDIGATE_SFTP_REMOTE_EXISTS', `${final} on ${remote.host} has ${existing.size} bytes, ours ${file.bytes.length}`);
      }
      const evidence = JSON.stringify({ url: `sftp://${remote.user}@${remote.host}:${remote.port}${final}`, bytes: file.bytes.length, hostKeyFingerprint: conn.hostKeyFingerprint, at: new Date().toISOString() });
      this.opts.logger.info({ partner: partner.id, file: file.fileName, remotePath: final }, 'uploaded to the partner sftp server');
      return { state: 'sent', evidence };
    } finally {
      conn.close();
    }
  }
}
